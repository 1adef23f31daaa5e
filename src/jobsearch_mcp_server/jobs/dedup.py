"""Cross-source duplicate detection: one job per real posting, however many boards list it.

Two records are the same posting when either
- their normalised title + company + city agree and they come from different boards (the same job on
  LinkedIn and on the company's own board; one board's two ids are two openings unless their texts
  agree, by the next rule), or
- their descriptions are near-identical (Jaccard similarity of 5-word shingles >= `threshold`) and
  their titles agree: same seniority and most title words shared. That catches agency reposts, one
  posting listed for several cities and boards that trim the title; the title check keeps apart
  what real boards show as separate roles under one shared text ("Data Scientist" and "Senior Data
  Scientist", "Head Data Scientist - NLP lead" and "- Image Analytics lead").

Candidate pairs for the description rule come from MinHash signatures with LSH banding, so the cost
grows with the number of jobs, not with its square; each candidate is then confirmed with the exact
Jaccard of the shingle sets. A group keeps its richest record, fills that record's gaps from the
others, and lists every URL it was seen at in `sources`.

Titles are compared without the brackets that are only noise ("(m/w/d)", "(all genders)"); brackets that
carry meaning (a team, a language, a count of positions, a location) stay part of the title.

`Fingerprint` and `seen_before` apply the same rules across time: a saved search knows a posting it
returned in an earlier run when it comes back under a new id or URL.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .models import Job
from .text import detect_seniority

SHINGLE_WORDS = 5
TITLE_OVERLAP = 0.75  # share of title words two reposts of one role have in common
MIN_SHINGLES = 20  # shorter texts ("Apply on our site") say too little to call two postings one
PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: a pair at Jaccard 0.8 becomes a candidate with probability > 0.999
_PRIME = np.uint64((1 << 61) - 1)
_MASK32 = (1 << 32) - 1

_WORD = re.compile(r"[\u4e00-\u9fff]|[^\W_]+")
# Gender markers of German, French and Dutch postings ("(m/w/d)", "(H/F)", "[f/m/x]", "(all genders)") and
# the contract form ("(Contract)", "(Full-time)"), which boards and agencies add to one role's title: the
# only bracketed title parts that do not tell two roles apart (a team, language, location or count does).
_NOISE_BRACKETS = re.compile(
    r"[(\[]\s*(?:[mwfdxhv]\s*\*?(?:\s*[/|,]\s*[mwfdxhv]\s*\*?){1,3}|all\s+genders?|any\s+gender|gn\*?"
    r"|contract(?:or)?|freelance|temporary|permanent|(?:full|part)[\s-]?time|fixed[\s-]term)\s*[)\]]",
    re.IGNORECASE,
)
_COMPANY_SUFFIX = re.compile(
    r"\b(inc|incorporated|llc|ltd|limited|gmbh|ag|corp|corporation|co|company|plc|sa|bv|srl|pty)\b\.?"
)
_FILLED_FIELDS = (
    "company",
    "location",
    "remote",
    "salary",
    "employment_type",
    "seniority",
    "posted_at",
    "url",
    "apply_url",
    "description",
)


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def job_key(job: Job) -> tuple[str, str, str]:
    """Title, company and city, normalised: noise brackets ("(m/w/d)"), legal suffixes and punctuation dropped."""
    title = " ".join(_words(_NOISE_BRACKETS.sub(" ", job.title)))
    company = " ".join(_words(_COMPANY_SUFFIX.sub(" ", (job.company or "").lower())))
    city = " ".join(_words((job.location or "").split(",")[0]))
    return title, company, city


Role = tuple[str | None, frozenset[str]]


def role_of(job: Job) -> Role:
    """What `same_role` compares: the title's seniority and its words (noise such as "(m/w/d)" dropped)."""
    return detect_seniority(job.title), frozenset(_words(_NOISE_BRACKETS.sub(" ", job.title)))


