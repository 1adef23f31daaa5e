"""Tool annotations shared by the tool modules: they tell clients what a call may do."""

from mcp.types import ToolAnnotations

READ_ONLY_LOCAL = ToolAnnotations(read_only_hint=True, open_world_hint=False, idempotent_hint=True)
READ_ONLY_WEB = ToolAnnotations(read_only_hint=True, open_world_hint=True, idempotent_hint=True)
WRITES_LOCAL = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, open_world_hint=False, idempotent_hint=True
)
DELETES_LOCAL = ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=False, idempotent_hint=True)
CALLS_LLM = ToolAnnotations(read_only_hint=True, open_world_hint=False, idempotent_hint=False)
