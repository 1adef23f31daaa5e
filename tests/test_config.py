from pathlib import Path

import pytest

from jobsearch_mcp_server.config import ConfigError, load_settings


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