def same_role(a: Role, b: Role) -> bool:
    """Whether two titles can name one role: equal seniority and at least `TITLE_OVERLAP` shared words."""
    (seniority_a, words_a), (seniority_b, words_b) = a, b
    if seniority_a != seniority_b or not (words_a or words_b):
        return False
    return len(words_a & words_b) / len(words_a | words_b) >= TITLE_OVERLAP


def shingles(text: str | None, size: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted unique 32-bit hashes of the text's overlapping `size`-word runs (a Chinese character is a word)."""
    words = _words(text or "")
    if len(words) < size:
        return np.empty(0, dtype=np.uint64)
    # crc32, not hash(): str hashes change with every process (PYTHONHASHSEED), and so would the merges.
    # Only the low 32 bits of the run hash are kept, so 32-bit word hashes lose nothing.
    word_hash = {word: zlib.crc32(word.encode()) for word in set(words)}
    word_hashes = np.fromiter(map(word_hash.__getitem__, words), dtype=np.uint64, count=len(words))
    count = len(words) - size + 1
    combined = word_hashes[:count].copy()
    for offset in range(1, size):  # a polynomial hash of the run, computed for all runs at once
        combined = combined * np.uint64(1_000_003) + word_hashes[offset : offset + count]
    return np.unique(combined & np.uint64(_MASK32))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique hash arrays."""
    if not len(a) and not len(b):
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


class _MinHasher:
    def __init__(self, permutations: int = PERMUTATIONS, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, 1 << 31, permutations, dtype=np.uint64)
        self.b = rng.integers(0, 1 << 32, permutations, dtype=np.uint64)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        # a < 2**31 and the hashes < 2**32, so a*x + b stays below 2**64: no silent wrap-around.
        return ((hashes[:, None] * self.a + self.b) % _PRIME).min(axis=0)


def near_duplicate_pairs(texts: Sequence[str | None], threshold: float = 0.8) -> list[tuple[int, int]]:
    """Index pairs (i < j) whose texts' shingle sets have Jaccard >= `threshold`."""
    return _similar_pairs([shingles(text) for text in texts], threshold)


def _similar_pairs(sets: Sequence[np.ndarray], threshold: float) -> list[tuple[int, int]]:
    hasher = _MinHasher()
    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for index, hashes in enumerate(sets):
        if len(hashes) < MIN_SHINGLES:
            continue
        signature = hasher.signature(hashes)
        for band in range(BANDS):
            buckets[band, signature[band * rows : (band + 1) * rows].tobytes()].append(index)
    candidates = {(i, j) for members in buckets.values() for n, i in enumerate(members) for j in members[n + 1 :]}
    return sorted((i, j) for i, j in candidates if jaccard(sets[i], sets[j]) >= threshold)


class _Groups:
    """Union-find over job indexes."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def richness(job: Job) -> tuple[int, int]:
    """How much a record tells: filled fields first, then the length of its description."""
    filled = sum(getattr(job, name) not in (None, "", []) for name in _FILLED_FIELDS)
    return filled, len(job.description or "")


def merge(group: Sequence[Job]) -> Job:
    """The richest record of `group`, its gaps filled from the others, with every URL and location seen."""
    best = max(group, key=richness)
    updates: dict[str, object] = {}
    for name in _FILLED_FIELDS:
        if getattr(best, name) in (None, ""):
            updates[name] = next((getattr(j, name) for j in group if getattr(j, name) not in (None, "")), None)
    locations = list(dict.fromkeys(j.location for j in group if j.location))
    if len(locations) > 1:
        updates["location"] = " / ".join(locations)
    updates["tags"] = list(dict.fromkeys(tag for j in group for tag in j.tags))
    updates["sources"] = list(dict.fromkeys(url for j in group for url in (j.url, *j.sources) if url))
    return best.model_copy(update=updates)


def deduplicate(jobs: Iterable[Job], threshold: float = 0.8) -> list[Job]:
    """One job per posting, in the order each posting first appears in `jobs`."""
    jobs = list(jobs)
    groups = _Groups(len(jobs))
    first_with_id: dict[str, int] = {}
    first_with_key: dict[tuple[str, str, str], int] = {}
    for index, job in enumerate(jobs):
        groups.union(first_with_id.setdefault(job.job_id, index), index)  # an equal id always is one job
        key = job_key(job)
        if not (key[0] and key[1]):  # without a company, equal titles ("Software Engineer") prove nothing
            continue
        first = first_with_key.setdefault(key, index)
        if jobs[first].source != job.source:  # one board's two ids: one posting only if the texts agree
            groups.union(first, index)

    # Descriptions are compared once per distinct text: boards and reposts repeat texts verbatim, and
    # comparing every copy with every other would grow with the square of the copies.
    by_text: dict[str, list[int]] = defaultdict(list)
    for index, job in enumerate(jobs):
        if job.description:
            by_text[job.description].append(index)
    texts = list(by_text)
    sets = [shingles(text) for text in texts]
    roles = [role_of(job) for job in jobs]
    for text, hashes in zip(texts, sets):
        if len(hashes) >= MIN_SHINGLES:
            _link_same_roles(groups, roles, by_text[text])
    for i, j in _similar_pairs(sets, threshold):
        _link_same_roles(groups, roles, by_text[texts[i]] + by_text[texts[j]])

    members: dict[int, list[Job]] = defaultdict(list)
    for index, job in enumerate(jobs):
        members[groups.find(index)].append(job)
    # Roots are the smallest index of each group, so sorting them keeps first-appearance order.
    return [merge(members[root]) for root in sorted(members)]


def _link_same_roles(groups: _Groups, roles: list[Role], indexes: list[int]) -> None:
    """Unites the jobs among `indexes` (sharing one text, or near-identical texts) that name one role."""
    heads: list[int] = []  # one job per distinct role seen so far
    for index in indexes:
        head = next((head for head in heads if same_role(roles[head], roles[index])), None)
        if head is None:
            heads.append(index)
        else:
            groups.union(head, index)


@dataclass(frozen=True)
class Fingerprint:
    """What is kept of a posting to know it again later: its ids, title, company, city and text shingles."""

    job_id: str
    source: str
    title: str
    company: str | None
    location: str | None
    shingles: bytes  # `shingles()` as little-endian uint32 (the hashes are 32-bit)

    @classmethod
    def of(cls, job: Job) -> Fingerprint:
        hashes = shingles(job.description).astype("<u4").tobytes()
        return cls(job.job_id, job.source, job.title, job.company, job.location, hashes)

    def hashes(self) -> np.ndarray:
        return np.frombuffer(self.shingles, dtype="<u4").astype(np.uint64)

    def as_job(self) -> Job:
        return Job(job_id=self.job_id, source=self.source, source_id="", title=self.title,
                   company=self.company, location=self.location)  # fmt: skip


def seen_before(jobs: Sequence[Job], seen: Sequence[Fingerprint], threshold: float = 0.8) -> list[bool]:
    """For each of `jobs`, whether it is one of the `seen` postings by the rules of `deduplicate`: the same
    id; the same title, company and city on another board; or the same role with a near-identical text."""
    seen_ids = {fingerprint.job_id for fingerprint in seen}
    seen_keys: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for fingerprint in seen:
        seen_keys[job_key(fingerprint.as_job())].add(fingerprint.source)
    answer = []
    for job in jobs:
        key = job_key(job)
        boards = seen_keys.get(key, set()) if key[0] and key[1] else set()
        answer.append(job.job_id in seen_ids or bool(boards - {job.source}))
    sets = [fingerprint.hashes() for fingerprint in seen] + [shingles(job.description) for job in jobs]
    roles = [role_of(fingerprint.as_job()) for fingerprint in seen] + [role_of(job) for job in jobs]
    for i, j in _similar_pairs(sets, threshold):
        if i < len(seen) <= j and same_role(roles[i], roles[j]):
            answer[j - len(seen)] = True
    return answer
