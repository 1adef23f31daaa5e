"""`jobsearch-mcp ui` (the real command line) with the test view of tests/ui_views bound to the tools
the page's navigation opens, for the host page's tests: `python tests/ui_view_server.py [ARGS...]`."""

from __future__ import annotations

import sys
from pathlib import Path

from mcp.server.apps import APP_MIME_TYPE
from mcp.server.mcpserver.resources import TextResource

from jobsearch_mcp_server import server
from jobsearch_mcp_server.cli.main import main

VIEW_URI = "ui://tests/board.html"
BOUND_TOOLS = ("run_saved_search", "list_applications")
build_server = server.build_server


def build_with_test_view(runtime):
    mcp = build_server(runtime)
    html = (Path(__file__).parent / "ui_views" / "board.html").read_text(encoding="utf-8")
    mcp.add_resource(TextResource(uri=VIEW_URI, name="test board", mime_type=APP_MIME_TYPE, text=html))
    for name in BOUND_TOOLS:  # what Apps.tool(resource_uri=...) stamps on a tool
        mcp._tool_manager.get_tool(name).meta = {"ui": {"resourceUri": VIEW_URI}}
    return mcp


server.build_server = build_with_test_view
sys.exit(main(sys.argv[1:]))
