"""The LLM-backed advice behind the tools: fit reports, cover letters, tailored resume bullets.

Each function takes the resume and the job (`Matcher.pair` loads them), builds the prompt from the matching template in
`prompts/` (the resume and posting fenced as untrusted data and trimmed to fit), asks the model,
and checks the answer against the resume so that invented experience is caught, not passed on.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

from pydantic import BaseModel, Field

from ..errors import JobsearchError
from ..jobs.models import Job
from ..llm.base import BaseLLM, LLMAnswer, ProgressFn
from ..llm.prompting import TemplatePrompt
from ..resume.models import Resume, resume_text

Language = Literal["en", "zh"]
Tone = Literal["professional", "warm", "enthusiastic", "concise"]

# Capitalised or technical-looking words (Python, AWS, C++, Node.js, k8s) and figures (40%, $2M, 3x).
_TERM = re.compile(r"(?<![\w.+#-])(?:[A-Z][\w.+#-]*[\w+#]|[A-Za-z]+[0-9+#][\w.+#-]*|[A-Z])(?![\w+#-])")
_FIGURE = re.compile(r"[$€£¥]?\d[\d,.]*(?:%|[kKmMbB]\b|x\b)?")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*[-*•]?\s*)$")
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦]|\d+[.)])\s*")
SAME_LINE_RATIO = 0.8


class FitReport(BaseModel):
    """What the model is asked for (the `match_report` template's JSON)."""

    fit_score: int = Field(ge=0, le=100, description="0-100: how well the resume meets the posting")
    summary: str
    strengths: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    red_flags: list[str] = Field(default_factory=list)
    questions_to_ask: list[str] = Field(default_factory=list)


class ModelRun(BaseModel):
    model: str = Field(description="the model that answered")
    elapsed_s: float
    reasoning: str | None = Field(None, description="the model's reasoning, when include_reasoning was set")


class FitAnalysis(FitReport, ModelRun):
    resume_id: str
    job_id: str
    job_title: str
    company: str | None = None


class CoverLetter(ModelRun):
    resume_id: str
    job_id: str
    language: Language
    tone: Tone
    text: str
    word_count: int
    unsupported_terms: list[str] = Field(
        default_factory=list,
        description=(
            "names or figures in the letter that appear in neither the resume nor the posting: check them"
        ),
    )


class BulletDraft(BaseModel):
    line: int
    original: str
    rewritten: str
    job_requirement: str = ""


class TailorDraft(BaseModel):
    """What the model is asked for (the `tailor_resume` template's JSON)."""

    summary: str = ""
    bullets: list[BulletDraft]


class TailoredBullet(BaseModel):
    line: int = Field(description="the resume line (1-based, non-empty lines) this bullet rewrites")
    original: str = Field(description="that resume line as it is")
    rewritten: str
    job_requirement: str


class RejectedBullet(BaseModel):
    rewritten: str
    reason: str


class TailoredResume(ModelRun):
    resume_id: str
    job_id: str
    summary: str | None = Field(
        None, description="a profile line for the top of the resume (None if it named unknown facts)"
    )
    bullets: list[TailoredBullet]
    rejected: list[RejectedBullet] = Field(
        default_factory=list,
        description="suggestions dropped because they did not stick to the resume's facts",
    )


def job_text(job: Job) -> str:
    facts = [
        ("Title", job.title),
        ("Company", job.company),
        ("Location", job.location),
        ("Remote", {True: "yes", False: "no"}.get(job.remote)),  # type: ignore[arg-type]
        ("Salary", job.salary.text if job.salary else None),
        ("Employment type", job.employment_type),
        ("Seniority", job.seniority),
    ]
    header = "\n".join(f"{name}: {value}" for name, value in facts if value)
    return f"{header}\n\n{job.description or '(the posting has no description)'}"


def _pair_prompt(name: str, resume: str, job: Job, language: str, **arguments: str) -> TemplatePrompt:
    data = {"resume": ("resume", resume), "job": ("job posting", job_text(job))}
    return TemplatePrompt(name, language, arguments, data)


def _run(answer: LLMAnswer, include_reasoning: bool) -> dict[str, object]:
    return {
        "model": answer.model,
        "elapsed_s": answer.elapsed_s,
        "reasoning": (answer.reasoning or None) if include_reasoning else None,
    }


async def analyze_fit(
    llm: BaseLLM,
    resume: Resume,
    job: Job,
    *,
    language: Language | None = None,
    include_reasoning: bool = False,
    progress: ProgressFn | None = None,
) -> FitAnalysis:
    prompt = _pair_prompt("match_report", resume_text(resume), job, language or resume.language)
    result = await llm.complete_structured(prompt, FitReport, progress=progress)
    return FitAnalysis(
        **result.value.model_dump(),
        **_run(result.answer, include_reasoning),
        resume_id=resume.resume_id,
        job_id=job.job_id,
        job_title=job.title,
        company=job.company,
    )


async def draft_cover_letter(
    llm: BaseLLM,
    resume: Resume,
    job: Job,
    *,
    tone: Tone = "professional",
    language: Language = "en",
    include_reasoning: bool = False,
    progress: ProgressFn | None = None,
) -> CoverLetter:
    text = resume_text(resume)
    answer = await llm.complete(
        _pair_prompt("cover_letter", text, job, language, tone=tone), progress=progress
    )
    letter = answer.text.strip()
    if not letter:
        raise JobsearchError("the model returned an empty cover letter; try again")
    words = len(letter.split()) if language == "en" else len(re.sub(r"\s", "", letter))
    return CoverLetter(
        **_run(answer, include_reasoning),
        resume_id=resume.resume_id,
        job_id=job.job_id,
        language=language,
        tone=tone,
        text=letter,
        word_count=words,
        unsupported_terms=unsupported_terms(letter, text + "\n" + job_text(job)),
    )


def resume_lines(resume: Resume) -> list[str]:
    """The resume's non-empty lines without bullet marks; line n of the prompt is item n-1."""
    lines = (_BULLET.sub("", line).strip() for line in resume_text(resume).splitlines())
    return [line for line in lines if line]


async def tailor_resume(
    llm: BaseLLM,
    resume: Resume,
    job: Job,
    *,
    language: Language | None = None,
    include_reasoning: bool = False,
    progress: ProgressFn | None = None,
) -> TailoredResume:
    lines = resume_lines(resume)
    numbered = "\n".join(f"L{n}: {line}" for n, line in enumerate(lines, 1))
    prompt = _pair_prompt("tailor_resume", numbered, job, language or resume.language)
    result = await llm.complete_structured(prompt, TailorDraft, progress=progress)
    source = "\n".join(lines)
    accepted, rejected = check_bullets(result.value.bullets, lines)
    summary = result.value.summary.strip() or None
    if summary and (invented := unsupported_terms(summary, source)):
        rejected.append(RejectedBullet(rewritten=summary, reason=_names_unknown(invented)))
        summary = None
    return TailoredResume(
        **_run(result.answer, include_reasoning),
        resume_id=resume.resume_id,
        job_id=job.job_id,
        summary=summary,
        bullets=accepted,
        rejected=rejected,
    )


def check_bullets(
    drafts: list[BulletDraft], lines: list[str]
) -> tuple[list[TailoredBullet], list[RejectedBullet]]:
    """Keeps the bullets that rewrite a real resume line and name nothing the resume lacks."""
    source = "\n".join(lines)
    accepted: list[TailoredBullet] = []
    rejected: list[RejectedBullet] = []
    for draft in drafts:
        line = _matching_line(draft, lines)
        if line is None:
            rejected.append(
                RejectedBullet(rewritten=draft.rewritten, reason="it does not rewrite any line of the resume")
            )
        elif invented := unsupported_terms(draft.rewritten, source):
            rejected.append(RejectedBullet(rewritten=draft.rewritten, reason=_names_unknown(invented)))
        else:
            accepted.append(
                TailoredBullet(
                    line=line,
                    original=lines[line - 1],
                    rewritten=draft.rewritten,
                    job_requirement=draft.job_requirement,
                )
            )
    return accepted, rejected


def _names_unknown(terms: list[str]) -> str:
    return "it names " + ", ".join(terms) + ", which the resume does not mention"


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, _normalise(a), _normalise(b)).ratio()


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", _BULLET.sub("", text)).strip().lower()


