"""The model-backed stages on top of the deterministic ranking, each optional and each with a fallback.

- Semantic: when an embedding model is configured, the cosine similarity of the resume's and each
  top candidate's embedding becomes the `semantic` part of the score.
- LLM: with use_llm, the configured model (DeepSeek-R1) judges each top candidate with the
  `match_report` prompt (a JSON fit report: fit_score 0-100 and a summary); fit_score becomes the
  `llm` part, about two thirds of a judged job's score. When the model fails, the deterministic
  order stands and a note says so.
"""

from __future__ import annotations

import threading

import anyio
import numpy as np

from ..llm import BaseLLM, LLMError, LLMUnavailable, ProgressFn, SamplingRoundNeeded, TemplatePrompt
from .advisor import FitReport, job_text
from .ranker import Ranking

SEMANTIC_CANDIDATES = 200  # embedding every cached posting would cost more than it changes
JOB_EMBED_CHARS = 2000
RESUME_EMBED_CHARS = 4000
EMBED_BATCH = 64


class EmbeddingCache:
    """Job vectors by (model, job_id, posting fingerprint), so a posting is embedded once per process."""

    def __init__(self, max_vectors: int = 50_000) -> None:
        self._vectors: dict[tuple[str, str, int], np.ndarray] = {}
        self._max = max_vectors
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, int]) -> np.ndarray | None:
        return self._vectors.get(key)

    def put(self, items: dict[tuple[str, str, int], np.ndarray]) -> None:
        with self._lock:
            if len(self._vectors) + len(items) > self._max:
                self._vectors.clear()
            self._vectors.update(items)


def _job_text(ranking: Ranking, i: int) -> str:
    job = ranking.jobs[i]
    return f"{job.title}\n{job.company or ''}\n{(job.description or '')[:JOB_EMBED_CHARS]}"


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1)


async def blend_semantic(ranking: Ranking, llm: BaseLLM, model: str, cache: EmbeddingCache) -> None:
    """Adds the `semantic` part for the top candidates and re-sorts; notes why when it cannot."""
    candidates = [int(i) for i in ranking.order[:SEMANTIC_CANDIDATES]]
    if not candidates:
        return
    keys = {i: (model, ranking.jobs[i].job_id, ranking.index.features[i].fingerprint) for i in candidates}
    missing = [i for i in candidates if cache.get(keys[i]) is None]
    try:
        resume_vector = np.array(
            (await llm.embed([ranking.profile.text[:RESUME_EMBED_CHARS]]))[0], dtype=np.float32
        )
        fresh: dict[tuple[str, str, int], np.ndarray] = {}
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            vectors = await llm.embed([_job_text(ranking, i) for i in batch])
            fresh.update(
                {keys[i]: np.array(v, dtype=np.float32) for i, v in zip(batch, vectors, strict=True)}
            )
        cache.put(fresh)
    except LLMUnavailable:
        return  # no embedding model: the lexical score is the whole score, nothing to report
    except LLMError as exc:
        ranking.notes.append(f"semantic similarity skipped: the embedding model failed ({exc})")
        return
    job_vectors = np.stack([fresh.get(keys[i], cache.get(keys[i])) for i in candidates])
    similarity = _unit(job_vectors) @ _unit(resume_vector)
    semantic = np.full(len(ranking.jobs), np.nan, dtype=np.float32)
    semantic[candidates] = np.clip(similarity, 0, 1)
    ranking.parts["semantic"] = semantic
    ranking.rescore(candidates)


async def llm_rerank(
    ranking: Ranking, llm: BaseLLM, top_n: int, language: str = "en", progress: ProgressFn | None = None
) -> bool:
    """Asks the model for a verdict on each of the top `top_n` jobs and folds it into the score.

    Returns True when at least one verdict arrived. Jobs whose verdict failed keep their score
    without the llm part; when none arrived, the deterministic order stands and a note says why.
    """
    candidates = [int(i) for i in ranking.order[:top_n]]
    if not candidates:
        return False
    verdicts: dict[int, FitReport] = {}
    errors: list[str] = []
    done = 0

    async def judge(i: int, model: BaseLLM = llm) -> None:
        nonlocal done
        job = ranking.jobs[i]
        prompt = TemplatePrompt(
            "match_report",
            language=language,
            data={"resume": ("resume", ranking.profile.text), "job": ("job posting", job_text(job))},
        )
        try:
            verdicts[i] = await model.complete_json(prompt, FitReport)
        except (LLMError, LLMUnavailable) as exc:
            errors.append(f"{job.title}: {exc}")
        done += 1
        if progress:
            await progress(done, len(candidates), f"LLM verdict {done}/{len(candidates)}: {job.title}")

    if llm.asks_in_rounds:
        # the MCP client's model on a 2026-07-28 connection: each round trip re-runs the tool call, so every
        # verdict still missing is asked in the same round (and every repair in the next): two or three
        # rounds for 20 jobs, within a client's default limit of 10. Each job numbers its own questions.
        pending: list[SamplingRoundNeeded] = []
        for i in candidates:
            try:
                await judge(i, llm.scoped(f"verdict-{ranking.jobs[i].job_id}"))
            except SamplingRoundNeeded as needed:
                pending.append(needed)
        if pending:
            raise SamplingRoundNeeded.merged(pending, llm)
    elif llm.one_question_at_a_time:  # 2025-11-25: asked in the middle of the call, one after another
        for i in candidates:
            await judge(i)
    else:
        async with anyio.create_task_group() as group:  # the client bounds concurrency (LLM_MAX_CONCURRENCY)
            for i in candidates:
                group.start_soon(judge, i)
    if not verdicts:
        reason = errors[0].split(": ", 1)[-1] if errors else "no answer"
        ranking.notes.append(f"LLM re-ranking failed ({reason}); the deterministic ranking is shown")
        return False
    if errors:
        ranking.notes.append(
            f"the LLM judged {len(verdicts)} of {len(candidates)} top jobs; the others keep their "
            "deterministic "
            f"score (first error: {errors[0]})"
        )
    llm_part = np.full(len(ranking.jobs), np.nan, dtype=np.float32)
    for i, verdict in verdicts.items():
        llm_part[i] = verdict.fit_score / 100
    ranking.parts["llm"] = llm_part
    ranking.verdicts = {i: v.summary for i, v in verdicts.items()}
    ranking.rescore(candidates)
    return True
