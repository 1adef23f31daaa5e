"""A host for the MCP Apps views, for tests and the view benchmarks: the official host bridge (AppBridge of
`@modelcontextprotocol/ext-apps`, bundled for the browser by .ci/run) in a page served on 127.0.0.1, the view
in a sandboxed frame of it, and every tools/call of the view answered by a real MCP session with the server.

The server's session searches the demo's sample boards (JSON APIs, served locally) for the demo's sample
resume, so the views show the jobs and scores a user would see.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, urlparse

from anyio.from_thread import start_blocking_portal
from mcp.client import Client
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

from jobsearch_mcp_server.cli.demo import SAMPLE_RESUME
from jobsearch_mcp_server.config import Settings, load_settings
from jobsearch_mcp_server.demo.site import BoardSite, board_samples
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server

ROOT = Path(__file__).resolve().parent.parent
HARNESS = Path(__file__).resolve().parent / "host_harness" / "harness.html"
BOARDS = ("remoteok", "remotive", "arbeitnow", "greenhouse:brightwave", "hackernews")
QUERY = "data scientist"
# A posting whose title and description try to run code: a view must show it as text.
HOSTILE_TITLE = 'Data Scientist <img src=x onerror="window.top.pwned=1"><script>window.top.pwned=2</script>'
HOSTILE = {
    "title": HOSTILE_TITLE,
    "company": "Evil <b>Corp</b>",
    "location": "Remote",
    "is_remote": True,
    "description": "Python, SQL, forecasting. <script>window.top.pwned=3</script> <a onerror=alert(1)>x</a>",
    "job_url": "https://jobs.example/evil",
}


def bridge_bundle() -> Path | None:
    """The browser bundle of the official host bridge (.ci/run builds it), or None where it is missing."""
    candidates = [os.environ.get("MCP_APPS_BRIDGE_JS"), str(ROOT / ".ci/cache/ext-apps-bridge.js")]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def bench_tools() -> tuple[Path, str, str] | None:
    """For the bench scripts: the bridge bundle, Chromium and chromedriver when all are here, else None
    (after saying what is missing on stderr)."""
    from jobsearch_mcp_server.browser.discovery import find_browser

    bundle = bridge_bundle()
    binary, driver = find_browser()
    if bundle is None or not binary or not driver:
        print("needs MCP_APPS_BRIDGE_JS (the host bridge bundle .ci/run builds) and Chromium", file=sys.stderr)
        return None
    return bundle, binary, driver


def dumped(result: Any) -> dict:
    """A CallToolResult as it goes over the wire (camelCase, JSON)."""
    return result.model_dump(mode="json", by_alias=True, exclude_none=True)


class Session:
    """A real MCP session with the server (in-memory transport), usable from any thread."""

    def __init__(self, portal, client: Client) -> None:
        self.portal = portal
        self.client = client
        self.lock = threading.Lock()

    def call(self, tool: str, arguments: dict) -> dict:
        with self.lock:
            return dumped(self.portal.call(self.client.call_tool, tool, arguments))

    def read(self, uri: str) -> dict:
        with self.lock:
            return dumped(self.portal.call(self.client.read_resource, uri))

    def view_html(self, uri: str) -> str:
        with self.lock:
            read = self.portal.call(self.client.read_resource, uri)
        return read.contents[0].text

    def tool_meta(self) -> dict[str, dict]:
        with self.lock:
            listed = self.portal.call(self.client.list_tools)
        return {tool.name: tool.meta or {} for tool in listed.tools}


@contextmanager
def demo_session(settings: Settings | None = None) -> Iterator[tuple[Session, dict]]:
    """A session with the server pointed at the demo's sample boards, the sample resume parsed and a
    hostile posting imported; yields it with the facts the tests need (resume_id, hostile job_id)."""
    samples = [sample for sample in board_samples() if sample.label in BOARDS]
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jobsearch-views-")))
        (scratch / "files").mkdir()
        sites = [stack.enter_context(BoardSite([sample])) for sample in samples]
        base = settings or load_settings(env_file=None, llm_backend="none")
        settings = base.model_copy(
            update={
                "data_dir": scratch / "data",
                "allowed_dirs": [scratch / "files"],
                "allow_private_urls": ["127.0.0.1"],
                "min_request_interval_s": 0.0,
                "board_base_urls": {
                    **base.board_base_urls,
                    **{board: url for site in sites for board, url in site.base_urls().items()},
                },
            }
        )
        runtime = Runtime(settings)
        stack.callback(runtime.close)
        portal = stack.enter_context(start_blocking_portal())
        client = stack.enter_context(portal.wrap_async_context_manager(Client(build_server(runtime))))
        session = Session(portal, client)
        resume = session.call("parse_resume", {"text": SAMPLE_RESUME.read_text(encoding="utf-8")})
        (scratch / "files" / "hostile.json").write_text(json.dumps([HOSTILE]), encoding="utf-8")
        imported = session.call("import_jobs", {"path": str(scratch / "files" / "hostile.json")})
        facts = {
            "resume_id": resume["structuredContent"]["resume_id"],
            "hostile_job_id": imported["structuredContent"]["page"]["jobs"][0]["job_id"],
            "boards": [sample.label for sample in samples],
            "files": scratch / "files",
            "runtime": runtime,
        }
        yield session, facts


def ranking(session: Session, facts: dict) -> tuple[dict, dict]:
    """match_jobs' arguments and result for the sample boards' jobs and the hostile posting."""
    found = session.call("search_jobs", {"query": QUERY, "sources": facts["boards"]})
    job_ids = [job["job_id"] for job in found["structuredContent"]["jobs"]] + [facts["hostile_job_id"]]
    arguments = {"resume_id": facts["resume_id"], "job_ids": job_ids, "top_k": 20}
    return arguments, session.call("match_jobs", arguments)


def pipeline(session: Session, facts: dict, match_result: dict) -> dict:
    """list_applications' result after tracking the best matches (not the hostile one) through the
    pipeline's stages."""
    matches = [
        m for m in match_result["structuredContent"]["matches"] if m["job_id"] != facts["hostile_job_id"]
    ]
    today = date.today().isoformat()
    stages = [
        {
            "status": "interviewing",
            "notes": "second round on Thursday",
            "contact": "Dana Reyes <dana@example.org>",
        },
        {"status": "applied", "follow_up_on": today},
        {"status": "applied"},
        {"status": "saved", "notes": "ask about the team"},
        {"status": "offer"},
        {"status": "rejected"},
        {"status": "saved"},
    ]
    for match, stage in zip(matches, stages, strict=False):
        if stage["status"] not in ("saved", "applied"):  # the way a real one went: saved, applied, then on
            session.call("track_application", {"job_id": match["job_id"], "status": "applied"})
        session.call("track_application", {"job_id": match["job_id"], **stage})
    return session.call("list_applications", {})


