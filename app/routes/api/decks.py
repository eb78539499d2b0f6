"""The card decks a workshop can be made from."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import FacilitatorDep
from app.api.errors import ApiRoute
from app.api.schemas import DeckSummaryOut, ThemeSummaryOut
from app.decks import Deck
from app.deps import DecksDep
from app.services.errors import NotFound

router = APIRouter(route_class=ApiRoute, tags=["decks"])


@router.get("/decks")
def list_decks(decks: DecksDep, _user: FacilitatorDep) -> list[DeckSummaryOut]:
    return [
        DeckSummaryOut(
            id=deck.slug,
            title=deck.title,
            audience=deck.audience,
            themes=[
                ThemeSummaryOut(
                    id=theme.id,
                    title=theme.title,
                    prompt_count=len(theme.prompts),
                    wie_zijn_aan_zet=theme.wie_zijn_aan_zet,
                )
                for theme in deck.themes
            ],
        )
        for deck in sorted(decks.values(), key=lambda d: d.title)
    ]


@router.get("/decks/{deck_id}")
def get_deck(deck_id: str, decks: DecksDep, _user: FacilitatorDep) -> Deck:
    """The whole deck as its YAML file holds it: intro, tip, themes and prompts."""
    deck = decks.get(deck_id)
    if deck is None:
        raise NotFound("Deze kaartset bestaat niet.")
    return deck
