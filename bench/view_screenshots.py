"""Screenshots of the MCP Apps views, light and dark, for the README (docs/images/view-*.png).

Each view is rendered by headless Chromium inside the official host bridge's harness (tests/views_host.py),
showing real results: match_jobs over the demo's sample boards for the sample resume, and
list_applications after tracking some of those jobs through the pipeline.

    uv run python bench/view_screenshots.py [--out docs/images]   # needs MCP_APPS_BRIDGE_JS (see .ci/run)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from jobsearch_mcp_server.views import MATCHES_URI, TRACKER_URI
from views_host import ViewHost, bench_tools, chrome, demo_session, pipeline, ranking, show


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    tools = bench_tools()
    if tools is None:
        return 2
    bundle, binary, driver = tools
    args.out.mkdir(parents=True, exist_ok=True)
    with demo_session() as (session, facts), ViewHost(session, bundle) as host:
        arguments, matches = ranking(session, facts)
        applications = pipeline(session, facts, matches)
        views = {
            "matches": (MATCHES_URI, arguments, matches, "article.job", (1000, 900)),
            "tracker": (TRACKER_URI, {}, applications, ".card", (1200, 520)),
        }
        for name, (uri, tool_input, result, drawn, (width, height)) in views.items():
            browser = chrome(binary, driver, width=width, height=height, log=False)
            try:
                for theme in ("light", "dark"):
                    show(browser, host.url(uri, theme=theme), tool_input, result)
                    WebDriverWait(browser, 20).until(
                        lambda b, drawn=drawn: b.find_elements(By.CSS_SELECTOR, drawn)
                    )
                    if (
                        name == "tracker"
                    ):  # the due follow-ups come from the view's own list_applications call
                        WebDriverWait(browser, 20).until(
                            lambda b: b.find_elements(By.CSS_SELECTOR, ".card.due")
                        )
                    browser.switch_to.default_content()
                    path = args.out / f"view-{name}-{theme}.png"
                    browser.save_screenshot(str(path))
                    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
            finally:
                browser.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
