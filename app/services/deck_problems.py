"""Dutch messages for a deck that fails the cards/ schema, naming where the problem is."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.decks import Deck, _duplicate_id_loc, _node_line
from app.i18n import N_, translate
from app.services.errors import InvalidInput

# A piece of a message: a marked Dutch msgid and its parameters, translated when shown.
Piece = tuple[str, dict[str, object]]

_FIELDS = {
    "title": N_("titel"),
    "audience": N_("voor wie"),
    "intro": N_("inleiding"),
    "tip": N_("tip"),
    "source": N_("bron"),
    "themes": N_("thema's"),
    "prompts": N_("vragen"),
    "text": N_("tekst"),
    "kind": N_("soort"),
    "scale_low": N_("label bij 1"),
    "scale_high": N_("label bij 5"),
}


def _where(loc: tuple[int | str, ...]) -> list[Piece]:
    """("themes", 1, "prompts", 0, "text") -> thema 2, vraag 1, tekst."""
    parts: list[Piece] = []
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            label = N_("vraag %(n)s") if previous == "prompts" else N_("thema %(n)s")
            parts.append((label, {"n": part + 1}))
        elif part not in ("themes", "prompts") or part == loc[-1]:
            # Field names without a Dutch label (slug, id, derived_from) are the YAML keys.
            parts.append((_FIELDS.get(part, "%(key)s"), {"key": part}))
        previous = part
    return parts or [(N_("de kaartset"), {})]


def _problem(err: ErrorDetails) -> Piece:
    kind, ctx, msg = err["type"], err.get("ctx") or {}, err["msg"]
    simple = {
        "missing": N_("ontbreekt"),
        "string_too_short": N_("mag niet leeg zijn"),
        "string_pattern_mismatch": N_("alleen kleine letters, cijfers en streepjes"),
        "extra_forbidden": N_("is geen veld van een kaartset"),
    }
    if kind in simple:
        return simple[kind], {}
    if kind == "string_too_long":
        return N_("is te lang (hoogstens %(n)s tekens)"), {"n": ctx.get("max_length")}
    if kind == "too_short":
        return N_("moet er minstens %(n)s hebben"), {"n": ctx.get("min_length")}
    if kind == "too_long":
        return N_("mag er hoogstens %(n)s hebben"), {"n": ctx.get("max_length")}
    if kind == "enum":
        return N_("kies uit: %(choices)s"), {"choices": ctx.get("expected")}
    if "unique" in msg:
        return N_("komt twee keer voor; elke id moet uniek zijn"), {}
    if "derived_from" in msg:
        return N_("een afgeleide vraag noemt waar ze vandaan komt (derived_from)"), {}
    if "scale_low" in msg:
        return N_("labels bij 1 en 5 horen alleen bij een schaalvraag"), {}
    return N_("is ongeldig (%(reason)s)"), {"reason": msg}


class DeckInvalid(InvalidInput):
    """A deck that fails the schema; each problem is translated piece by piece when shown."""

    def __init__(self, problems: list[tuple[list[Piece], Piece]]) -> None:
        self.problems = problems
        super().__init__(N_("De kaartset klopt niet: %(problems)s"), problems=self._text("nl"))

    def _text(self, lang: str) -> str:
        return "; ".join(
            ", ".join(translate(lang, m, **p) for m, p in where)
            + ": "
            + translate(lang, problem[0], **problem[1])
            for where, problem in self.problems
        )

    def translated(self, lang: str) -> str:
        return translate(lang, self.msgid, problems=self._text(lang))


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
        problems = []
        for err in exc.errors()[:5]:
            loc = tuple(err["loc"]) or _duplicate_id_loc(data)
            where: list[Piece] = [("%(file)s", {"file": filename})] if filename else []
            if root is not None:
                where.append((N_("regel %(n)s"), {"n": _node_line(root, loc)}))
            problems.append((where + _where(loc), _problem(err)))
        raise DeckInvalid(problems) from exc


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
