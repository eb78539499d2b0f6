"""The domain lexicon (cards/lexicon/nl.yaml): concept classes of words that mean the same.

Validated on load; a broken file stops the load with the file, the concept and the problem,
as the decks do. It sits in a folder of its own so the deck loader (cards/*.yaml) never
mistakes it for a deck.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.decks import CARDS_DIR

LEXICON_PATH = CARDS_DIR / "lexicon" / "nl.yaml"
MAX_NAME = 40
# Words of letters (accents and inner hyphens or apostrophes allowed) separated by spaces.
_WORD = r"[^\W\d_]+(?:[-'][^\W\d_]+)*"
_TERM = re.compile(rf"^{_WORD}(?: {_WORD})*$")


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and the concept."""


@dataclass(frozen=True)
class Concept:
    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    concepts: tuple[Concept, ...]
    parts: tuple[str, ...] = ()


EMPTY = Lexicon(concepts=())


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}: expected a list of words")
    return [" ".join(v.split()) for v in value]


def parse_lexicon(text: str, *, filename: str) -> Lexicon:
    """Parse and validate a lexicon; raise LexiconError naming file, concept and problem."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{filename}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), list):
        raise LexiconError(f"{filename}: expected a mapping with a list 'concepts'")
    unknown = sorted(set(data) - {"concepts", "parts"})
    if unknown:
        raise LexiconError(f"{filename}: unknown field(s) {', '.join(unknown)}")
    seen: dict[str, str] = {}
    names: set[str] = set()
    concepts = []
    for index, raw in enumerate(data["concepts"], start=1):
        if not isinstance(raw, dict) or set(raw) != {"name", "terms"}:
            raise LexiconError(f"{filename}, concept {index}: needs exactly 'name' and 'terms'")
        name = raw["name"]
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
            raise LexiconError(
                f"{filename}, concept {index}: 'name' must be 1 to {MAX_NAME} characters"
            )
        name = name.strip()
        if name in names:
            raise LexiconError(f"{filename}, concept '{name}': the name is used twice")
        names.add(name)
        terms = _strings(raw["terms"], f"{filename}, concept '{name}'")
        if not terms:
            raise LexiconError(f"{filename}, concept '{name}': no terms")
        for term in terms:
            if not _TERM.match(term) or term != term.lower():
                raise LexiconError(
                    f"{filename}, concept '{name}': term '{term}' must be lower-case words"
                )
            if term in seen:
                raise LexiconError(
                    f"{filename}, concept '{name}': term '{term}' is already in "
                    f"concept '{seen[term]}'"
                )
            seen[term] = name
        concepts.append(Concept(name=name, terms=tuple(terms)))
    parts = _strings(data.get("parts", []), f"{filename}, parts")
    return Lexicon(concepts=tuple(concepts), parts=tuple(parts))


@functools.cache
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon in the file, read once per process."""
    return parse_lexicon(path.read_text(encoding="utf-8"), filename=path.name)
