"""Suggested groups for an open prompt's answers, computed on this server (docs/grouping.md).

No third-party service sees the answers and nothing is downloaded: Dutch stop words, Snowball
stems, compound splitting and the domain lexicon in cards/lexicon/nl.yaml turn each answer
into a TF-IDF vector; average-link clustering on cosine similarity groups them and the most
characteristic concept or words of each group label it. `suggest_groups`, `best_group` and
`Suggestion` are the interface the routes use.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.services.grouping.cluster import (
    average_link,
    cosine,
    features,
    idf_of,
    similarities,
    vectorise,
)
from app.services.grouping.dutch import Analyser, Word, vocabulary_of
from app.services.grouping.lexicon import Lexicon, load_lexicon

__all__ = ["MAX_LABEL", "Suggestion", "best_group", "suggest_groups"]

MAX_GROUPS = 20
MAX_LABEL = 60
# Mean cosine two clusters need to merge; measured on tests/corpora/groups_nl.yaml.
THRESHOLD = 0.1
# A new answer joins a group only if it is at least this much like its answers on average.
JOIN_THRESHOLD = 0.08


@dataclass(frozen=True)
class Suggestion:
    """One suggested group: a label and the answers in it (each answer in at most one)."""

    label: str
    answer_ids: tuple[int, ...]


@functools.cache
def _analyser(lexicon: Lexicon | None) -> Analyser:
    return Analyser(load_lexicon() if lexicon is None else lexicon)


def _analyse(texts: Sequence[str], lexicon: Lexicon | None) -> list[list[Word | None]]:
    analyser = _analyser(lexicon)
    vocabulary = vocabulary_of(texts)
    cache: dict[str, Word] = {}
    return [analyser.words(t, vocabulary, cache) for t in texts]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _label(
    words: list[list[Word | None]], idf: dict[str, float], names: tuple[str, ...]
) -> tuple[str, str]:
    """(label, the group's most characteristic typed word) for one group's answers."""
    size = len(words)
    share: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = {}
    for answer in words:
        seen = set()
        for w in answer:
            if w is None:
                continue
            seen.add("w:" + w.stem)
            surfaces.setdefault(w.stem, Counter())[w.surface.lower()] += 1
            if w.concept is not None:
                seen.add(f"c:{w.concept}")
        share.update(seen)

    def surface(feature: str) -> str:
        return min(surfaces[feature[2:]].items(), key=lambda kv: (-kv[1], kv[0]))[0]

    ranked = sorted(
        (f for f in share if f[0] == "w"), key=lambda f: (-share[f] * idf.get(f, 1.0), f)
    )
    top_word = surface(ranked[0]) if ranked else ""
    concepts = sorted((f for f in share if f[0] == "c"), key=lambda f: (-share[f], f))
    if concepts and share[concepts[0]] * 2 >= size:
        return names[int(concepts[0][2:])], top_word
    shared = [surface(f) for f in ranked[:2] if share[f] >= 2]
    label = " en ".join(shared) if shared else top_word
    return _capitalised(label or "?")[:MAX_LABEL], top_word


def suggest_groups(
    answers: Sequence[tuple[int, str]],
    *,
    lexicon: Lexicon | None = None,
    threshold: float = THRESHOLD,
    max_groups: int = MAX_GROUPS,
) -> list[Suggestion]:
    """Group (answer id, text) pairs; deterministic for the same input in any order.

    Answers like no other stay ungrouped. Biggest group first; `lexicon` defaults to
    cards/lexicon/nl.yaml (pass `EMPTY` from .lexicon to measure without it).
    """
    ordered = sorted(dict(sorted(answers, reverse=True)).items())  # one text per id
    ids = [i for i, _ in ordered]
    words = _analyse([t for _, t in ordered], lexicon)
    docs = [features(w) for w in words]
    idf = idf_of(docs)
    vectors = [vectorise(d, idf) for d in docs]
    # Answers with the same vector ("pesten", "Pesten!") enter as one item with a weight.
    same: dict[tuple[tuple[str, float], ...], list[int]] = {}
    for i, vec in enumerate(vectors):
        if vec:  # an answer without a content word is like nothing, not like each other
            same.setdefault(tuple(sorted(vec.items())), []).append(i)
    items = list(same.values())
    merged = average_link(
        [len(m) for m in items], similarities([vectors[m[0]] for m in items]), threshold
    )
    clusters = [sorted(i for item in c for i in items[item]) for c in merged]
    clusters = [c for c in clusters if len(c) >= 2]
    clusters.sort(key=lambda c: (-len(c), c[0]))
    names = _analyser(lexicon).names
    out: list[Suggestion] = []
    used: set[str] = set()
    for cluster in clusters[:max_groups]:
        label, top = _label([words[i] for i in cluster], idf, names)
        if label in used and top:
            label = f"{label}: {top}"[:MAX_LABEL]
        n = 2
        base = label
        while label in used:
            label, n = f"{base[: MAX_LABEL - 4]} ({n})", n + 1
        used.add(label)
        out.append(Suggestion(label=label, answer_ids=tuple(ids[i] for i in cluster)))
    return out


def best_group(
    text: str, groups: Sequence[Sequence[str]], *, lexicon: Lexicon | None = None
) -> int | None:
    """The index of the group whose answers `text` is most like, or None if it fits none.

    Used to let a new answer join an existing group without moving any other answer. Ties
    go to the earlier group.
    """
    texts = [t for g in groups for t in g]
    words = _analyse([text, *texts], lexicon)
    docs = [features(w) for w in words]
    idf = idf_of(docs)
    vectors = [vectorise(d, idf) for d in docs]
    mine, rest = vectors[0], iter(vectors[1:])
    best: tuple[float, int] | None = None
    for index, group in enumerate(groups):
        members = [next(rest) for _ in group]
        if not members:
            continue
        score = sum(cosine(mine, m) for m in members) / len(members)
        if score >= JOIN_THRESHOLD and (best is None or score > best[0]):
            best = (score, index)
    return None if best is None else best[1]
