"""Per-job variable-length arrays stored as compressed sparse rows, and sums over each job's slice."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def concat(arrays: Sequence[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype, copy=False) if len(arrays) else np.zeros(0, dtype=dtype)


def csr(arrays: Sequence[np.ndarray], dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """Row pointers and the concatenated data of per-job arrays."""
    indptr = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([len(a) for a in arrays], out=indptr[1:])
    return indptr, concat(arrays, dtype)


def segment_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Sum of values[indptr[i]:indptr[i+1]] for every row i, empty rows giving 0."""
    if len(indptr) < 2 or not len(values):
        return np.zeros(max(len(indptr) - 1, 0))
    # reduceat gives an empty row the value at its start, and needs every start inside the array
    starts = np.minimum(indptr[:-1], len(values) - 1)
    return np.where(np.diff(indptr) > 0, np.add.reduceat(values, starts, dtype=np.float64), 0.0)


CHUNK_ROWS = 8192  # rows per step of the functions below: bounds their temporary arrays to a few MB


def row_dot(dense: np.ndarray, columns: np.ndarray, values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Per row i: sum of dense[columns[k]] * values[k] over the row's entries k (a sparse-dense product)."""
    rows = len(indptr) - 1
    result = np.zeros(max(rows, 0))
    for start in range(0, rows, CHUNK_ROWS):
        stop = min(rows, start + CHUNK_ROWS)
        first, last = indptr[start], indptr[stop]
        products = dense[columns[first:last]]
        products *= values[first:last]
        result[start:stop] = segment_sums(products, indptr[start : stop + 1] - first)
    return result


def document_frequency(terms: np.ndarray, size: int) -> np.ndarray:
    """How many rows hold each term id (ids are distinct within a row); counted in slices, because
    bincount copies its input to 64-bit integers first."""
    counts = np.zeros(size, dtype=np.int64)
    step = CHUNK_ROWS * 256
    for start in range(0, len(terms), step):
        counts += np.bincount(terms[start : start + step], minlength=size)
    return counts
