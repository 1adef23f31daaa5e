# jobsearch-mcp: the MCP server over streamable HTTP, with Debian's Chromium and chromedriver inside for
# the browser boards (or point SELENIUM_REMOTE_URL at a Selenium Grid). See README "Deployment".
#   docker build -t jobsearch-mcp .
#   docker run -e JOBSEARCH_AUTH_TOKEN=$(openssl rand -hex 32) -p 127.0.0.1:8000:8000 jobsearch-mcp
# The server listens on 0.0.0.0 in the container and refuses to start without JOBSEARCH_AUTH_TOKEN.

FROM python:3.12-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
COPY prompts ./prompts
RUN python -m venv /opt/jobsearch && /opt/jobsearch/bin/pip install .

FROM python:3.12-slim-bookworm
# Debian's own chromium and chromium-driver, always of the same version (no Selenium Manager download).
# Versions are not pinned: the Debian security updates of chromium replace the old packages.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium chromium-driver fonts-liberation ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 10001 jobsearch \
    && useradd --create-home --uid 10001 --gid 10001 --shell /usr/sbin/nologin jobsearch \
    && mkdir -p /data/resumes \
    && chown -R 10001:10001 /data
COPY --from=build /opt/jobsearch /opt/jobsearch
ENV PATH=/opt/jobsearch/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    JOBSEARCH_TRANSPORT=streamable-http \
    JOBSEARCH_HOST=0.0.0.0 \
    JOBSEARCH_PORT=8000 \
    JOBSEARCH_DATA_DIR=/data \
    JOBSEARCH_CHROME_BINARY=/usr/bin/chromium \
    JOBSEARCH_CHROMEDRIVER=/usr/bin/chromedriver
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
# /healthz answers without a token; python is in the image, curl is not.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('JOBSEARCH_PORT', '8000'), timeout=4)"]
ENTRYPOINT ["jobsearch-mcp"]
CMD ["serve"]
