"""智联招聘 (zhaopin.com), read in a headless browser with the profile `jobsearch-mcp login zhaopin` signed in.

A search page (`sou.zhaopin.com/?jl=<city code>&kw=<words>&p=1`) carries its results in the page state
`__INITIAL_STATE__` (a JSON object in a script): `positionList` with name, company, `salary60` ("1.1万-1.5万",
"30-50/天"), city and district, experience, degree, skills, benefits and publish time. A job's page
(`jobs.zhaopin.com/<number>.htm`) has `jobInfo.jobDetail.detailedPosition` with the description. The state
says when the visitor must sign in (`isLogged` false and no results) or pass a verification
(`isVerification`), which raise `LoginRequiredError` and `BlockedError`.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from ..errors import BlockedError, LoginRequiredError, SourceError
from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job, Salary
from ..jobs.salary import parse_salary
from ..jobs.text import html_to_markdown
from ..workers import off_loop
from .base import SearchQuery, Source, SourceContext
from .pages import raise_for_bot_wall, unique_jobs, with_details

# The `jl=` codes of the cities searched most; other places go into the keywords.
CITY_CODES = {
    "全国": "489", "北京": "530", "上海": "538", "广州": "763", "深圳": "765", "杭州": "653", "成都": "801",
    "南京": "635", "武汉": "736", "西安": "854", "苏州": "639", "天津": "531", "重庆": "551", "长沙": "749",
    "beijing": "530", "shanghai": "538", "guangzhou": "763", "shenzhen": "765", "hangzhou": "653",
    "chengdu": "801", "nanjing": "635", "wuhan": "736",
}  # fmt: skip
_STATE = re.compile(r"__INITIAL_STATE__\s*=\s*")
_LOGIN_HINT = "智联招聘 shows its results only to signed-in visitors: run `jobsearch-mcp login zhaopin` once"
WAIT_CSS = "script, .joblist-box__item, .positionlist"


def page_state(html: str, url: str) -> dict[str, Any]:
    """The page's `__INITIAL_STATE__` object; a bot wall or a page without one raises `SourceError`."""
    found = _STATE.search(html)
    if found is None:
        raise_for_bot_wall(html, url)
        raise SourceError(f"{url} has no 智联招聘 page state (__INITIAL_STATE__): the site may have changed")
    try:
        state, _ = json.JSONDecoder().raw_decode(html, found.end())
    except json.JSONDecodeError as exc:
        raise SourceError(f"the page state of {url} is not readable JSON ({exc})") from None
    if not isinstance(state, dict):
        raise SourceError(f"the page state of {url} is not an object")
    return state


def parse_search_state(state: dict[str, Any]) -> list[Job]:
    """The jobs of a search page's state; a sign-in or verification wall raises."""
    if state.get("isVerification"):
        raise BlockedError("智联招聘 asks for a verification (slider or captcha); try again later")
    positions = state.get("positionList")
    if not isinstance(positions, list):
        raise SourceError("智联招聘's page state has no positionList: the site may have changed")
    if not positions and state.get("isLogged") is False:
        raise LoginRequiredError(_LOGIN_HINT)
    return unique_jobs(
        _job(raw) for raw in positions if isinstance(raw, dict) and raw.get("name") and raw.get("number")
    )


def parse_search(html: str, url: str) -> list[Job]:
    return parse_search_state(page_state(html, url))


def _labels(items: Any) -> list[str]:
    return [item.get("value") for item in items or [] if isinstance(item, dict) and item.get("value")]


def _salary(text: str | None) -> Salary | None:
    return parse_salary(text, default_currency="CNY") if text else None


def _job(raw: dict[str, Any]) -> Job:
    place = "·".join(
        part for part in (raw.get("workCity"), raw.get("cityDistrict"), raw.get("streetName")) if part
    )
    return build_job(
        source="zhaopin",
        source_id=raw["number"],
        title=raw["name"],
        company=raw.get("companyName"),
        location=place or None,
        remote=True if raw.get("canRemoteInternship") else None,
        salary=_salary(raw.get("salary60")),
        employment_type=raw.get("workType"),
        posted_at=parse_posted(raw.get("publishTime")),
        url=raw.get("positionURL") or raw.get("positionUrl"),
        tags=[
            raw.get("workingExp"),
            raw.get("education"),
            *_labels(raw.get("skillLabel")),
            *_labels(raw.get("welfareLabel")),
        ],
    )


def parse_job_state(state: dict[str, Any], url: str) -> Job:
    """One posting from a job page's state (`jobInfo.jobDetail.detailedPosition`)."""
    detail = (
        ((state.get("jobInfo") or {}).get("jobDetail") or {})
        if isinstance(state.get("jobInfo"), dict)
        else {}
    )
    position = detail.get("detailedPosition") if isinstance(detail, dict) else None
    if not isinstance(position, dict) or not position.get("positionName"):
        raise SourceError(f"{url} holds no 智联招聘 job posting (it may have been closed)")
    place = "·".join(p for p in (position.get("positionWorkCity"), position.get("positionCityDistrict")) if p)
    return build_job(
        source="zhaopin",
        source_id=position.get("positionNumber") or state.get("jobNumber") or url,
        title=position["positionName"],
        company=position.get("companyName"),
        location=place or None,
        salary=_salary(position.get("salary60")),
        employment_type=position.get("workType") or position.get("emplType"),
        posted_at=parse_posted(position.get("positionPublishTime") or position.get("publishTime")),
        url=position.get("positionUrl") or url,
        description=html_to_markdown(position.get("jobDescPC") or position.get("jobDesc")),
        tags=[
            position.get("positionWorkingExp"),
            position.get("education"),
            *_labels(position.get("skillLabel")),
        ],
    )


def parse_job(html: str, url: str) -> Job:
    return parse_job_state(page_state(html, url), url)


class ZhaopinSource(Source):
    name = "zhaopin"
    kind = "browser"
    default_base_url = "https://sou.zhaopin.com"
    requires_login = True
    login_url = "/"  # the search page's 登录 button opens the sign-in (QR code, SMS)

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        params = {"kw": query.query, "p": "1"}
        if query.location:
            code = CITY_CODES.get(query.location.strip().lower()) or CITY_CODES.get(query.location.strip())
            if code:
                params["jl"] = code
            else:
                params["kw"] = f"{query.query} {query.location}".strip()
        page = await ctx.fetch_page(
            f"{ctx.base_url(self)}/?{urlencode(params)}", wait_css=WAIT_CSS, profile=self.name
        )
        jobs = await off_loop(parse_search, page.html, page.url)
        if query.remote_only:
            jobs = [job for job in jobs if job.remote is not False]
        return jobs[: query.limit]

    async def details(self, job: Job, ctx: SourceContext) -> Job:
        if not job.url:
            raise SourceError(f"{job.title!r} has no 智联招聘 job page to read")
        page = await ctx.fetch_page(job.url, wait_css="script", profile=self.name)
        return with_details(job, await off_loop(parse_job, page.html, page.url))