def _matching_line(draft: BulletDraft, lines: list[str]) -> int | None:
    """The 1-based line the draft rewrites: its own number if the quote matches, else the best match."""
    if 1 <= draft.line <= len(lines) and _similar(draft.original, lines[draft.line - 1]) >= SAME_LINE_RATIO:
        return draft.line
    scored = [(_similar(draft.original, line), n) for n, line in enumerate(lines, 1)]
    ratio, best = max(scored, default=(0.0, 0))
    return best if ratio >= SAME_LINE_RATIO else None


def unsupported_terms(text: str, source: str) -> list[str]:
    """Names, technologies and figures in `text` that `source` never mentions (case-insensitive).

    Capitalised words count only mid-sentence (a capital at a sentence start says nothing); figures
    count by their digits, so "40%" needs a 40 somewhere in the source.
    """
    known = source.lower()
    known_digits = set(re.findall(r"\d+", source.replace(",", "")))
    found: list[str] = []
    for match in _TERM.finditer(text):
        term = match.group(0)
        if len(term) == 1 or (
            term[0].isupper() and term[1:].islower() and _SENTENCE_START.search(text[: match.start()])
        ):
            continue
        if term.lower() not in known and term not in found:
            found.append(term)
    for match in _FIGURE.finditer(text):
        digits = re.findall(r"\d+", match.group(0).replace(",", ""))
        if digits and not all(d in known_digits for d in digits) and match.group(0) not in found:
            found.append(match.group(0).rstrip(".,"))
    return found
