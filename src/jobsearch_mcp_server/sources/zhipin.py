"""BOSS直聘 (zhipin.com), read in a headless browser with the profile `jobsearch-mcp login zhipin` signed in.

The site shows its search results (`/web/geek/job?query=&city=`) to signed-in visitors; others get
the login page or a security check, which raise `LoginRequiredError` telling the person to run
`jobsearch-mcp login zhipin` once. A slider captcha or the "too many visits" notice raise
`BlockedError`. A search first asks the JSON API the result page itself calls
(`/wapi/zpgeek/search/joblist.json`: experience, degree, district, skills and benefits per job), in the
signed-in profile; when that answer is not usable (the API wants the page's security token, code 37) the
result page is read instead: `li.job-card-box` cards, or the older `li.job-card-wrapper` ones. A job's page
is `/job_detail/<id>.html`, whose description carries watermark spans ("BOSS直聘") that are removed.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urljoin, urlsplit

from ..errors import BlockedError, LoginRequiredError, SourceError
from ..jobs.build import build_job
from ..jobs.models import Job, Salary
from ..jobs.salary import parse_salary
from ..jobs.text import detect_employment_type, detect_remote, html_to_markdown
from ..workers import off_loop
from .base import SearchQuery, Source, SourceContext
from .pages import parse_html, raise_for_bot_wall, text_of, unique_jobs, with_details

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag  # BeautifulSoup loads with the first page parsed

# City codes of the site's `city=` parameter for the cities searched most; other locations go into the query.
CITY_CODES = {
    "全国": "100010000", "北京": "101010100", "上海": "101020100", "广州": "101280100", "深圳": "101280600",
    "杭州": "101210100", "成都": "101270100", "南京": "101190100", "武汉": "101200100", "西安": "101110100",
    "苏州": "101190400", "天津": "101030100", "重庆": "101040100", "长沙": "101250100", "厦门": "101230200",
    "beijing": "101010100", "shanghai": "101020100", "guangzhou": "101280100", "shenzhen": "101280600",
    "hangzhou": "101210100", "chengdu": "101270100", "nanjing": "101190100", "wuhan": "101200100",
}  # fmt: skip
_JOB_ID = re.compile(r"/job_detail/([^/.?]+)\.html")
_WATERMARKS = ("BOSS直聘", "来自BOSS直聘", "直聘")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # the site's obfuscated salary font, unreadable as text
_LOGIN_HINT = "BOSS直聘 shows its results only to signed-in visitors: run `jobsearch-mcp login zhipin` once"
WAIT_CSS = "li.job-card-box, li.job-card-wrapper, .sign-form, a[ka=header-login], .job-empty-wrapper, .wrap-verify-slider"
JOBLIST_PATH = "/wapi/zpgeek/search/joblist.json"
PAGE_SIZE = 30


def _raise_for_walls(soup: BeautifulSoup, html: str, url: str) -> None:
    path = urlsplit(url).path
    if "verify-slider" in path or soup.select_one(".wrap-verify-slider") or "访问过于频繁" in html:
        raise BlockedError(
            "BOSS直聘 asks for a slider captcha or says there were too many visits; try again later"
        )
    if path.startswith("/web/user") or "security-check" in path or soup.select_one(".sign-form"):
        raise LoginRequiredError(_LOGIN_HINT)
    raise_for_bot_wall(html, url)


def parse_search(html: str, base_url: str) -> list[Job]:
    """The job cards of a result page; a login wall or security check raises `LoginRequiredError`."""
    soup = parse_html(html)
    _raise_for_walls(soup, html, base_url)
    cards = soup.select("li.job-card-box, li.job-card-wrapper")
    if not cards and soup.select_one("a[ka=header-login]"):
        raise LoginRequiredError(_LOGIN_HINT)
    jobs = [job for card in cards if (job := _card_job(card, base_url))]
    return unique_jobs(jobs)


def _card_job(card: Tag, base_url: str) -> Job | None:
    link = card.select_one("a.job-name, a.job-card-left")  # today's cards, and the 2024 ones
    href = str(link.get("href", "")) if link else ""
    match = _JOB_ID.search(href)
    title = text_of(card.select_one(".job-name"))
    if not match or not title:
        return None
    salary_text = text_of(card.select_one(".job-salary, .salary"))
    location = text_of(card.select_one(".company-location, .job-area"))
    tags = [tag for li in card.select("ul.tag-list li") if (tag := text_of(li))]
    return build_job(
        source="zhipin",
        source_id=match.group(1),
        title=title,
        company=text_of(card.select_one(".boss-name, .company-name")),
        location=location,
        remote=detect_remote(title, location),
        salary=_salary(salary_text),
        url=urljoin(base_url, href),
        tags=tags,
    )


def joblist_payload(html: str) -> dict[str, Any] | None:
    """The JSON of a joblist.json answer as the browser shows it (inside `<pre>`), or None for a page."""
    soup = parse_html(html)
    node = soup.find("pre") or soup.body
    try:
        payload = json.loads(node.get_text() if node is not None else html)
    except (json.JSONDecodeError, TypeError):
        return None
    return payload if isinstance(payload, dict) and "code" in payload else None


def parse_joblist(payload: dict[str, Any], base_url: str) -> list[Job]:
    """The jobs of a `/wapi/zpgeek/search/joblist.json` answer with code 0."""
    data = payload.get("zpData")
    records = data.get("jobList") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise SourceError("BOSS直聘 answered its job list without zpData.jobList: the API may have changed")
    return unique_jobs(
        _listed_job(raw, base_url) for raw in records if raw.get("encryptJobId") and raw.get("jobName")
    )


def _listed_job(raw: dict[str, Any], base_url: str) -> Job:
    place = "·".join(
        part for part in (raw.get("cityName"), raw.get("areaDistrict"), raw.get("businessDistrict")) if part
    )
    return build_job(
        source="zhipin",
        source_id=raw["encryptJobId"],
        title=raw["jobName"],
        company=raw.get("brandName"),
        location=place or None,
        remote=detect_remote(raw["jobName"], place),
        salary=_salary(raw.get("salaryDesc")),
        url=urljoin(base_url + "/", f"job_detail/{raw['encryptJobId']}.html"),
        tags=[
            *(raw.get("jobLabels") or []),
            *(raw.get("skills") or []),
            raw.get("brandIndustry"),
            *(raw.get("welfareList") or []),
        ],
    )


def _salary(text: str | None) -> Salary | None:
    if not text or _PRIVATE_USE.search(text):
        return None
    return parse_salary(text, default_currency="CNY")


def parse_job(html: str, url: str) -> Job:
    """One posting from its `/job_detail/<id>.html` page, watermarks removed from the description."""
    soup = parse_html(html)
    _raise_for_walls(soup, html, url)
    title = text_of(soup.select_one(".job-primary .name h1, .info-primary .name h1"))
    description = soup.select_one(".job-detail-info .job-sec-text, .job-sec-text:not(.fold-text)")
    if not title or description is None:
        raise SourceError(f"{url} holds no BOSS直聘 job posting (it may have been closed)")
    for span in description.find_all("span"):
        if span.get_text(strip=True) in _WATERMARKS:
            span.decompose()
    match = _JOB_ID.search(urlsplit(url).path)
    source_id = match.group(1) if match else url
    company = next(
        (name for link in soup.select("a[ka^=job-detail-company]") if (name := text_of(link))), None
    )
    city = text_of(soup.select_one(".text-city"))
    markdown = html_to_markdown(description.decode_contents())
    return build_job(
        source="zhipin",
        source_id=source_id,
        title=title,
        company=company,
        location=city,
        remote=detect_remote(title, markdown),
        salary=_salary(text_of(soup.select_one(".info-primary .salary, .job-primary .salary"))),
        employment_type=detect_employment_type(title, markdown),
        url=url,
        description=markdown,
        tags=[
            tag
            for node in soup.select(".job-keyword-list li, .text-experiece, .text-degree")
            if (tag := text_of(node))
        ],
    )


class ZhipinSource(Source):
    name = "zhipin"
    kind = "browser"
    default_base_url = "https://www.zhipin.com"
    requires_login = True
    login_url = "/web/user/?ka=header-login"

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        base = ctx.base_url(self)
        keywords = query.query
        params = {"query": keywords}
        if query.location:
            code = CITY_CODES.get(query.location.strip().lower()) or CITY_CODES.get(query.location.strip())
            if code:
                params["city"] = code
            else:
                params["query"] = f"{keywords} {query.location}"
        api = await ctx.fetch_page(
            f"{base}{JOBLIST_PATH}?{urlencode({**params, 'page': '1', 'pageSize': str(PAGE_SIZE)})}",
            profile=self.name,
        )
        payload = joblist_payload(api.html)
        if payload is not None and payload.get("code") == 0:
            jobs = await off_loop(parse_joblist, payload, base)
        elif payload is not None and "登录" in str(payload.get("message")):  # "当前登录状态已失效"
            raise LoginRequiredError(_LOGIN_HINT)
        else:
            page = await ctx.fetch_page(
                f"{base}/web/geek/job?{urlencode(params)}", wait_css=WAIT_CSS, profile=self.name
            )
            jobs = await off_loop(parse_search, page.html, page.url)
        if query.remote_only:
            jobs = [job for job in jobs if job.remote]
        return jobs[: query.limit]

    async def details(self, job: Job, ctx: SourceContext) -> Job:
        page = await ctx.fetch_page(
            f"{ctx.base_url(self)}/job_detail/{job.source_id}.html",
            wait_css=".job-sec-text",
            profile=self.name,
        )
        return with_details(job, await off_loop(parse_job, page.html, page.url))
