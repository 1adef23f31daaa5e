"""The interactive views of the MCP Apps extension (`io.modelcontextprotocol/ui`): self-contained HTML
pages (inline CSS and JS, no network) that a host renders in a sandboxed frame for the tools that point
at them (`_meta.ui.resourceUri`). Hosts without Apps get the tools' usual text and structured content.

- Matches (`ui://jobsearch/matches.html`): match_jobs, search_jobs, run_saved_search.
- Tracker (`ui://jobsearch/tracker.html`): list_applications.

Any host speaking the MCP Apps protocol (JSON-RPC 2.0 over `postMessage` between the frame and its
parent window, protocol version 2026-01-26) can host them; `jobsearch-mcp ui` is one. What a view sends:

- request `ui/initialize` {protocolVersion, appInfo, appCapabilities: {}}: it reads `hostContext` from
  the result (`theme` "light"/"dark", `locale` ("zh..." gives Chinese labels), `styles.variables`);
- notification `ui/notifications/initialized` once set up, then `ui/notifications/size-changed`
  {width, height} whenever its size changes;
- request `tools/call` {name, arguments}, expecting a CallToolResult (`structuredContent`, text
  `content`, `isError`): Matches calls track_application {job_id, status: "saved"|"applied"},
  hide_job {job_id, saved_search?} and analyze_fit {resume_id, job_id}; Tracker calls
  track_application {job_id, status} and list_applications {due: true};
- request `ui/open-link` {url} (Matches: the posting);
- request `resources/read` {uri: "resume://{resume_id}"} (Matches, only when the host's capabilities
  include `serverResources`): a resume whose `language` is "zh" gives Chinese labels.

What a view expects from the host: notification `ui/notifications/tool-result` (the CallToolResult of
the tool the view belongs to; `structuredContent` is what it renders), optionally
`ui/notifications/tool-input` and `ui/notifications/host-context-changed` (a partial hostContext);
it answers the requests `ping` and `ui/resource-teardown` with {}. The labels are Chinese when the host's
locale is Chinese or the ranked resume is; without a locale they follow the data's script (Chinese
postings), else the browser's language.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from mcp.server.apps import Apps, ResourceCsp

MATCHES_URI = "ui://jobsearch/matches.html"
TRACKER_URI = "ui://jobsearch/tracker.html"
VIEWS = {
    MATCHES_URI: ("matches", "Job matches", "Ranked jobs with scores, skills and actions"),
    TRACKER_URI: ("tracker", "Applications", "The application pipeline as columns by status"),
}


def ui_meta(uri: str) -> dict[str, dict[str, str]]:
    """The `_meta` of a tool whose results `uri`'s view shows."""
    return {"ui": {"resourceUri": uri}}


@cache
def html(name: str) -> str:
    """The whole page of the view `name` ("matches" or "tracker"), its shared head, CSS and JS inlined."""
    folder = files(__package__)
    page = folder.joinpath(f"{name}.html").read_text(encoding="utf-8")
    shared_parts = (("<!--HEAD-->\n", "head.html"), ("/*BASE_CSS*/", "base.css"), ("/*BRIDGE_JS*/", "bridge.js"))
    for marker, shared in shared_parts:
        page = page.replace(marker, folder.joinpath(shared).read_text(encoding="utf-8"))
    return page


def apps_extension() -> Apps:
    """The Apps extension serving every view; the frames ask for no network, no permissions."""
    apps = Apps()
    for uri, (name, title, description) in VIEWS.items():
        apps.add_html_resource(
            uri,
            html(name),
            name=name,
            title=title,
            description=description,
            csp=ResourceCsp(),
            prefers_border=True,
        )
    return apps
