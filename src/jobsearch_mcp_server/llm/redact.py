"""The PII guard: contact details never leave this machine in a prompt, unless the model runs here.

When the endpoint is elsewhere (LLM_BASE_URL's host is not loopback) or the MCP client's model answers
(LLM_BACKEND=sampling), every prompt is scrubbed just before it is sent: e-mail addresses, phone
numbers, street addresses and links become placeholders such as `[EMAIL_1]`, the same value always the
same placeholder within one prompt (so a repaired or replayed request is identical). Where the answer
quotes a placeholder, the real value is put back before anyone sees it: a cover letter still ends with
the person's own e-mail address. JOBSEARCH_REDACT=always / never overrides the choice.

The patterns are for any text (a posting's text as well as a resume's), not the resume parser's
header-aware finders: a false positive only hides a number from the model, and is put back after.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..config import Settings
from .budget import PromptSource, estimate_tokens, render_prompt

NOTE = (
    "(Contact details in this text are shown as placeholders such as [EMAIL_1], [PHONE_1], [LINK_1] or "
    "[ADDRESS_1]; where your answer needs one, write the placeholder exactly as shown.)\n\n"
)
NOTE_TOKENS = estimate_tokens(NOTE)

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]{}\"'|,;\\]*[^\s<>()\[\]{}\"'|,;\\.:!?]"
    r"|(?<![\w@./])(?:[a-z0-9-]+\.)*(?:linkedin\.com|github\.com|gitlab\.com|behance\.net|dribbble\.com|"
    r"kaggle\.com|medium\.com|stackoverflow\.com)/[^\s<>()\[\]{}\"'|,;\\]*[^\s<>()\[\]{}\"'|,;\\.:!?]",
    re.IGNORECASE,
)
_SEP = r"[\s.\-/]"
PHONE = re.compile(
    # +country code; a North American (area) 555-0100; a trunk-0 national number; a Chinese mobile
    rf"(?<![\w+$€£¥])\+\d{{1,3}}(?:{_SEP}?\(?\d{{1,5}}\)?){{2,5}}(?![\w])"
    rf"|(?<![\w$€£¥])\(?\d{{3}}\)?{_SEP}\d{{3}}{_SEP}\d{{4}}(?![\w])"
    rf"|(?<![\w$€£¥.,])0\d{{1,4}}(?:{_SEP}?\(?\d{{2,4}}\)?){{2,4}}(?![\w])"
    rf"|(?<!\d)1[3-9]\d(?:[\s\-]?\d{{4}}){{2}}(?!\d)"
)
PHONE_LABELLED = re.compile(
    r"(?:phone|mobile|cell|tel(?:ephone)?|whatsapp|电话|手机|联系电话)\s*(?:no\.?|number|#)?\s*[:：]?\s*"
    r"(?P<value>\+?\d[\d\s().\-]{5,18}\d)",
    re.IGNORECASE,
)
_STREET_WORDS = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|"
    "Pkwy|Highway|Hwy|Square|Sq|Circle|Cir"
)
ADDRESS = re.compile(
    rf"\b\d{{1,5}}[A-Za-z]?\s+(?:[A-Z][\w'’.\-]*\s+){{1,4}}(?:{_STREET_WORDS})\b\.?"
    r"(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|#)\.?\s*[\w\-]+)?"
    r"|\b[A-ZÄÖÜ][\wäöüß\-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|straat|laan|gade|vej|gatan|vägen)"
    r"\s+\d{1,4}[a-z]?\b"
    r"|[\u4e00-\u9fff]{2,12}(?:路|街|大道|巷|弄)\d+号(?:[\u4e00-\u9fff\d]*?[室楼座])?"
)
YEAR = re.compile(r"^(?:19|20)\d\d$")
PLACEHOLDER = re.compile(r"\[?\b(EMAIL|PHONE|LINK|ADDRESS)_(\d+)\b\]?")


def is_loopback_url(url: str) -> bool:
    """True when `url`'s host is this machine's loopback (localhost, 127.0.0.0/8, ::1)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redaction_on(settings: Settings) -> bool:
    """Whether prompts are scrubbed: JOBSEARCH_REDACT, and for `auto` whether they leave this machine."""
    if settings.redact != "auto":
        return settings.redact == "always"
    return settings.llm_backend == "sampling" or not is_loopback_url(settings.llm_base_url)


def _plausible_phone(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    parts = [part for part in re.split(r"[\s.\-/()+]+", value) if part]
    return 7 <= len(digits) <= 15 and sum(1 for part in parts if YEAR.match(part)) < 2


@dataclass
class Redaction:
    """The placeholders of one request: `scrub` replaces contact details, `restore` puts them back."""

    _placeholders: dict[tuple[str, str], str] = field(default_factory=dict)
    _values: dict[str, str] = field(default_factory=dict)

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._placeholders:
            count = sum(1 for known in self._placeholders if known[0] == kind) + 1
            self._placeholders[key] = f"[{kind}_{count}]"
            self._values[f"{kind}_{count}"] = value
        return self._placeholders[key]

    def scrub(self, text: str) -> str:
        text = EMAIL.sub(lambda m: self._placeholder("EMAIL", m.group()), text)
        text = LINK.sub(lambda m: self._placeholder("LINK", m.group()), text)
        text = PHONE_LABELLED.sub(self._labelled_phone, text)
        text = PHONE.sub(
            lambda m: self._placeholder("PHONE", m.group()) if _plausible_phone(m.group()) else m.group(),
            text,
        )
        return ADDRESS.sub(lambda m: self._placeholder("ADDRESS", m.group()), text)

    def _labelled_phone(self, match: re.Match[str]) -> str:
        value = match.group("value")
        if not _plausible_phone(value):
            return match.group()
        start = match.start("value") - match.start()
        return match.group()[:start] + self._placeholder("PHONE", value)

    def restore(self, text: str) -> str:
        """`text` with every placeholder this request made replaced by its value (others left alone)."""
        if not self._values or not text:
            return text
        return PLACEHOLDER.sub(lambda m: self._values.get(f"{m.group(1)}_{m.group(2)}", m.group()), text)

    @property
    def hidden(self) -> int:
        return len(self._values)


@dataclass(frozen=True)
class RedactedPrompt:
    """A prompt that renders scrubbed: trimming re-renders it (a context overflow) stay scrubbed too."""

    prompt: str | PromptSource
    redaction: Redaction

    def render(self, max_prompt_tokens: int) -> str:
        text = self.redaction.scrub(render_prompt(self.prompt, max(1, max_prompt_tokens - NOTE_TOKENS)))
        return NOTE + text if self.redaction.hidden else text


def scrubbed(settings: Settings, texts: list[str]) -> list[str]:
    """Texts to embed, scrubbed like prompts when those are (a vector needs no contact details)."""
    if not redaction_on(settings):
        return texts
    redaction = Redaction()
    return [redaction.scrub(text) for text in texts]
