"""Parse time per 100 postings for every board, on the real saved answers in ../shared/data/boards.

Each board's answer (see ../shared/data/boards/SOURCES.md for where each file comes from; Greenhouse has
none there) has its postings replicated to 100 (same JSON or XML shape, ids made unique), then parsed with
the board's own parser.
The HTML boards are parsed from their page: the BOSS直聘 saved search page's cards, and 智联招聘's page
state. Printed: median milliseconds per 100 postings over 5 runs, and what one posting costs.

Run: uv run python bench/board_parse.py
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from bs4 import BeautifulSoup

from jobsearch_mcp_server.sources import zhaopin, zhipin
from jobsearch_mcp_server.sources.ashby import parse_ashby
from jobsearch_mcp_server.sources.bamboohr import parse_bamboohr
from jobsearch_mcp_server.sources.lever import parse_lever
from jobsearch_mcp_server.sources.personio import parse_personio
from jobsearch_mcp_server.sources.recruitee import parse_recruitee
from jobsearch_mcp_server.sources.smartrecruiters import parse_smartrecruiters
from jobsearch_mcp_server.sources.teamtailor import parse_teamtailor
from jobsearch_mcp_server.sources.workable import parse_workable
from jobsearch_mcp_server.sources.workday import parse_workday

DATA = Path(os.environ.get("JOBSEARCH_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
BOARDS = DATA / "boards"
POSTINGS = 100
RUNS = 5


def load(relative: str) -> object:
    return json.loads((BOARDS / relative).read_text(encoding="utf-8"))


def hundred(payload: object, key: str | None, id_key: str) -> object:
    """The answer with its list (at `key`, or the payload itself) cycled to 100 postings with unique ids."""
    records = payload if key is None else payload[key]
    many = []
    for index in range(POSTINGS):
        record = copy.deepcopy(records[index % len(records)])
        record[id_key] = f"{record[id_key]}-{index}"
        many.append(record)
    if key is None:
        return many
    return {**payload, key: many}


def personio_hundred() -> str:
    root = ElementTree.fromstring((BOARDS / "personio/positions.xml").read_bytes())
    positions = root.findall("position")
    for position in positions:
        root.remove(position)
    for index in range(POSTINGS):
        position = copy.deepcopy(positions[index % len(positions)])
        position.find("id").text = f"{position.findtext('id').strip()}-{index}"
        root.append(position)
    return ElementTree.tostring(root, encoding="unicode")


def zhipin_page_hundred() -> str:
    """The saved search page (a WebDriver log line, JSON-escaped and hard-wrapped) with 100 cards."""
    text = (BOARDS / "zhipin/tmp.html").read_text(encoding="utf-8").replace("\n", "")
    soup = BeautifulSoup(json.loads("{" + text[: text.rindex('"} | headers=') + 2])["value"], "html.parser")
    cards = soup.select("li.job-card-wrapper")
    parent = cards[0].parent
    for card in cards:
        card.extract()
    for index in range(POSTINGS):
        card = copy.copy(cards[index % len(cards)])
        link = card.select_one("a.job-card-left")
        link["href"] = link["href"].replace(".html", f"-{index}.html", 1)
        parent.append(card)
    return str(soup)


def zhaopin_page_hundred() -> str:
    state = load("china_other/zhilian_structure.json")
    state = hundred(state, "positionList", "number")
    return f"<html><body><script>__INITIAL_STATE__={json.dumps(state, ensure_ascii=False)}</script></body></html>"


def cases() -> dict[str, tuple[str, Callable[[], object]]]:
    """Board -> (the file it reads, a parse of 100 postings)."""
    workday = hundred(load("workday/workday_nvidia.json"), "jobPostings", "externalPath")
    smart = hundred(load("smartrecruiters/smartrecruiters_wd.json"), "content", "id")
    recruitee = hundred(load("recruitee/recruitee.json"), "offers", "id")
    workable = hundred(load("workable/workable_account.json"), "jobs", "shortcode")
    personio = personio_hundred()
    teamtailor = hundred(load("teamtailor/teamtailor_leaseweb_jobs.json"), "items", "id")
    bamboo = hundred(load("bamboohr/bamboohr_jobs.json"), "result", "id")
    lever = hundred(load("lever/lever_palantir.json"), None, "id")
    ashby = hundred(load("ashby/ashby_etched.json"), "jobs", "id")
    joblist = load("zhipin/joblist.json")
    joblist = {**joblist, "zpData": hundred(joblist["zpData"], "jobList", "encryptJobId")}
    zhipin_page = zhipin_page_hundred()
    zhaopin_page = zhaopin_page_hundred()
    return {
        "workday": ("workday_nvidia.json", lambda: parse_workday(workday, company="nvidia.wd5/NVIDIAExternalCareerSite")),
        "smartrecruiters": ("smartrecruiters_wd.json", lambda: parse_smartrecruiters(smart, company="WesternDigital")),
        "recruitee": ("recruitee.json", lambda: parse_recruitee(recruitee, company="aikidosecurity")),
        "workable": ("workable_account.json", lambda: parse_workable(workable, company="crewai")),
        "personio": ("positions.xml", lambda: parse_personio(personio, company="demo")),
        "teamtailor": ("teamtailor_leaseweb_jobs.json", lambda: parse_teamtailor(teamtailor, company="leaseweb")),
        "bamboohr": ("bamboohr_jobs.json", lambda: parse_bamboohr(bamboo, company="edmonton")),
        "lever": ("lever_palantir.json", lambda: parse_lever(lever, company="palantir")),
        "ashby": ("ashby_etched.json", lambda: parse_ashby(ashby, company="etched")),
        "zhipin (joblist.json)": ("joblist.json", lambda: zhipin.parse_joblist(joblist, "https://www.zhipin.com")),
        "zhipin (search page)": ("tmp.html", lambda: zhipin.parse_search(zhipin_page, "https://www.zhipin.com/web/geek/job")),
        "zhaopin (page state)": ("zhilian_structure.json", lambda: zhaopin.parse_search(zhaopin_page, "https://sou.zhaopin.com/")),
    }  # fmt: skip


def main() -> None:
    if not BOARDS.exists():
        raise SystemExit(f"needs the shared board answers at {BOARDS} (../shared/data/boards)")
    print(f"Parse time per {POSTINGS} postings, median of {RUNS} runs (real answers replicated to {POSTINGS}):")
    print(f"{'board':<24}{'answer':<32}{'ms / 100':>10}{'ms / posting':>14}")
    for board, (name, parse) in cases().items():
        jobs = parse()
        assert len(jobs) == POSTINGS, (board, len(jobs))
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            parse()
            times.append(time.perf_counter() - started)
        median_ms = statistics.median(times) * 1000
        print(f"{board:<24}{name:<32}{median_ms:>10.1f}{median_ms / POSTINGS:>14.2f}")


if __name__ == "__main__":
    main()