class _Handler(BaseHTTPRequestHandler):
    host: ViewHost

    def log_message(self, *args: object) -> None:  # the test output stays readable
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path == "/harness.html":
            self._send(200, HARNESS.read_bytes(), "text/html; charset=utf-8")
        elif url.path == "/bridge.js":
            self._send(200, self.host.bundle.read_bytes(), "text/javascript; charset=utf-8")
        elif url.path == "/view":
            uri = parse_qs(url.query)["uri"][0]
            self._send(200, self.host.session.view_html(uri).encode(), "text/html; charset=utf-8")
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        params = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/read":
            result = self.host.session.read(params["uri"])
        else:
            result = self.host.session.call(params["name"], params.get("arguments") or {})
        self._send(200, json.dumps(result).encode(), "application/json")


class ViewHost:
    """The harness page on 127.0.0.1 with its real session behind /call."""

    def __init__(self, session: Session, bundle: Path) -> None:
        self.session = session
        self.bundle = bundle
        handler = type("Handler", (_Handler,), {"host": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def url(self, uri: str, theme: str = "light", locale: str = "en-US") -> str:
        port = self.server.server_address[1]
        return f"http://127.0.0.1:{port}/harness.html?uri={uri}&theme={theme}&locale={locale}"


def chrome(
    binary: str, driver: str, width: int = 1100, height: int = 900, log: bool = True
) -> webdriver.Chrome:
    """Headless Chromium; `log` keeps the console (tests read its errors; timing runs go without)."""
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}"):  # fmt: skip
        options.add_argument(argument)
    if log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver))


def show(browser: webdriver.Chrome, url: str, tool_input: dict, result: dict, timeout_s: float = 15) -> None:
    """Opens the harness with a view, waits for the view's ui/notifications/initialized, hands it the tool
    input and result, and switches into its frame."""
    browser.switch_to.default_content()
    browser.get(url)
    WebDriverWait(browser, timeout_s).until(
        lambda b: b.execute_script("return window.host && window.host.initialized")
    )
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.host.show(arguments[0], arguments[1]).then(done);",
        tool_input,
        result,
    )
    browser.switch_to.frame(browser.find_element("css selector", "iframe"))


def in_host(browser: webdriver.Chrome, script: str, *args: Any) -> Any:
    """Runs `script` in the host page (window.host is the harness' record), then returns into the view."""
    browser.switch_to.default_content()
    try:
        return browser.execute_script(script, *args)
    finally:
        browser.switch_to.frame(browser.find_element("css selector", "iframe"))


def console_errors(browser: webdriver.Chrome) -> list[dict]:
    """The browser log's errors since the last read (the host page and the view's frame)."""
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
