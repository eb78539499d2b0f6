"""The word view of an open prompt: its most used meaningful words and two-word phrases, and
where to draw them in a server-drawn SVG (templates/partials/_word_view.html).

Counts are answers, not occurrences: someone who types "pesten" three times counts once.
Dutch stop words are out; inflections share a stem ("ouder", "ouders") and show in the form
typed most often. A phrase is two words typed next to each other with no stop word between
("sociale media"); a word that only ever occurs inside its phrase is not listed twice.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.services.charts import GLYPH
from app.services.grouping.dutch import fold, stem
from app.services.grouping.stopwords import STOP_WORDS

MAX_TERMS = 30
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?:;\n]\s*$")


@dataclass(frozen=True)
class Term:
    text: str  # as typed most often
    count: int  # answers that use it
    phrase: bool = False


def _words(text: str) -> list[tuple[str, str, bool] | None]:
    """(surface, stem, at a sentence start) per word; None where a stop word breaks a run."""
    out: list[tuple[str, str, bool] | None] = []
    for match in _WORD.finditer(text):
        key = fold(match.group())
        if not 2 <= len(key) <= 40 or key in STOP_WORDS:
            out.append(None)
            continue
        before = text[: match.start()]
        at_start = not before.strip() or bool(_SENTENCE_END.search(before))
        out.append((match.group(), stem(key), at_start))
    return out


def _shown(forms: Counter[tuple[str, bool]]) -> str:
    """The form typed most often; a capital only there because a sentence starts with the
    word is dropped ("Pesten" at the start is "pesten"), a name's capital ("TikTok") kept."""
    by_form: Counter[str] = Counter()
    for (form, at_start), n in forms.items():
        plain = form[:1].lower() + form[1:] if at_start and form[1:] == form[1:].lower() else form
        by_form[plain] += n
    return min(by_form.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def frequent_terms(
    texts: Iterable[str], *, limit: int = MAX_TERMS, min_phrase: int = 2
) -> list[Term]:
    """The `limit` most used words and phrases (a phrase needs `min_phrase` answers), most
    used first, then phrases before words, then alphabetically."""
    words: Counter[str] = Counter()
    phrases: Counter[tuple[str, str]] = Counter()
    forms: dict[str | tuple[str, str], Counter[tuple[str, bool]]] = {}
    for text in texts:
        seq = _words(text)
        seen_words: set[str] = set()
        seen_phrases: set[tuple[str, str]] = set()
        for i, item in enumerate(seq):
            if item is None:
                continue
            surface, word, at_start = item
            seen_words.add(word)
            forms.setdefault(word, Counter())[(surface, at_start)] += 1
            nxt = seq[i + 1] if i + 1 < len(seq) else None
            if nxt is not None and nxt[1] != word:
                pair = (word, nxt[1])
                seen_phrases.add(pair)
                forms.setdefault(pair, Counter())[(f"{surface} {nxt[0]}", at_start)] += 1
        words.update(seen_words)
        phrases.update(seen_phrases)
    terms = [
        Term(_shown(forms[pair]), n, phrase=True) for pair, n in phrases.items() if n >= min_phrase
    ]
    inside: Counter[str] = Counter()
    for pair, n in phrases.items():
        if n >= min_phrase:
            for word in pair:
                inside[word] = max(inside[word], n)
    terms += [Term(_shown(forms[w]), n) for w, n in words.items() if inside[w] < n]
    terms.sort(key=lambda t: (-t.count, not t.phrase, t.text.lower(), t.text))
    return terms[:limit]


# --- Layout: rows of words, biggest first, centred; never overlapping, never outside --------


@dataclass(frozen=True)
class PlacedTerm:
    text: str
    count: int
    phrase: bool
    x: float  # left end of the text
    y: float  # baseline
    size: float  # font size
    width: float  # drawn width: the SVG forces the text to it (textLength)
    top: float  # the box the text is drawn in: top to top + size

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom)."""
        return (self.x, self.top, self.x + self.width, self.top + self.size)


@dataclass(frozen=True)
class WordCloud:
    width: int
    height: int
    terms: tuple[PlacedTerm, ...]


# Narrow enough that the smallest word stays readable when a phone shrinks the picture.
WIDTH = 560
PAD = 8
MIN_SIZE = 15.0
MAX_SIZE = 46.0


def _size(count: int, low: int, high: int) -> float:
    if high == low:
        return (MIN_SIZE + MAX_SIZE) / 2 if high > 1 else MIN_SIZE + 8
    share = (math.sqrt(count) - math.sqrt(low)) / (math.sqrt(high) - math.sqrt(low))
    return round(MIN_SIZE + share * (MAX_SIZE - MIN_SIZE), 1)


def _text_width(text: str, size: float) -> float:
    """The width the text is drawn at; capitals are wider than the average glyph."""
    capitals = sum(c.isupper() for c in text)
    return size * (GLYPH * (len(text) - capitals) + 0.72 * capitals)


def word_cloud(terms: Sequence[Term]) -> WordCloud:
    """Place the terms in centred rows in a viewBox WIDTH wide, biggest first. Each text is
    drawn with its width fixed (textLength), so the boxes computed here are the drawn ones:
    they never overlap and never leave the viewBox, whatever font the reader has."""
    if not terms:
        return WordCloud(WIDTH, 0, ())
    counts = [t.count for t in terms]
    inner = WIDTH - 2 * PAD
    rows: list[list[tuple[Term, float, float]]] = [[]]
    used = 0.0
    for term in terms:
        size = _size(term.count, min(counts), max(counts))
        width = _text_width(term.text, size)
        if width > inner:  # one very long phrase: smaller, never wider than the picture
            size, width = size * inner / width, inner
        gap = size * 0.5 if rows[-1] else 0.0
        if rows[-1] and used + gap + width > inner:
            rows.append([])
            used, gap = 0.0, 0.0
        rows[-1].append((term, size, width))
        used += gap + width
    placed: list[PlacedTerm] = []
    top = float(PAD)
    for row in rows:
        height = max(size for _, size, _ in row) * 1.25
        widths = sum(w for _, _, w in row) + sum(s * 0.5 for _, s, _ in row[1:])
        x = PAD + (inner - widths) / 2
        for i, (term, size, width) in enumerate(row):
            if i:
                x += size * 0.5
            word_top = top + (height - size) / 2
            placed.append(
                PlacedTerm(
                    text=term.text,
                    count=term.count,
                    phrase=term.phrase,
                    x=round(x, 1),
                    y=round(word_top + size * 0.8, 1),
                    size=round(size, 1),
                    width=round(width, 1),
                    top=round(word_top, 1),
                )
            )
            x += width
        top += height
    return WordCloud(WIDTH, int(top + PAD + 0.5), tuple(placed))
