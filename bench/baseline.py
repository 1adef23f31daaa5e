"""The plain baseline: TF-IDF vectors of the whole resume and of each posting, ranked by cosine.

The textbook method (raw term counts, smoothed IDF, L2-normalised vectors, the ranker's tokens), kept
so the benchmark measures the ranker against it in the same run.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from jobsearch_mcp_server.matching.arrays import csr, segment_sums
from jobsearch_mcp_server.matching.text import tokenize


class TfidfCosine:
    """TF-IDF over a fixed set of job texts; `scores(resume_text)` gives each job's cosine similarity."""

    def __init__(self, job_texts: list[str]) -> None:
        counts = [Counter(tokenize(text)) for text in job_texts]
        self.vocabulary: dict[str, int] = {}
        rows = [
            np.array([self.vocabulary.setdefault(t, len(self.vocabulary)) for t in c], dtype=np.int64)
            for c in counts
        ]
        self.indptr, self.terms = csr(rows, np.int64)
        df = np.bincount(self.terms, minlength=len(self.vocabulary))
        self.idf = np.log((1 + len(job_texts)) / (1 + df)) + 1
        weights = (
            np.concatenate([np.array(list(c.values()), dtype=np.float64) for c in counts])
            if counts
            else np.zeros(0)
        )
        weights *= self.idf[self.terms]
        norms = np.sqrt(segment_sums(weights**2, self.indptr))
        self.weights = weights / np.repeat(np.where(norms > 0, norms, 1), np.diff(self.indptr))

    def scores(self, resume_text: str) -> np.ndarray:
        query = np.zeros(len(self.vocabulary))
        for term, count in Counter(tokenize(resume_text)).items():
            if term in self.vocabulary:
                query[self.vocabulary[term]] = count * self.idf[self.vocabulary[term]]
        norm = np.linalg.norm(query)
        return segment_sums(self.weights * query[self.terms], self.indptr) / (norm or 1)
