"""Dutch messages for a deck that fails the cards/ schema, naming where the problem is."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.decks import Deck, _duplicate_id_loc, _node_line
from app.i18n import N_
from app.services.errors import InvalidInput

_FIELDS = {
    "title": "titel",
    "audience": "voor wie",
    "intro": "inleiding",
    "tip": "tip",
    "source": "bron",
    "slug": "slug",
    "language": "taal",
    "schema_version": "schema_version",
    "themes": "thema's",
    "prompts": "vragen",
    "text": "tekst",
    "kind": "soort",
    "scale_low": "label bij 1",
    "scale_high": "label bij 5",
    "derived_from": "herkomst (derived_from)",
    "wie_zijn_aan_zet": "Wie zijn aan zet?",
    "id": "id",
}


def _where(loc: tuple[int | str, ...]) -> str:
    """("themes", 1, "prompts", 0, "text") -> "thema 2, vraag 1, tekst"."""
    parts: list[str] = []
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            parts.append(f"{'vraag' if previous == 'prompts' else 'thema'} {part + 1}")
        elif part not in ("themes", "prompts") or part == loc[-1]:
            parts.append(_FIELDS.get(part, part))
        previous = part
    return ", ".join(parts) or "de kaartset"


def _problem(err: ErrorDetails) -> str:
    kind, ctx, msg = err["type"], err.get("ctx") or {}, err["msg"]
    if kind == "missing":
        return "ontbreekt"
    if kind == "string_too_short":
        return "mag niet leeg zijn"
    if kind == "string_too_long":
        return f"is te lang (hoogstens {ctx.get('max_length')} tekens)"
    if kind == "too_short":
        return f"moet er minstens {ctx.get('min_length')} hebben"
    if kind == "too_long":
        return f"mag er hoogstens {ctx.get('max_length')} hebben"
    if kind == "enum":
        return f"kies uit: {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        return "alleen kleine letters, cijfers en streepjes"
    if kind == "extra_forbidden":
        return "is geen veld van een kaartset"
    if "unique" in msg:
        return "komt twee keer voor; elke id moet uniek zijn"
    if "derived_from" in msg:
        return "een afgeleide vraag noemt waar ze vandaan komt (derived_from)"
    if "scale_low" in msg:
        return "labels bij 1 en 5 horen alleen bij een schaalvraag"
    return f"is ongeldig ({msg})"


def validate_deck(data: Any, *, filename: str | None = None, text: str | None = None) -> Deck:
    """Validate a deck as cards/ does; raise InvalidInput in Dutch naming line and field."""
    if not isinstance(data, dict):
        raise InvalidInput(
            N_("%(file)s: dit is geen kaartset (verwacht velden zoals title en themes)."),
            file=filename or "",
        )
    try:
        return Deck.model_validate(data)
    except ValidationError as exc:
        root = yaml.compose(text) if text is not None else None
        lines = []
        for err in exc.errors()[:5]:
            loc = tuple(err["loc"]) or _duplicate_id_loc(data)
            line = f"regel {_node_line(root, loc)}, " if root is not None else ""
            lines.append(f"{line}{_where(loc)}: {_problem(err)}")
        prefix = f"{filename}, " if filename else ""
        raise InvalidInput(
            N_("De kaartset klopt niet: %(problems)s"),
            problems="; ".join(prefix + x for x in lines),
        ) from exc


def parse_yaml(text: str, *, filename: str) -> Deck:
    """An uploaded deck file: YAML in the cards/ schema."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise InvalidInput(
            N_("%(file)s, regel %(line)s: dit is geen geldige YAML."), file=filename, line=line
        ) from exc
    return validate_deck(data, filename=filename, text=text)
