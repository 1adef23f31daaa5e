"""A search that met a login wall asks the person, through MCP elicitation, to sign in and retry.

When boards answer `login_required` and the client declared form elicitation, `search_jobs` asks: run
`jobsearch-mcp login <source>` in a terminal, sign in there, then Retry or skip. The answer is only
that choice: credentials never pass through MCP, they stay in the board's browser profile. On Retry
the walled boards are asked once more and their jobs merge into the same search (same search_id).
Decline, cancel, or a client without elicitation: the result as it was, statuses and messages intact.

Handshake-era connections (<= 2025-11-25) get the question in the middle of the call. On 2026-07-28
connections a server cannot call the client mid-request: the tool returns an `InputRequiredResult`
holding the question and, in `request_state` (sealed by the SDK), the search_id; the client calls
again with the answer, and the tool retries the boards or returns that search instead of searching anew.
"""

from __future__ import annotations

import logging

from mcp.server.elicitation import AcceptedElicitation, render_elicitation_schema
from mcp.server.mcpserver import Context
from mcp.shared.exceptions import MCPError
from mcp_types import ElicitRequest, ElicitRequestFormParams, ElicitResult, InputRequiredResult
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, Field, ValidationError

from ..jobs.models import SearchQuery, SearchResult, SourceReport, SourceStatus
from ..llm.sampling import INPUT_REQUIRED_VERSION
from ..services.search import Progress, SearchService
from ..tenants import LOCAL_TENANT, current_tenant

log = logging.getLogger(__name__)

REQUEST_KEY = "jobsearch-login-retry"


class RetryAfterLogin(BaseModel):
    retry: bool = Field(
        True, title="Retry", description="search these boards again now that you have signed in"
    )


class _AskedToRetry(BaseModel):
    """The `request_state` of the answer round: which stored search the question was about."""

    search_id: str


async def search_with_login_retry(
    ctx: Context, service: SearchService, query: SearchQuery, sources: list[str] | None, progress: Progress
) -> SearchResult | InputRequiredResult:
    """`service.search(...)`, asking the person to sign in and retry when boards showed a login wall."""
    modern = is_version_at_least(ctx.protocol_version or "", INPUT_REQUIRED_VERSION)
    asked = _asked(ctx) if modern else None
    if asked is not None:  # the client answers the question this tool asked in its previous round
        if _wants_retry(ctx.input_responses.get(REQUEST_KEY) if ctx.input_responses else None):
            return await service.retry_login_walls(asked.search_id, query, progress)
        return await service.page(asked.search_id)

    result = await service.search(query, sources, progress)
    walled = [report for report in result.sources if report.status == SourceStatus.LOGIN_REQUIRED]
    if not walled or not _can_elicit(ctx):
        return result
    message = sign_in_question(walled)
    if modern:
        request = ElicitRequest(
            params=ElicitRequestFormParams(
                message=message, requested_schema=render_elicitation_schema(RetryAfterLogin)
            )
        )
        state = _AskedToRetry(search_id=result.search_id).model_dump_json()
        return InputRequiredResult(input_requests={REQUEST_KEY: request}, request_state=state)
    try:
        answer = await ctx.elicit(message, RetryAfterLogin)
    except (MCPError, ValueError) as exc:  # the client failed to ask, or answered off the schema
        log.info("no answer to the sign-in question (%s); returning the search as it is", exc)
        return result
    if isinstance(answer, AcceptedElicitation) and answer.data.retry:
        return await service.retry_login_walls(result.search_id, query, progress)
    return result


def sign_in_question(walled: list[SourceReport]) -> str:
    """What the person reads: which boards want a sign-in, the command that does it, and the choice."""
    labels = [report.source for report in walled]
    tenant = current_tenant()  # each tenant signs in to a board in a browser profile of its own
    whose = "" if tenant == LOCAL_TENANT else f" --tenant {tenant}"
    commands = " and ".join(
        f"`jobsearch-mcp login {label.split(':')[0]}{whose}`" for label in dict.fromkeys(labels)
    )
    reasons = "\n".join(f"- {report.source}: {report.message or 'login required'}" for report in walled)
    return (
        f"These job boards need you to sign in (again):\n{reasons}\n"
        f"Run {commands} in a terminal, sign in in the browser window it opens, then close that window. "
        f"Then choose Retry to search {', '.join(labels)} again, or decline to skip "
        f"(only your choice is sent here; the sign-in stays in that browser)."
    )


def _can_elicit(ctx: Context) -> bool:
    """Whether the client takes form elicitation: a bare `elicitation: {}` (from before modes) counts."""
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


def _asked(ctx: Context) -> _AskedToRetry | None:
    if not ctx.request_state:
        return None
    try:
        return _AskedToRetry.model_validate_json(ctx.request_state)
    except ValidationError:
        log.info("ignoring a request_state this tool did not write")
        return None


def _wants_retry(response: object) -> bool:
    if not isinstance(response, ElicitResult) or response.action != "accept" or response.content is None:
        return False
    try:
        return RetryAfterLogin.model_validate(response.content).retry
    except ValidationError:
        return False
