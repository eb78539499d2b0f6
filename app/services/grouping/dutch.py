"""Dutch text analysis shared by the suggested groups and the word view.

An answer becomes a list of `Word`s: what was typed, its folded key (lower case, accents
off), its Snowball stem, the lexicon concept it belongs to if any, and the stems of the
parts of a compound ("jeugdagent" = "jeugd" + "agent"). Stop words are dropped but leave a
gap, so a phrase never spans one ("contact met ouders" is no phrase "contact ouders").
Everything runs on this server; nothing is downloaded.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import snowballstemmer

from app.services.grouping.lexicon import Lexicon
from app.services.grouping.stopwords import STOP_WORDS

_LETTERS = re.compile(r"[^\W\d_]+")
# Typos are only corrected in words this long: shorter ones collide with real words.
_TYPO_MIN = 6
_PART_MIN = 3
_COMPOUND_MIN = 7
# Longer runs of letters are no words (and would make the stemmer crawl).
_LONGEST = 40
# The shortest part a lexicon word may be cut off from when the other part is unknown.
_HEAD_MIN = 5
_local = threading.local()
_stems: dict[str, str] = {}
_tokens: dict[str, tuple[str, str] | None] = {}


def fold(text: str) -> str:
    """Lower case without accents: "Coördinatie" and "coordinatie" are one word."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def stem(key: str) -> str:
    """The Dutch Snowball stem of a folded word (cached; the stemmer is per thread)."""
    found = _stems.get(key)
    if found is None:
        stemmer = getattr(_local, "stemmer", None)
        if stemmer is None:
            stemmer = _local.stemmer = snowballstemmer.stemmer("dutch")
        found = str(stemmer.stemWord(key))
        if len(_stems) < 200_000:  # bounded: answers are many, distinct words are not
            _stems[key] = found
    return found


@dataclass(frozen=True)
class Word:
    surface: str
    key: str
    stem: str
    concept: int | None = None
    parts: tuple[str, ...] = ()


def _token(surface: str) -> tuple[str, str] | None:
    if surface in _tokens:
        return _tokens[surface]
    key = fold(surface)
    found = None if not 2 <= len(key) <= _LONGEST or key in STOP_WORDS else (surface, key)
    if len(_tokens) < 200_000:  # bounded, as the stems
        _tokens[surface] = found
    return found


