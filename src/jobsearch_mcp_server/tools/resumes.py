"""Resume tools and resources: parse (and store) a resume, list and delete stored ones, read them."""

from __future__ import annotations

import json
import logging
import warnings
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlparse

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from pydantic import BaseModel

from ..llm import LLMError, LLMUnavailable
from ..resume.models import Resume, ResumeList, ResumeProfile, ResumeSummary
from ..runtime import Runtime
from ..workers import run_cpu, run_pure
from .annotations import DELETES_LOCAL, READ_ONLY_LOCAL, WRITES_LOCAL

log = logging.getLogger(__name__)


class DeletedResume(BaseModel):
    resume_id: str
    deleted: bool
    message: str


async def client_roots(ctx: Context) -> list[Path]:
    """The client's MCP roots as local folders, when it declares the roots capability (else none).

    roots/list is a server-to-client request: it works on 2025-11-25 connections; 2026-07-28 deprecated
    roots and has no back-channel for it, so there the allowed folders are JOBSEARCH_ALLOWED_DIRS alone."""
    capabilities = ctx.client_capabilities
    if capabilities is None or capabilities.roots is None:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # MCPDeprecationWarning: still the way on 2025-11-25
            result = await ctx.session.list_roots()
    except Exception as exc:  # noqa: BLE001 - no back-channel, or a client that fails roots/list: no folders
        log.info("the client declared roots but roots/list failed: %s", exc)
        return []
    folders = []
    for root in result.roots:
        uri = urlparse(str(root.uri))
        if uri.scheme == "file":
            folders.append(Path(unquote(uri.path)))
    return folders


def _listing(resumes: list[Resume]) -> ResumeList:
    return ResumeList(
        resumes=[
            ResumeSummary(
                resume_id=resume.resume_id,
                filename=resume.filename,
                name=resume.name,
                headline=resume.headline,
                skills=len(resume.skills),
                total_years_experience=resume.total_years_experience,
                language=resume.language,
            )
            for resume in resumes
        ]
    )


def register(mcp: MCPServer, runtime: Runtime) -> None:
    @mcp.tool(annotations=WRITES_LOCAL)
    async def parse_resume(
        ctx: Context,
        path: str | None = None,
        content_base64: str | None = None,
        filename: str | None = None,
        # also an object: the SDK hands a pasted JSON text (a JSON Resume) over already decoded
        text: str | dict | None = None,
        use_llm: bool = False,
    ) -> ResumeProfile:
        """Read a resume and store its profile; give exactly ONE of:
        - path: a PDF, DOCX, TXT or Markdown file inside an allowed folder (JOBSEARCH_ALLOWED_DIRS, or the
          client's roots); relative paths are relative to the first allowed folder;
        - content_base64: the file's bytes in base64 (add filename, e.g. "cv.pdf", as a hint);
        - text: the resume pasted as plain text or Markdown (or a JSON Resume document).
        A JSON Resume (jsonresume.org) or rendercv YAML file is taken exactly, not guessed at.
        English and Chinese resumes work. Returns the profile: resume_id (stable for the same text), name,
        contact, links, headline, summary, skills (canonical names), experience (title, company, dates,
        months), total_years_experience (overlaps counted once), education, languages, sections, and
        evidence spans into the text. use_llm=true also asks the configured model and keeps only what
        the text confirms (slower). Read the text itself at resume://{resume_id}/text, the profile in the
        JSON Resume schema at resume://{resume_id}/jsonresume."""
        service = runtime.resumes
        if isinstance(text, dict):
            text = json.dumps(text, ensure_ascii=False)
        roots = await client_roots(ctx) if path is not None else []
        read = partial(
            service.read, path=path, content_base64=content_base64, filename=filename, text=text, roots=roots
        )
        resume = await run_cpu(read)  # a file waits for the reader process; a structured resume is done here
        if not isinstance(resume, Resume):
            from ..services.resumes import build_resume  # the resume readers load on the first parse

            resume = await run_pure(build_resume, *resume)
        if use_llm:
            resume = await _refine(resume, ctx)
        return ResumeProfile.of(await anyio.to_thread.run_sync(service.save, resume))

    async def _refine(resume: Resume, ctx: Context) -> Resume:
        llm = runtime.llm_client(ctx)
        if not llm.available:
            reason = getattr(llm, "reason", "no model is configured.")
            note = f"use_llm: {reason} The heuristic parse stands alone."
            return resume.model_copy(update={"warnings": [*resume.warnings, note]})
        from ..resume.llm_extract import refine_with_llm  # its section and date readers load when first asked

        try:
            return await refine_with_llm(resume, llm, progress=ctx.report_progress)
        except (LLMUnavailable, LLMError) as exc:
            note = f"use_llm: the model could not be used ({exc}). The heuristic parse stands alone."
            return resume.model_copy(update={"warnings": [*resume.warnings, note]})

    @mcp.tool(annotations=READ_ONLY_LOCAL)
    def list_resumes() -> ResumeList:
        """The stored resumes (id, file name, name, headline, number of skills, years of experience)."""
        return _listing(runtime.store.list_resumes())

    @mcp.tool(annotations=DELETES_LOCAL)
    def delete_resume(resume_id: str) -> DeletedResume:
        """Delete a stored resume (its profile and text) for good. Applications that refer to it keep
        their record."""
        deleted = runtime.resumes.delete(resume_id)
        message = "deleted" if deleted else f"no resume with id {resume_id} (already deleted?)"
        return DeletedResume(resume_id=resume_id, deleted=deleted, message=message)

    def _stored(resume_id: str) -> Resume:
        found = runtime.store.get_resume(resume_id)
        if found is None:
            raise ResourceNotFoundError(f"no resume with id {resume_id}; see resumes://all")
        return found

    @mcp.resource("resume://{resume_id}", mime_type="application/json")
    def resume_profile(resume_id: str) -> str:
        """A stored resume's profile as JSON (without the raw text)."""
        return ResumeProfile.of(_stored(resume_id)).model_dump_json(indent=2)

    @mcp.resource("resume://{resume_id}/text", mime_type="text/plain")
    def resume_text(resume_id: str) -> str:
        """The text a stored resume was parsed from (the evidence spans point into it)."""
        return _stored(resume_id).raw_text

    @mcp.resource("resume://{resume_id}/jsonresume", mime_type="application/json")
    def resume_json_resume(resume_id: str) -> str:
        """A stored resume in the JSON Resume schema (jsonresume.org), for resume builders and themes."""
        from ..resume.jsonresume import to_json_resume  # the resume readers load when first asked

        return json.dumps(to_json_resume(_stored(resume_id)), indent=2, ensure_ascii=False)

    @mcp.resource("resumes://all", mime_type="application/json")
    def all_resumes() -> str:
        """Every stored resume, oldest first."""
        return _listing(runtime.store.list_resumes()).model_dump_json(indent=2)
