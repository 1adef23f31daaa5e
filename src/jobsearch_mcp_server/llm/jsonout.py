"""Gets a JSON object out of a model's answer and validates it, tolerating what R1 wraps around it."""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .fence import fence_untrusted
from .reasoning import CLOSE_TAG

M = TypeVar("M", bound=BaseModel)

_FENCED = re.compile(r"```[a-zA-Z]*\s*\n?(.*?)```", re.DOTALL)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


class OutputInvalid(ValueError):
    """The answer holds no JSON object matching the schema; the message says what is wrong."""


def extract_json(text: str) -> dict[str, Any]:
    """The first JSON object in `text`: in a code fence, after leftover reasoning, before trailing prose."""
    if CLOSE_TAG in text:
        text = text.rsplit(CLOSE_TAG, 1)[1]
    candidates = [block for block in _FENCED.findall(text)] + [text]
    for candidate in candidates:
        for lenient in (False, True):
            found = _first_object(_TRAILING_COMMA.sub(r"\1", candidate) if lenient else candidate)
            if found is not None:
                return found
    raise OutputInvalid("the answer contains no JSON object")


def _first_object(text: str) -> dict[str, Any] | None:
    decoder = json.JSONDecoder()
    for start in (m.start() for m in re.finditer(r"\{", text)):
        try:
            value, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    return None


def parse_model(text: str, schema: type[M]) -> M:
    data = extract_json(text)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'object'}: {error['msg']}"
            for error in exc.errors()[:6]
        )
        raise OutputInvalid(f"the JSON does not match the expected shape ({problems})") from None


def repair_prompt(previous_answer: str, problem: str, schema: dict[str, Any]) -> str:
    """Asks for the same content again as one valid JSON object (R1: instructions in the user turn)."""
    return (
        "Your previous answer could not be used: "
        + problem
        + ".\n\n"
        + fence_untrusted("previous answer", previous_answer)
        + "\n\nRewrite the previous answer as ONE JSON object that matches this JSON Schema. Keep its "
        "content; do not add facts. Reply with the JSON "
        "object only: no code fence, no text before or after.\n" + json.dumps(schema, ensure_ascii=False)
    )
