"""Card decks: YAML files in cards/, validated against a schema at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

CARDS_DIR = Path(__file__).resolve().parent.parent / "cards"
WIE_ZIJN_AAN_ZET = "Wie zijn aan zet?"
# Where the closing question comes from on themes whose card does not print it.
WIE_ZIJN_AAN_ZET_ORIGIN = "NJi-gespreksleidraad, Les 7 Wie zijn aan zet?"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class PromptKind(StrEnum):
    open = "open"
    scale = "scale"


class PromptSource(StrEnum):
    nji = "nji"
    derived = "derived"
    # Written or edited by a facilitator in an own deck (see docs/decks.md).
    own = "own"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# A question on a card: free text, or a 1-5 self-assessment.
class DeckPrompt(_Strict):
    id: Slug
    text: Text
    kind: PromptKind = PromptKind.open
    source: PromptSource
    # Where a derived prompt comes from, e.g. "Les 5 Duiding en taal".
    derived_from: Text | None = None
    scale_low: Label | None = None
    scale_high: Label | None = None

    @model_validator(mode="after")
    def _derived_names_its_origin(self) -> DeckPrompt:
        if self.source is PromptSource.derived and self.derived_from is None:
            raise ValueError("a derived prompt needs 'derived_from' (the lesson it comes from)")
        if self.kind is PromptKind.open and (self.scale_low or self.scale_high):
            raise ValueError("'scale_low'/'scale_high' only belong to a scale prompt")
        return self


# One of the six themes of a card.
class DeckTheme(_Strict):
    id: Slug
    title: Text
    # Ends with the "Wie zijn aan zet?" question.
    wie_zijn_aan_zet: bool = True
    # The closing question as the card prints it (themes 1 and 2 of the NJi cards); a theme
    # whose card does not print it gets "Wie zijn aan zet?" as a derived prompt.
    wie_zijn_aan_zet_on_card: Text | None = None
    prompts: list[DeckPrompt] = Field(min_length=1)


# A whole card: who it is for, its intro and tip, and its themes.
class Deck(_Strict):
    schema_version: int = Field(ge=1, le=1)
    slug: Slug
    title: Text
    audience: Text
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "nl"
    source: Text
    intro: Text
    tip: Text
    themes: list[DeckTheme] = Field(min_length=1, max_length=12)

    @model_validator(mode="after")
    def _ids_are_unique(self) -> Deck:
        theme_ids = [t.id for t in self.themes]
        if len(set(theme_ids)) != len(theme_ids):
            raise ValueError("theme ids must be unique within a deck")
        prompt_ids = [p.id for t in self.themes for p in t.prompts]
        if len(set(prompt_ids)) != len(prompt_ids):
            raise ValueError("prompt ids must be unique within a deck")
        return self


class DeckError(Exception):
    """A deck file that cannot be served; the message names file, line and field."""


@dataclass(frozen=True)
class _Problem:
    field: str
    line: int | None
    message: str


def _node_line(root: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a 1-based line."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _field_name(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(document)"


def _duplicate_id_loc(data: Any) -> tuple[int | str, ...]:
    """Where the first repeated theme id, or else prompt id, sits in the raw deck; () if none."""
    themes = data.get("themes", [])  # only reached once every field validated
    seen: set[Any] = set()
    for i, theme in enumerate(themes):
        if theme.get("id") in seen:
            return ("themes", i, "id")
        seen.add(theme.get("id"))
    seen = set()
    for i, theme in enumerate(themes):
        for j, prompt in enumerate(theme.get("prompts", [])):
            if prompt.get("id") in seen:
                return ("themes", i, "prompts", j, "id")
            seen.add(prompt.get("id"))
    return ()


def parse_deck(text: str, *, filename: str) -> Deck:
    """Parse and validate one deck; raise DeckError naming file, line and field."""
    try:
        root = yaml.compose(text)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise DeckError(f"{filename}{line}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise DeckError(f"{filename}, line 1, field (document): expected a mapping of fields")
    try:
        deck = Deck.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = err["loc"] or _duplicate_id_loc(data)
            problems.append(_Problem(_field_name(loc), _node_line(root, loc), err["msg"]))
        lines = "; ".join(
            f"{filename}, line {p.line}, field {p.field}: {p.message}" for p in problems
        )
        raise DeckError(lines) from exc
    expected_slug = Path(filename).stem
    if deck.slug != expected_slug:
        raise DeckError(
            f"{filename}, line {_node_line(root, ('slug',))}, field slug: "
            f"'{deck.slug}' must match the file name '{expected_slug}'"
        )
    return deck


def load_decks(directory: Path = CARDS_DIR) -> dict[str, Deck]:
    """Load every deck in the directory; any broken file stops the whole load."""
    decks: dict[str, Deck] = {}
    strays = sorted(p.name for p in directory.glob("*.yml"))
    if strays:
        raise DeckError(f"{', '.join(strays)}: deck files must end in .yaml")
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise DeckError(f"{directory}: no deck files (*.yaml) found")
    for path in files:
        deck = parse_deck(path.read_text(encoding="utf-8"), filename=path.name)
        decks[deck.slug] = deck
    return decks


# The decks the running app serves, for views that show a card's own words (intro, tip) in
# live fragments, which are rendered from the room alone. Set once at start-up.
_SERVED: dict[str, Deck] = {}


def serve_decks(decks: dict[str, Deck]) -> None:
    _SERVED.clear()
    _SERVED.update(decks)


def served_deck(slug: str) -> Deck | None:
    """The deck with this slug; before start-up (scripts, tests) the decks in cards/."""
    if not _SERVED:
        serve_decks(load_decks())
    return _SERVED.get(slug)
