"""TF-IDF vectors over stems and concepts, cosine similarity, average-link clustering.

Pure Python on sparse dicts: with 500 answers of a few content words each, only pairs that
share a feature are ever visited, so the work follows the overlap, not n².
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from app.services.grouping.dutch import Word

Vector = dict[str, float]
# A concept shared is worth more than one word shared: it is what links paraphrases.
CONCEPT_WEIGHT = 1.6
# A compound's parts count for less than the whole word the person typed.
PART_WEIGHT = 0.5


def features(words: Sequence[Word | None]) -> dict[str, float]:
    """Term counts: "w:<stem>" per word and compound part, "c:<index>" per concept."""
    counts: dict[str, float] = defaultdict(float)
    for w in words:
        if w is None:
            continue
        counts["w:" + w.stem] += 1.0
        for part in w.parts:
            counts["w:" + part] += PART_WEIGHT
        if w.concept is not None:
            counts[f"c:{w.concept}"] += 1.0
    return dict(counts)


def idf_of(docs: Sequence[dict[str, float]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    n = len(docs)
    return {f: math.log((n + 1) / (d + 1)) + 1.0 for f, d in df.items()}


def vectorise(doc: dict[str, float], idf: dict[str, float]) -> Vector:
    """Unit-length TF-IDF vector; an empty answer gives an empty vector."""
    vec = {}
    for f, tf in doc.items():
        weight = (1.0 + math.log(tf)) if tf >= 1 else tf
        vec[f] = weight * idf.get(f, 1.0) * (CONCEPT_WEIGHT if f[0] == "c" else 1.0)
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {f: v / norm for f, v in vec.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[f] for f, v in a.items() if f in b)


def similarities(vectors: Sequence[Vector]) -> dict[int, dict[int, float]]:
    """{i: {j: cosine}} for i < j over pairs that share at least one feature."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for f, v in vec.items():
            postings[f].append((i, v))
    sims: dict[int, dict[int, float]] = defaultdict(dict)
    for f in sorted(postings):  # fixed order: float sums come out the same every time
        posting = postings[f]
        for x, (i, vi) in enumerate(posting):
            row = sims[i]
            for j, vj in posting[x + 1 :]:
                row[j] = row.get(j, 0.0) + vi * vj
    return sims


def average_link(
    sizes: Sequence[int], sims: dict[int, dict[int, float]], threshold: float
) -> list[list[int]]:
    """Merge the two clusters with the highest mean pairwise similarity until none reaches
    `threshold`. Item i starts as a cluster of sizes[i] identical answers (merged up front:
    they are alike by 1.0, so plain average link would merge them first anyway). Ties go to
    the lower cluster numbers, so the result is deterministic.

    The heap holds one entry per cluster, its best neighbour, rather than every pair: after
    a merge only the clusters whose best neighbour was merged look again."""
    members: dict[int, list[int]] = {i: [i] for i in range(len(sizes))}
    weight: dict[int, int] = dict(enumerate(sizes))
    # Sum of pairwise similarities between two live clusters, both directions kept.
    total: dict[int, dict[int, float]] = {i: {} for i in range(len(sizes))}
    for i, row in sims.items():
        for j, s in row.items():
            total[i][j] = total[j][i] = s * sizes[i] * sizes[j]
    best: dict[int, tuple[float, int]] = {}
    heap: list[tuple[float, int, int]] = []

    def look(i: int) -> None:
        """Find cluster i's best neighbour and queue it if it is close enough."""
        w = weight[i]
        found = max(((s / (w * weight[k]), -k) for k, s in total[i].items()), default=(0.0, 0))
        best[i] = (found[0], -found[1])
        if found[0] >= threshold:
            heapq.heappush(heap, (-found[0], i, -found[1]))

    for i in members:
        look(i)
    next_id = len(sizes)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members or best[a] != (-neg, b):
            continue  # stale: a cluster was merged, or a found a better neighbour since
        c = next_id
        next_id += 1
        members[c] = members.pop(a) + members.pop(b)
        weight[c] = size = weight.pop(a) + weight.pop(b)
        del best[a], best[b]
        row_a, row_b = total.pop(a), total.pop(b)
        new_row = dict(row_a)
        for k, s in row_b.items():
            new_row[k] = new_row.get(k, 0.0) + s
        new_row.pop(a, None)
        new_row.pop(b, None)
        total[c] = new_row
        for k, s in new_row.items():
            row_k = total[k]
            row_k.pop(a, None)
            row_k.pop(b, None)
            row_k[c] = s
            mean, partner = best[k]
            if partner in (a, b):
                look(k)
            elif s / (size * weight[k]) > mean:
                best[k] = (s / (size * weight[k]), c)
                if best[k][0] >= threshold:
                    heapq.heappush(heap, (-best[k][0], k, c))
        look(c)
    return [sorted(m) for m in members.values()]