def tokens(text: str) -> list[tuple[str, str] | None]:
    """(surface, key) per word; None where a stop word, a one-letter word or a run of more
    than 40 letters was (numbers and signs are no words at all)."""
    return [_token(surface) for surface in _LETTERS.findall(text)]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Analyser:
    """Turns answers into `Word`s with one lexicon; build once, use from any thread."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.names = tuple(c.name for c in lexicon.concepts)
        self._single: dict[str, int] = {}
        # stem -> (term, concept): a stem alone over-matches ("scholing" stems to "school").
        self._by_stem: dict[str, list[tuple[str, int]]] = {}
        self._phrases: dict[tuple[str, ...], int] = {}
        self._typos: dict[str, set[str]] = {}
        for index, concept in enumerate(lexicon.concepts):
            for term in concept.terms:
                words = [key for t in tokens(term) if t for key in (t[1],)]
                if len(words) == 1:
                    self._single.setdefault(words[0], index)
                    self._by_stem.setdefault(stem(words[0]), []).append((words[0], index))
                    if len(words[0]) >= _TYPO_MIN:
                        for d in {words[0], *_deletes(words[0])}:
                            self._typos.setdefault(d, set()).add(words[0])
                elif words:
                    self._phrases.setdefault(tuple(stem(w) for w in words), index)
        self._max_phrase = max((len(p) for p in self._phrases), default=1)
        self._phrase_starts = frozenset(p[0] for p in self._phrases)
        self._known = frozenset(self._single) | {
            k for p in lexicon.parts if (k := fold(p)) and len(k) >= _PART_MIN
        }

    def term_of(self, key: str) -> str | None:
        """The lexicon term a folded word is: the term itself, a plural the stemmer keeps
        apart from its singular ("wapens", "wapen"), or an inflection with the same stem
        that keeps all but the last two letters of the term ("agenten")."""
        if key in self._single:
            return key
        for ending in ("s", "en", "e"):
            if key.endswith(ending) and key[: -len(ending)] in self._single:
                return key[: -len(ending)]
        for term, _ in self._by_stem.get(stem(key), ()):
            if _common_prefix(key, term) >= len(term) - 2:
                return term
        return None

    def concept_of(self, key: str) -> int | None:
        term = self.term_of(key)
        return None if term is None else self._single[term]

    def _corrected(self, key: str) -> str | None:
        """The lexicon word one typing slip away (deleted, added, swapped or changed letter)."""
        if len(key) < _TYPO_MIN or key in self._single:
            return None
        found = set(self._typos.get(key, ()))
        for d in _deletes(key):
            found |= self._typos.get(d, set())
        found = {f for f in found if abs(len(f) - len(key)) <= 1}
        return min(found) if found else None

    def _split(self, key: str, vocabulary: frozenset[str]) -> tuple[str, str] | None:
        """The most balanced cut into two known words, allowing a linking "s", "e" or "en"."""

        def known(w: str) -> bool:
            return len(w) >= _PART_MIN and (
                w in self._known or w in vocabulary or self.concept_of(w) is not None
            )

        best: tuple[tuple[int, int], tuple[str, str]] | None = None
        for i in range(_PART_MIN, len(key) - _PART_MIN + 1):
            head = key[i:]
            if not known(head):
                continue
            left = key[:i]
            for modifier in (left, left[:-1] if left[-1] in "se" else "", left.removesuffix("en")):
                if modifier and known(modifier):
                    score = (min(len(modifier), len(head)), len(head))
                    if best is None or score > best[0]:
                        best = (score, (modifier, head))
                    break
        if best is None:
            # One part in the lexicon is enough when the other is a plausible word: Dutch
            # compounds end in their head ("steekwapens"), and an unknown head after a
            # lexicon word still marks the topic ("pestgedrag").
            for i in range(_PART_MIN, len(key) - _HEAD_MIN + 1):
                if self.concept_of(key[i:]) is not None:
                    return key[:i], key[i:]
            for i in range(len(key) - _HEAD_MIN, _PART_MIN - 1, -1):
                if self.concept_of(key[:i]) is not None:
                    return key[:i], key[i:]
        return None if best is None else best[1]

    def _word(self, surface: str, key: str, vocabulary: frozenset[str]) -> Word:
        term = self.term_of(key)
        if term is None:
            term = self._corrected(key)
        concept = None if term is None else self._single[term]
        # A plural or a typo gets its term's stem, so it shares the word with the term.
        base = key if term is None else term
        parts: tuple[str, ...] = ()
        if len(base) >= _COMPOUND_MIN:
            cut = self._split(base, vocabulary)
            if cut is not None:
                parts = tuple(stem(self.term_of(p) or p) for p in cut)
                if concept is None:
                    head, modifier = self.concept_of(cut[1]), self.concept_of(cut[0])
                    concept = head if head is not None else modifier
        return Word(surface, base, stem(base), concept, parts)

    def words(
        self,
        text: str,
        vocabulary: frozenset[str] = frozenset(),
        cache: dict[str, Word] | None = None,
    ) -> list[Word | None]:
        """The answer's words in order, None for each gap; `vocabulary` holds the folded words
        of the other answers, so a compound can be cut into words the room itself uses.
        `cache` keeps each typed word's analysis for one batch with the same vocabulary."""
        cache = {} if cache is None else cache
        out: list[Word | None] = []
        for token in tokens(text):
            if token is None:
                out.append(None)
                continue
            found = cache.get(token[0])
            if found is None:
                found = cache[token[0]] = self._word(token[0], token[1], vocabulary)
            out.append(found)
        self._mark_phrases(out)
        return out

    def _mark_phrases(self, words: list[Word | None]) -> None:
        """Give the words of a lexicon phrase ("sociale media") the phrase's concept."""
        for start, first in enumerate(words):
            if first is None or first.stem not in self._phrase_starts:
                continue
            for length in range(self._max_phrase, 1, -1):
                run = words[start : start + length]
                if len(run) < length or any(w is None for w in run):
                    continue
                concept = self._phrases.get(tuple(w.stem for w in run if w is not None))
                if concept is not None:
                    for offset, w in enumerate(run):
                        assert w is not None
                        words[start + offset] = Word(w.surface, w.key, w.stem, concept, w.parts)
                    break


def vocabulary_of(texts: Iterable[str]) -> frozenset[str]:
    """The folded content words of some answers, four letters or more (compound parts)."""
    return frozenset(t[1] for text in texts for t in tokens(text) if t and len(t[1]) >= 4)
