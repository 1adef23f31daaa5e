"""The `jobsearch-mcp` command: `serve` runs the MCP server; the other commands use the same code."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..config import Settings, load_settings
from ..errors import JobsearchError
from ..logs import setup_logging
from ..runtime import Runtime
from ..tenants import LOCAL_TENANT, TENANT_NAME, acting_as
from .commands import add_commands, quiet_logs
from .watch import add_watch_commands

log = logging.getLogger("jobsearch_mcp_server")


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from ..server import build_server
    from ..transports import check_bind, run

    if settings.transport != "stdio":
        check_bind(settings)  # before opening anything, so a refused start leaves no trace
    runtime = Runtime(settings)
    try:
        server = build_server(runtime)
        if settings.transport != "stdio":
            runtime.warm()  # many clients: none of them waits for the services' first build
        run(server, settings)
    except KeyboardInterrupt:
        pass
    finally:
        runtime.close()
    return 0


def _ui(args: argparse.Namespace, settings: Settings) -> int:
    from ..server import build_server
    from ..transports import check_bind
    from ..ui.app import run_ui

    check_bind(settings)  # before opening anything, so a refused start leaves no trace
    runtime = Runtime(settings)
    try:
        run_ui(build_server(runtime), settings, port=args.ui_port, open_browser=args.open)
    except KeyboardInterrupt:
        pass
    finally:
        runtime.close()
    return 0


def _doctor(args: argparse.Namespace, settings: Settings) -> int:
    """Exit code 1 when the configured OpenAI-compatible LLM cannot answer."""
    import asyncio

    from ..llm.status import check_setup

    status = asyncio.run(check_setup(settings))
    print(status.model_dump_json(indent=2) if args.json else "\n".join(status.lines()))
    return 1 if settings.llm_backend == "openai-compatible" and not status.llm_ready else 0


def _login(args: argparse.Namespace, settings: Settings) -> int:
    from ..sources.login import run_login

    if not TENANT_NAME.fullmatch(args.tenant):
        raise JobsearchError(f"--tenant: {args.tenant!r} is not a tenant name of JOBSEARCH_TOKENS_FILE")
    with acting_as(args.tenant):
        profile = run_login(settings, args.source)
    print(f"Saved the signed-in browser profile in {profile}; searches of {args.source} use it from now on.")
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    quiet_logs(args)
    from .demo import run_demo

    return run_demo(settings, args.data_dir or os.environ.get("JOBSEARCH_DATA_DIR"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobsearch-mcp",
        description="A private job-search assistant as an MCP server. With no command, serves on stdio.",
    )
    parser.add_argument("--version", action="version", version=f"jobsearch-mcp {__version__}")
    parser.add_argument("--env-file", default=".env", help="a .env file to read settings from (default: ./.env)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING or ERROR (env JOBSEARCH_LOG_LEVEL)")
    parser.add_argument("--data-dir", help="where the database and profiles live (env JOBSEARCH_DATA_DIR)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the MCP server (stdio by default)")
    serve.add_argument("--transport", help="stdio, sse or streamable-http (env JOBSEARCH_TRANSPORT)")
    serve.add_argument("--host", help="address for sse / streamable-http (env JOBSEARCH_HOST, default 127.0.0.1)")
    serve.add_argument("--port", help="port for sse / streamable-http (env JOBSEARCH_PORT, default 8000)")
    serve.set_defaults(handler=_serve)

    ui = commands.add_parser(
        "ui",
        help="the match and tracker views in a local web page (for MCP hosts that render no apps); "
        "prints its address, which carries this launch's key",
    )
    ui.add_argument("--open", action="store_true", help="open the page in the default browser")
    ui.add_argument(
        "--host",
        help="address to listen on (env JOBSEARCH_HOST, default 127.0.0.1; another needs JOBSEARCH_AUTH_TOKEN)",
    )
    ui.add_argument(
        "--port", dest="ui_port", type=int, default=0, help="port to listen on (default: a free one, printed)"
    )
    ui.set_defaults(handler=_ui)

    doctor = commands.add_parser("doctor", help="check the LLM endpoint, model, embeddings and browser")
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")
    doctor.set_defaults(handler=_doctor)

    login = commands.add_parser("login", help="sign in to a job board in a visible browser, e.g. `login zhipin`")
    login.add_argument("source", help="the board: zhipin or zhaopin (needed for their search) or linkedin")
    login.add_argument(
        "--tenant",
        default=LOCAL_TENANT,
        help="sign in for this tenant of JOBSEARCH_TOKENS_FILE (default: local)",
    )
    login.set_defaults(handler=_login)

    add_commands(commands)  # search, match, parse-resume, check-boards
    add_watch_commands(commands)  # save-search, watch, export

    demo = commands.add_parser(
        "demo",
        help="offline demo: saved real job pages on a local site, a sample resume, headless Chromium, ranked "
        "matches (a temporary data dir unless --data-dir or JOBSEARCH_DATA_DIR is given)",
    )
    demo.set_defaults(handler=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", _serve)
    overrides = {
        "log_level": args.log_level,
        "data_dir": args.data_dir,
        "transport": getattr(args, "transport", None),
        "host": getattr(args, "host", None),
        "port": getattr(args, "port", None),
    }
    try:
        settings = load_settings(args.env_file, **overrides)
        setup_logging(settings.log_level)
        return handler(args, settings)
    except JobsearchError as exc:
        print(f"jobsearch-mcp: error: {exc}", file=sys.stderr)
        return 2
