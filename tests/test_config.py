from pathlib import Path

import pytest

from jobsearch_mcp_server.config import ConfigError, load_settings
from jobsearch_mcp_server.sources.base import SearchQuery, Source, SourceContext
from jobsearch_mcp_server.sources.remoteok import RemoteOKSource
from scripted_site import Reply, scripted_site


def test_defaults_point_at_local_ollama(monkeypatch):
    for name in ("LLM_BASE_URL", "LLM_MODEL", "JOBSEARCH_TRANSPORT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(env_file=None)
    assert settings.llm_base_url == "http://localhost:11434/v1"
    assert settings.llm_model == "deepseek-r1:7b"
    assert settings.transport == "stdio" and settings.host == "127.0.0.1"


def test_env_file_then_environment_then_overrides(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text("JOBSEARCH_PORT=9001\nLLM_MODEL=deepseek-r1:14b\nJOBSEARCH_DATA_DIR=\n")
    monkeypatch.setenv("LLM_MODEL", "deepseek-r1:32b")
    settings = load_settings(env_file, transport="http")
    assert settings.port == 9001
    assert settings.llm_model == "deepseek-r1:32b"
    assert settings.transport == "streamable-http"
    assert settings.data_dir != Path(".")  # an empty value in .env means "use the default"


def test_secret_values_are_not_echoed(monkeypatch):
    monkeypatch.setenv("LLM_API_KEY", "")
    with pytest.raises(ConfigError) as error:
        load_settings(env_file=None, auth_token=123)  # not a string
    assert "123" not in str(error.value) and "JOBSEARCH_AUTH_TOKEN" in str(error.value)


def test_allowed_dirs_split_like_path(tmp_path):
    settings = load_settings(env_file=None, allowed_dirs=f"{tmp_path}/a:{tmp_path}/b")
    assert settings.allowed_dirs == [tmp_path / "a", tmp_path / "b"]


def test_board_base_urls_come_from_env_file_and_environment(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "JOBSEARCH_REMOTEOK_BASE_URL=http://mirror.example/remoteok\n"
        "JOBSEARCH_LEVER_BASE_URL=http://from-file.example\n"
    )
    monkeypatch.setenv("JOBSEARCH_LEVER_BASE_URL", "http://from-environment.example")
    settings = load_settings(env_file)
    assert settings.board_base_urls["remoteok"] == "http://mirror.example/remoteok"
    assert settings.board_base_urls["lever"] == "http://from-environment.example"  # the environment wins
    assert "llm" not in settings.board_base_urls  # LLM_BASE_URL is the model's endpoint, not a board


@pytest.mark.anyio
async def test_a_board_base_url_in_env_file_is_honoured(tmp_path, monkeypatch):
    monkeypatch.delenv("JOBSEARCH_REMOTEOK_BASE_URL", raising=False)
    with scripted_site() as board:
        board.route("/api", Reply.json('[{"legal": "notice"}, {"id": "7", "position": "Data Scientist"}]'))
        env_file = tmp_path / ".env"
        env_file.write_text(f"JOBSEARCH_REMOTEOK_BASE_URL={board.base_url}\nJOBSEARCH_DATA_DIR={tmp_path}\n")
        context = SourceContext(load_settings(env_file, min_request_interval_s=0))
        try:
            jobs = await RemoteOKSource().search(SearchQuery(query="data scientist"), context)
        finally:
            await context.http.aclose()
    assert [job.title for job in jobs] == ["Data Scientist"]
    assert board.hits_of("/api")


def test_company_placeholder_is_filled(settings):
    class Subdomains(Source):
        name = "subdomains"
        kind = "http"
        default_base_url = "https://{company}.jobs.example/"

        async def search(self, query, ctx):
            return []

    context = SourceContext(settings)
    assert context.base_url(Subdomains, "acme") == "https://acme.jobs.example"
    assert context.base_url(Subdomains) == "https://{company}.jobs.example"  # the form, for list_sources
    pointed = SourceContext(settings.model_copy(update={"board_base_urls": {"subdomains": "http://127.0.0.1:9/subdomains/{company}"}}))
    assert pointed.base_url(Subdomains, "acme") == "http://127.0.0.1:9/subdomains/acme"
