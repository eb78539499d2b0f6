"""Suggested groups: quality (adjusted Rand index) on the labelled corpus and time for 500
answers, next to the first frequent-word version kept as the floor.

Targets (issue 11): ARI ≥ 0.6; 500 answers grouped in ≤ 300 ms. The 500 answers are the
corpus answers again with deterministic variation (a typo, a filler phrase, case, a word
left out), so they keep their gold group and the ARI can be read for them too.

    python -m tests.bench.grouping [--n 500] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence

from app.services.grouping import Suggestion, suggest_groups
from app.services.grouping.baseline import suggest_groups as baseline
from app.services.grouping.lexicon import EMPTY
from tests.support.clustering import (
    HELD_OUT,
    Corpus,
    adjusted_rand_index,
    load_corpus,
    predicted_labels,
)

TARGET_ARI = 0.6
TARGET_MS = 300.0
FILLERS = ["denk ik", "vooral bij ons", "echt een punt", "!!", "bij ons op school", "(mbo)"]
Grouper = Callable[[Sequence[tuple[int, str]]], list[Suggestion]]


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _marker(k: int) -> str:
    """A made-up word of letters only, different for each k."""
    word = "qz"
    while k:
        k, digit = divmod(k, 26)
        word += chr(ord("a") + digit)
    return word


def varied(
    corpus: Corpus, n: int, seed: int = 11, *, distinct: bool = False
) -> tuple[list[tuple[int, str]], list[str]]:
    """n answers made from the corpus, each copy with one variation; and their gold labels.
    `distinct` adds a made-up word to every answer so that no two have the same vector
    (the engine folds identical answers into one item; this measures it without that)."""
    rng = random.Random(seed)
    answers, gold = [], []
    source = list(corpus.answers)
    for k in range(n):
        answer_id, text = source[k % len(source)]
        if k >= len(source):
            words = text.split()
            kind = rng.randrange(4)
            if kind == 0:
                j = rng.randrange(len(words))
                words[j] = _typo(words[j], rng)
            elif kind == 1:
                words.append(rng.choice(FILLERS))
            elif kind == 2 and len(words) > 3:
                del words[rng.randrange(len(words))]
            else:
                words = [w.lower() for w in words]
            text = " ".join(words)
        if distinct:
            text += " " + _marker(k + 1)
        answers.append((k + 1, text))
        gold.append(corpus.gold[answer_id])
    rng.shuffle(answers)  # arrival order is not the corpus's order
    return answers, gold


def ari(group: Grouper, answers: Sequence[tuple[int, str]], gold: dict[int, str]) -> float:
    ids = sorted(gold)
    found = predicted_labels(ids, [g.answer_ids for g in group(answers)])
    return adjusted_rand_index([gold[i] for i in ids], found)


def timed(
    group: Grouper, answers: Sequence[tuple[int, str]], repeat: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per run. On a shared machine the wall time includes waiting
    for a core; the CPU time is what the work itself costs."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        group(answers)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _row(
    name: str, ari_corpus: str, ari_held: str, ari_many: float, wall: list[float], cpu: list[float]
) -> str:
    return (
        f"{name:<22}{ari_corpus:>7}{ari_held:>7}{ari_many:>8.3f}"
        f"{statistics.median(wall):>9.1f}{max(wall):>9.1f}"
        f"{statistics.median(cpu):>9.1f}{max(cpu):>9.1f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    corpus = load_corpus()
    held = load_corpus(HELD_OUT)
    gold = dict(corpus.gold)
    many, many_gold = varied(corpus, args.n)
    many_truth = {k + 1: g for k, g in enumerate(many_gold)}
    groupers: dict[str, Grouper] = {
        "engine": suggest_groups,
        "engine-no-lexicon": lambda a: suggest_groups(a, lexicon=EMPTY),
        "baseline": baseline,
    }
    out(f"# grouping: corpus {len(corpus.answers)} answers in {len(set(gold.values()))} groups")
    start = time.perf_counter()
    suggest_groups(many)  # a fresh process: lexicon read, stem cache empty
    out(f"first call, {args.n} answers, cold caches: {(time.perf_counter() - start) * 1000:.0f} ms")
    out(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.repeat} runs each")
    out(
        f"{'version':<22}{'ARI':>7}{'held':>7}{f'ARI {args.n}':>8}{'wall p50':>9}{'max':>9}"
        f"{'cpu p50':>9}{'max':>9}"
    )
    for name, group in groupers.items():
        wall, cpu = timed(group, many, args.repeat)
        corpus_ari = f"{ari(group, corpus.answers, gold):.3f}"
        held_ari = f"{ari(group, held.answers, dict(held.gold)):.3f}"
        out(_row(name, corpus_ari, held_ari, ari(group, many, many_truth), wall, cpu))
    distinct, _ = varied(corpus, args.n, distinct=True)
    wall, cpu = timed(suggest_groups, distinct, args.repeat)
    out(_row("engine, all distinct", "", "", ari(suggest_groups, distinct, many_truth), wall, cpu))
    out(
        f"ARI: the {len(corpus.answers)} corpus answers, the {len(held.answers)} held-out ones"
        f" (never used to tune), the {args.n} varied; ms per run"
    )
    out(f"targets: ARI >= {TARGET_ARI}, {args.n} answers <= {TARGET_MS:.0f} ms (engine rows)")


if __name__ == "__main__":
    main()
