"""The MCP Apps views' size and load time in headless Chromium, under the official host bridge.

Size: the HTML resource a host reads (resources/read), goal under 150 KB each. Load time: from the host
setting the frame's document to the view's `ui/notifications/initialized`, plus from the host sending the
tool result to the view's first `ui/notifications/size-changed` after it (the view has rendered it),
timed by the host page itself (performance.now); goal under 300 ms. The results are real: match_jobs over
the demo's sample boards for the sample resume, and list_applications of a small pipeline.

    uv run python bench/views.py [--runs 15]     # needs MCP_APPS_BRIDGE_JS (.ci/run builds the bundle)
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from jobsearch_mcp_server.views import MATCHES_URI, TRACKER_URI
from views_host import ViewHost, bench_tools, chrome, demo_session, pipeline, ranking, show

MAX_KB = 150
MAX_LOAD_MS = 300


def load_ms(browser, url: str, tool_input: dict, result: dict) -> tuple[float, float]:
    """(frame document set -> initialized, tool result sent -> rendered), in ms."""
    show(browser, url, tool_input, result)
    browser.switch_to.default_content()
    WebDriverWait(browser, 20).until(
        lambda b: b.execute_script("return window.host.sizes.some((s) => s.at > window.host.resultSentAt)")
    )
    return browser.execute_script(
        "const h = window.host; const drawn = h.sizes.find((s) => s.at > h.resultSentAt).at;"
        "return [h.initializedAt - h.loadStart, drawn - h.resultSentAt];"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="loads per view (the median is reported)")
    args = parser.parse_args()
    tools = bench_tools()
    if tools is None:
        return 2
    bundle, binary, driver = tools
    failed = False
    with demo_session() as (session, facts), ViewHost(session, bundle) as host:
        arguments, matches = ranking(session, facts)
        applications = pipeline(session, facts, matches)
        browser = chrome(binary, driver, log=False)
        try:
            print(f"medians of {args.runs} loads; load = initialized + rendered")
            print(
                f"{'view':<10} {'size':>9} {'initialized':>12} {'rendered':>10} {'load':>9} {'load p90':>9}"
            )
            for uri, tool_input, result in (
                (MATCHES_URI, arguments, matches),
                (TRACKER_URI, {}, applications),
            ):
                size_kb = len(session.view_html(uri).encode()) / 1024
                runs = [load_ms(browser, host.url(uri), tool_input, result) for _ in range(args.runs)]
                totals = sorted(init + drawn for init, drawn in runs)
                median = statistics.median(totals)
                p90 = totals[min(len(totals) - 1, int(len(totals) * 0.9))]
                init = statistics.median(run[0] for run in runs)
                drawn = statistics.median(run[1] for run in runs)
                name = uri.rsplit("/", 1)[-1].removesuffix(".html")
                print(
                    f"{name:<10} {size_kb:>6.1f} KB {init:>9.1f} ms {drawn:>7.1f} ms "
                    f"{median:>6.1f} ms {p90:>6.1f} ms"
                )
                failed |= size_kb >= MAX_KB or median >= MAX_LOAD_MS
        finally:
            browser.quit()
    print(
        f"goals: each view under {MAX_KB} KB and loading in under {MAX_LOAD_MS} ms: "
        + ("missed" if failed else "met")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
