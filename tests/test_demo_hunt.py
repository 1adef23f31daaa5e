"""The demo's second act against the demo's own board site: the next day shows only the new posting."""

from __future__ import annotations

import io

import pytest

from jobsearch_mcp_server.cli.demo_hunt import NEW_POSTING, greenhouse_day_two, second_act
from jobsearch_mcp_server.cli.tables import StderrProgress
from jobsearch_mcp_server.config import load_settings
from jobsearch_mcp_server.demo.site import BoardSite, board_samples
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.sources.base import SearchQuery

pytestmark = pytest.mark.anyio
SOURCES = ("greenhouse:brightwave", "remotive")


async def test_day_two_shows_only_the_new_posting(tmp_path):
    samples = [sample for sample in board_samples() if sample.board in ("greenhouse", "remotive")]
    with BoardSite(samples) as site:
        settings = load_settings(
            env_file=None, data_dir=str(tmp_path / "data"), llm_backend="none", min_request_interval_s=0,
            allow_private_urls="127.0.0.1", board_base_urls=site.base_urls(),
        )  # fmt: skip
        runtime = Runtime(settings)
        try:
            day_one = await runtime.search.search(SearchQuery(query="data scientist"), list(SOURCES))
            assert day_one.total >= 2
            out = io.StringIO()
            progress = StderrProgress(io.StringIO())
            run = await second_act(
                runtime,
                day_one.search_id,
                "data scientist",
                SOURCES,
                greenhouse_day_two(site, tmp_path),
                progress,
                out,
            )
        finally:
            await runtime.search.aclose()
            runtime.close()
    assert [job.title for job in run.jobs] == [NEW_POSTING["title"]]
    assert run.already_seen == day_one.total  # the repost under a new id is among them
    text = out.getvalue()
    assert "shows only the new (1)" in text and NEW_POSTING["title"] in text
    assert "Claims" not in text and "Pricing" not in text  # yesterday's data scientist jobs
