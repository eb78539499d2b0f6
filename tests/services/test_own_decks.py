"""Own decks: copy, edit with the cards/ validation in Dutch, export that `decks check` accepts,
import, and who may see them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.cli import main as cli_main
from app.decks import Deck, PromptKind, PromptSource
from app.models import OwnDeck, User, WorkshopPrompt
from app.services import own_decks, workshops
from app.services.errors import InvalidInput, NotFound
from tests.factories import make_user, make_workshop

POLICY = "nji-beleidsmakers"


@pytest.fixture
def owner(session: Session) -> User:
    return make_user(session)


@pytest.fixture
def own(session: Session, owner: User, decks: dict[str, Deck]) -> OwnDeck:
    return own_decks.copy_deck(session=session, user=owner, file_decks=decks, slug=POLICY)


def _stored(session: Session, own: OwnDeck) -> Deck:
    session.expire_all()
    fresh = session.get(OwnDeck, own.id)
    assert fresh is not None
    return own_decks.deck_of(fresh)


def _save(session: Session, user: User, own: OwnDeck, form: own_decks.DeckForm) -> None:
    assert own.id is not None
    own_decks.update_deck(session=session, user=user, deck_id=own.id, form=form)


def test_a_copy_keeps_every_prompt_and_its_source(own: OwnDeck, decks: dict[str, Deck]) -> None:
    copy = own_decks.deck_of(own)
    original = decks[POLICY]
    assert copy.slug != POLICY and copy.slug.startswith(POLICY)
    assert copy.title == f"{original.title} (kopie)"
    assert copy.themes == original.themes
    sources = {p.source for t in copy.themes for p in t.prompts}
    assert sources == {PromptSource.nji, PromptSource.derived}


def test_editing_a_prompt_makes_it_own_and_leaves_the_rest(
    session: Session, owner: User, own: OwnDeck, decks: dict[str, Deck]
) -> None:
    form = own_decks.form_of(own_decks.deck_of(own))
    form.title = "Regio Noord 2026"
    form.themes[0].prompts[0].text = "Hebben we in Noord een gezamenlijke visie?"
    form.themes[1].prompts.append(own_decks.PromptForm(id="", text="Wat valt op in de cijfers?"))
    form.themes[2].prompts[0].remove = True
    form.themes[5].wie_zijn_aan_zet = False
    _save(session, owner, own, form)
    deck, original = _stored(session, own), decks[POLICY]
    assert deck.title == "Regio Noord 2026"
    edited = deck.themes[0].prompts[0]
    assert (edited.id, edited.source, edited.derived_from) == ("visie", PromptSource.own, None)
    untouched = deck.themes[0].prompts[1]
    assert untouched == original.themes[0].prompts[1]
    assert untouched.source is PromptSource.derived
    added = deck.themes[1].prompts[-1]
    assert (added.id, added.source, added.kind) == ("eigen-1", PromptSource.own, PromptKind.open)
    assert [p.id for p in deck.themes[2].prompts] == [p.id for p in original.themes[2].prompts[1:]]
    assert not deck.themes[5].wie_zijn_aan_zet


def test_an_unchanged_nji_prompt_keeps_source_nji(
    session: Session, owner: User, own: OwnDeck
) -> None:
    form = own_decks.form_of(own_decks.deck_of(own))
    form.tip = "Onze eigen tip."
    _save(session, owner, own, form)
    first = _stored(session, own).themes[0].prompts[0]
    assert first.source is PromptSource.nji


def test_a_new_theme_with_a_scale_prompt_is_added(
    session: Session, owner: User, own: OwnDeck
) -> None:
    form = own_decks.form_of(own_decks.deck_of(own))
    scale = own_decks.PromptForm("", "Hoe staan we ervoor in de regio?", "scale", "slecht", "goed")
    form.themes.append(own_decks.ThemeForm(id="", title="Regio", prompts=[scale]))
    _save(session, owner, own, form)
    theme = _stored(session, own).themes[-1]
    assert (theme.id, theme.title, theme.wie_zijn_aan_zet) == ("thema-1", "Regio", True)
    prompt = theme.prompts[0]
    assert (prompt.kind, prompt.scale_low, prompt.scale_high) == (
        PromptKind.scale,
        "slecht",
        "goed",
    )


Change = Callable[[own_decks.DeckForm], object]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: setattr(f, "title", "   "), "titel: mag niet leeg zijn"),
        (
            lambda f: setattr(f.themes[1].prompts[0], "text", ""),
            "thema 2, vraag 1, tekst: mag niet leeg zijn",
        ),
        (lambda f: setattr(f.themes[0].prompts[0], "kind", "meerkeuze"), "soort: kies uit"),
        (lambda f: setattr(f.themes[0], "title", "x" * 2001), "is te lang (hoogstens 2000"),
        (
            lambda f: [setattr(p, "remove", True) for p in f.themes[3].prompts],
            "thema 4, vragen: moet er minstens 1 hebben",
        ),
    ],
)
def test_a_bad_edit_is_refused_in_dutch_and_nothing_is_stored(
    session: Session, owner: User, own: OwnDeck, change: Change, message: str
) -> None:
    before = own.content
    form = own_decks.form_of(own_decks.deck_of(own))
    change(form)
    with pytest.raises(InvalidInput) as excinfo:
        _save(session, owner, own, form)
    assert excinfo.value.message.startswith("De kaartset klopt niet: ")
    assert message in excinfo.value.message
    session.expire_all()
    fresh = session.get(OwnDeck, own.id)
    assert fresh is not None and fresh.content == before


def test_export_passes_decks_check_and_imports_as_the_same_deck(
    session: Session, owner: User, own: OwnDeck, tmp_path: Path
) -> None:
    form = own_decks.form_of(own_decks.deck_of(own))
    form.themes[0].prompts[0].text = "Een eigen vraag: wat is onze visie?"
    _save(session, owner, own, form)
    session.refresh(own)
    (tmp_path / f"{own.slug}.yaml").write_text(own.content, encoding="utf-8")
    assert cli_main(["decks", "check", "--directory", str(tmp_path)]) == 0
    assert "source: own" in own.content
    imported = own_decks.import_deck(
        session=session, user=owner, file_decks={}, filename="x.yaml", raw=own.content.encode()
    )
    again, before = own_decks.deck_of(imported), _stored(session, own)
    # The slug is taken by the original, so the import gets a fresh one; the rest is equal.
    assert again.slug != before.slug
    assert again.model_dump(exclude={"slug"}) == before.model_dump(exclude={"slug"})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"title: [kapot", "kapot.yaml, regel 1: dit is geen geldige YAML."),
        (b"- een\n- lijst\n", "dit is geen kaartset"),
        (b"\xff\xfe", "geen tekst (UTF-8)"),
    ],
)
def test_a_broken_upload_is_refused_in_dutch(
    session: Session, owner: User, raw: bytes, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        own_decks.import_deck(
            session=session, user=owner, file_decks={}, filename="kapot.yaml", raw=raw
        )
    assert session.exec(select(OwnDeck)).all() == []


def test_an_invalid_deck_upload_names_line_and_field(
    session: Session, owner: User, decks: dict[str, Deck]
) -> None:
    text = own_decks.deck_to_yaml(decks[POLICY]).replace("kind: scale", "kind: meerkeuze", 1)
    line = 1 + text.splitlines().index(next(x for x in text.splitlines() if "kind: meerkeuze" in x))
    with pytest.raises(InvalidInput) as excinfo:
        own_decks.import_deck(
            session=session, user=owner, file_decks=decks, filename="k.yaml", raw=text.encode()
        )
    assert f"k.yaml, regel {line}, thema 1, vraag 2, soort: kies uit" in excinfo.value.message
    # A page in English gets every piece of the message in English.
    assert excinfo.value.translated("en") == (
        f"The card deck is not right: k.yaml, line {line}, theme 1, question 2, kind: "
        "choose from: 'open' or 'scale'"
    )


def test_an_import_with_a_file_decks_slug_gets_its_own(
    session: Session, owner: User, decks: dict[str, Deck]
) -> None:
    raw = own_decks.deck_to_yaml(decks[POLICY]).encode()
    imported = own_decks.import_deck(
        session=session, user=owner, file_decks=decks, filename="k.yaml", raw=raw
    )
    assert imported.slug != POLICY and imported.slug not in decks


def test_only_the_owner_and_co_facilitators_of_the_owners_workshops_see_a_deck(
    session: Session, owner: User, own: OwnDeck, decks: dict[str, Deck]
) -> None:
    colleague = make_user(session, email="collega@example.nl")
    stranger = make_user(session, email="vreemde@example.nl")
    assert own.id is not None
    for user in (colleague, stranger):
        assert own_decks.visible_decks(session=session, user=user) == []
        with pytest.raises(NotFound):
            own_decks.own_deck_for(session=session, user=user, deck_id=own.id)
    workshop = make_workshop(session, owner=owner, decks=decks)
    workshops.add_cofacilitator(session=session, workshop=workshop, by=owner, email=colleague.email)
    assert own_decks.visible_decks(session=session, user=colleague) == [own]
    assert own_decks.own_deck_for(session=session, user=colleague, deck_id=own.id) == own
    assert own.slug in own_decks.decks_for_user(session=session, user=colleague, file_decks=decks)
    # Seeing is not editing: only the owner changes the deck.
    with pytest.raises(NotFound):
        own_decks.own_deck_for(session=session, user=colleague, deck_id=own.id, edit=True)
    assert own_decks.visible_decks(session=session, user=stranger) == []


def test_a_workshop_from_an_own_deck_keeps_its_prompts_when_the_deck_changes(
    session: Session, owner: User, own: OwnDeck, decks: dict[str, Deck]
) -> None:
    usable = own_decks.decks_for_user(session=session, user=owner, file_decks=decks)
    workshop = make_workshop(session, owner=owner, decks=usable, deck_slug=own.slug)
    form = own_decks.form_of(own_decks.deck_of(own))
    form.themes[0].prompts[0].text = "Later veranderd"
    _save(session, owner, own, form)
    texts = session.exec(
        select(WorkshopPrompt.text).where(WorkshopPrompt.workshop_id == workshop.id)
    ).all()
    assert decks[POLICY].themes[0].prompts[0].text in texts
    assert "Later veranderd" not in texts
    assert workshop.deck_slug == own.slug


def test_typed_positions_reorder_prompts_and_themes(
    session: Session, owner: User, own: OwnDeck, decks: dict[str, Deck]
) -> None:
    form = own_decks.form_of(own_decks.deck_of(own))
    form.themes[0].prompts[1].position = 1  # typing 1 puts the scale prompt first
    form.themes[5].position = 1
    _save(session, owner, own, form)
    deck, original = _stored(session, own), decks[POLICY]
    assert [t.id for t in deck.themes] == [original.themes[5].id] + [
        t.id for t in original.themes[:5]
    ]
    assert [p.id for p in deck.themes[1].prompts] == ["visie-score", "visie"]
    # Moving a prompt does not change its wording, so it keeps its source.
    assert deck.themes[1].prompts[1].source is PromptSource.nji


def test_only_the_owner_deletes_a_deck_and_its_workshops_keep_their_prompts(
    session: Session, owner: User, own: OwnDeck, decks: dict[str, Deck]
) -> None:
    usable = own_decks.decks_for_user(session=session, user=owner, file_decks=decks)
    workshop = make_workshop(session, owner=owner, decks=usable, deck_slug=own.slug)
    colleague = make_user(session, email="collega@example.nl")
    workshops.add_cofacilitator(session=session, workshop=workshop, by=owner, email=colleague.email)
    assert own.id is not None
    with pytest.raises(NotFound):
        own_decks.delete_deck(session=session, user=colleague, deck_id=own.id)
    assert own_decks.delete_deck(session=session, user=owner, deck_id=own.id) == own.title
    assert session.exec(select(OwnDeck)).all() == []
    prompts = session.exec(
        select(WorkshopPrompt).where(WorkshopPrompt.workshop_id == workshop.id)
    ).all()
    assert len(prompts) == sum(len(t.prompts) + 1 for t in decks[POLICY].themes)
