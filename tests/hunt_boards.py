"""Two job boards on a local site whose postings a test changes from one day to the next.

The postings are written for these tests (fictional companies), in the real answer formats of Remotive
(`/api/remote-jobs`) and RemoteOK (`/api`, a legal notice first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from mcp.client import Client

from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server
from scripted_site import Reply, ScriptedSite


@dataclass(frozen=True)
class Posting:
    board_id: str
    title: str
    company: str
    topic: str  # what its text is about: two postings with one topic have near-identical texts

    @property
    def text(self) -> str:
        return " ".join(
            f"<p>At {self.company} you will work on {self.topic}, stage {n}, with a small team that ships weekly.</p>"
            for n in range(6)
        )


def remotive(postings: list[Posting]) -> Reply:
    jobs = [
        {
            "id": int(p.board_id), "title": p.title, "company_name": p.company, "url": f"https://remotive.example/{p.board_id}",
            "candidate_required_location": "Worldwide", "job_type": "full_time",
            "publication_date": date.today().isoformat() + "T08:00:00", "description": p.text,
        }
        for p in postings
    ]  # fmt: skip
    return Reply.json(json.dumps({"0-legal-notice": "fictional", "job-count": len(jobs), "jobs": jobs}))


def remoteok(postings: list[Posting]) -> Reply:
    jobs = [
        {
            "id": p.board_id, "position": p.title, "company": p.company, "location": "Worldwide",
            "url": f"https://remoteok.example/remote-jobs/{p.board_id}", "date": date.today().isoformat() + "T08:00:00",
            "description": p.text, "tags": ["robotics"],
        }
        for p in postings
    ]  # fmt: skip
    return Reply.json(json.dumps([{"legal": "fictional"}, *jobs]))


def serve(
    site: ScriptedSite, remotive_postings: list[Posting], remoteok_postings: list[Posting] | None
) -> None:
    """Today's answers: `None` for RemoteOK means it blocks (403)."""
    site.route("/remotive/api/remote-jobs", remotive(remotive_postings))
    blocked = Reply(403, "Forbidden", content_type="text/plain")
    site.route("/remoteok/api", blocked if remoteok_postings is None else remoteok(remoteok_postings))


def board_env(site: ScriptedSite) -> dict[str, str]:
    return {
        "JOBSEARCH_REMOTIVE_BASE_URL": f"{site.base_url}/remotive",
        "JOBSEARCH_REMOTEOK_BASE_URL": f"{site.base_url}/remoteok",
    }


class Server:
    """The server as a process would be: a runtime over the data dir, started and stopped again."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.runtime: Runtime | None = None

    async def call(self, tool: str, arguments: dict):
        async with Client(build_server(self.runtime)) as client:
            return await client.call_tool(tool, arguments)

    def start(self) -> Server:
        self.runtime = Runtime(self.settings)
        return self

    async def restart(self) -> None:
        await self.stop()
        self.start()

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.search.aclose()
            self.runtime.close()
            self.runtime = None
