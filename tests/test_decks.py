"""The card decks in cards/: faithful to the NJi cards, and refused with file, line and field
when broken."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.decks import CARDS_DIR, Deck, DeckError, PromptKind, PromptSource, load_decks

POLICY = "nji-beleidsmakers"
PRACTICE = "nji-uitvoerende-professionals"
SCHOOLTEAM = "schoolteam-start-schooljaar"
CCV = "ccv-gemeente-basisschool"
CCV_BOOK = "CCV, Back to school \u2013 gemeente & basisschool"
CCV_STEPS = ("Ons kent ons", "Sterk samenwerken", "Samen doen", "Terugkoppelen? Ja!")
NJI_DECKS = (POLICY, PRACTICE)

RSQ = "\u2019"  # the typographic apostrophe the brochure uses, as in "collega's"

# 1-based numbers of the themes whose prompts the text extraction of 001 lost.
LOST_THEMES = {POLICY: {6}, PRACTICE: {4, 5, 6}}
LESSON_OF_THEME = {
    4: "Les 4. Samenwerking in een ondersteuningsstructuur",
    5: "Les 5. Duiding en taal",
    6: "Les 6. Professionalisering",
}

THEME_TITLES = {
    POLICY: [
        "Uitsluiting, radicalisering, verharding van omgangsnormen, sexting, polarisatie: "
        "elk signaal, elke uiting is onderdeel van brede sociale veiligheid",
        "Vraagstukken en problematiek in beeld",
        "Brede blik (buiten het eigen domein)",
        "Ondersteuning en samenwerking",
        "Duiding en taal",
        "Professionalisering",
    ],
    PRACTICE: [
        "Uitsluiting, verharding van omgangsnormen, radicalisering, sexting, polarisatie: "
        "elk signaal, elke uiting is onderdeel van brede sociale veiligheid",
        "Vraagstukken en problematiek in beeld",
        "Brede blik (buiten het eigen domein)",
        "Ondersteuning en samenwerking",
        "Duiding en taal",
        "Professionalisering",
    ],
}

ANALYSE = (
    "Hoe maken we apart en samen een analyse van voorkomende vraagstukken? "
    "Hebben we inzicht in trends en cijfers? Welke bronnen benutten we?"
)

# Every prompt printed on the two cards, per theme, as repaired from the extraction.
CARD_PROMPTS: dict[str, list[list[str]]] = {
    POLICY: [
        [
            "Is er een gezamenlijke visie op sociale veiligheid geformuleerd? "
            "Zo ja, waar staat deze beschreven?"
        ],
        [ANALYSE],
        [
            "Is de gezamenlijke visie geborgd in de plannen van de verschillende gemeentelijke "
            "afdelingen en de verschillende onderwijspartners? Zijn er ook regionale afspraken "
            "gemaakt rond het VO en MBO?",
            "Is de visie en gewenste aanpak vertaald naar richtlijnen voor betrokken (teams) van "
            "professionals? (bijvoorbeeld jongerenwerk, wijkregisseur, politie, "
            "veiligheidscoördinatoren in het onderwijs)",
        ],
        [
            "Is ondersteuning en expertise rond de school (in brede zin) voor schoolprofessionals "
            "in beeld en gemakkelijk te bereiken? Hoe ziet dat er uit?",
            "Op welke manier krijgt in de verschillende scholen het multidisciplinaire overleg "
            "vorm? Hoe wordt het aansluiten van expertise uit het veiligheidsdomein op de "
            "ondersteuningsstructuur in en om school georganiseerd?",
        ],
        [
            "Hebben we een gezamenlijk beeld bij specifieke termen? Denk aan polarisatie, "
            "radicalisering en ondermijning. Verstaan we daar hetzelfde onder?"
        ],
        [],
    ],
    PRACTICE: [
        [
            "Is de visie en verantwoordelijkheid van de eigen organisatie scherp? Hebben we deze "
            "vertaald naar richtlijnen en/of een veiligheidsaanpak?"
        ],
        [ANALYSE],
        ["Welke gezamenlijke werk- en afstemmingsafspraken stellen we samen vast?"],
        [],
        [],
        [],
    ],
}

# Slips of the text extraction that must not survive into a deck.
OCR_SLIPS = [
    "Tlp",
    "creéer",
    "cotrdinatoren",
    "codrdinatoren",
    f"thema'{RSQ}s",
    "programma'",
    "-\\",
    "//-",
    " o ",
    "3 U g",
    "- Z",
    "  ",
    "\n",
]


def _texts(deck: Deck) -> Iterator[str]:
    yield from (deck.title, deck.audience, deck.source, deck.intro, deck.tip)
    for theme in deck.themes:
        yield theme.title
        for prompt in theme.prompts:
            yield prompt.text
            for extra in (prompt.derived_from, prompt.scale_low, prompt.scale_high):
                if extra is not None:
                    yield extra


@pytest.fixture(scope="module")
def decks() -> dict[str, Deck]:
    return load_decks()


# --- the real decks ---------------------------------------------------------------------------


def test_every_deck_file_loads_under_its_own_slug(decks: dict[str, Deck]) -> None:
    files = sorted(p.stem for p in CARDS_DIR.glob("*.yaml"))
    assert sorted(decks) == files
    assert {POLICY, PRACTICE, SCHOOLTEAM, CCV} <= set(decks)


@pytest.mark.parametrize("slug", NJI_DECKS)
def test_nji_decks_have_the_six_card_themes_in_order(decks: dict[str, Deck], slug: str) -> None:
    deck = decks[slug]
    assert [t.title for t in deck.themes] == THEME_TITLES[slug]
    assert all(t.wie_zijn_aan_zet for t in deck.themes)
    assert deck.language == "nl"


def test_every_theme_has_a_prompt_and_derived_prompts_name_their_origin(
    decks: dict[str, Deck],
) -> None:
    for deck in decks.values():
        for theme in deck.themes:
            assert theme.prompts, f"{deck.slug}/{theme.id} has no prompts"
            for prompt in theme.prompts:
                if prompt.source is PromptSource.derived:
                    assert prompt.derived_from, f"{deck.slug}/{prompt.id}"


@pytest.mark.parametrize("slug", NJI_DECKS)
def test_card_prompts_are_present_verbatim_and_in_order(decks: dict[str, Deck], slug: str) -> None:
    nji_per_theme = [
        [p.text for p in t.prompts if p.source is PromptSource.nji] for t in decks[slug].themes
    ]
    assert nji_per_theme == CARD_PROMPTS[slug]


def test_policy_theme_1_asks_for_the_shared_vision(decks: dict[str, Deck]) -> None:
    first = decks[POLICY].themes[0].prompts[0]
    assert first.text == (
        "Is er een gezamenlijke visie op sociale veiligheid geformuleerd? "
        "Zo ja, waar staat deze beschreven?"
    )
    assert first.source is PromptSource.nji
    assert first.kind is PromptKind.open


def test_intros_and_tips_are_the_cards_own_words(decks: dict[str, Deck]) -> None:
    policy, practice = decks[POLICY], decks[PRACTICE]
    assert policy.intro.startswith(
        "Om samenwerking tussen onderwijs, jeugdhulp en veiligheid goed te kunnen faciliteren"
    )
    assert policy.intro.endswith("draagt bij aan de gewenste integrale aanpak.")
    assert policy.tip.startswith(
        "Maak jaarlijks (of vaker) afspraken over wie betrokken is op het veiligheidsthema. "
    )
    assert "Gezamenlijk creëer je slagkracht" in policy.tip
    assert policy.tip.endswith("Reflecteer ook regelmatig met elkaar op proces en inhoud.")
    assert practice.intro.startswith(
        "Om effectief te kunnen samenwerken rond vraagstukken van veiligheid is kennis "
        "essentieel. Hoe creëer je een veilig pedagogisch klimaat?"
    )
    assert practice.tip == (
        "Maak bij de start van ieder schooljaar afspraken over wie betrokken is bij "
        "veiligheidsvragen en wat ieders taken zijn. Intern, in de eigen organisatie en met "
        "partners. Gedurende het schooljaar blijf je met elkaar in gesprek. De gesprekskaarten "
        f"dragen namelijk niet alleen thema{RSQ}s aan, het gesprek zelf zal leiden tot een agenda "
        "en benoemen van taken en verantwoordelijkheden. Aan het eind van het schooljaar kijk "
        "je samen terug."
    )
    # The school-team deck quotes the practitioners' tip.
    assert decks[SCHOOLTEAM].tip == practice.tip


def test_no_deck_text_carries_an_extraction_slip(decks: dict[str, Deck]) -> None:
    for deck in decks.values():
        for text in _texts(deck):
            for slip in OCR_SLIPS:
                assert slip not in text, f"{deck.slug}: {slip!r} in {text!r}"
            # A hyphen left over from a line wrap ("ondersteunings- structuur"); "werk- en
            # afstemmingsafspraken" and "zorg- of casusoverleg" are proper Dutch.
            assert not re.search(r"\w- (?!(en|of)\b)", text), f"{deck.slug}: {text!r}"


@pytest.mark.parametrize("slug", NJI_DECKS)
def test_lost_themes_have_only_prompts_derived_from_their_lesson(
    decks: dict[str, Deck], slug: str
) -> None:
    for number, theme in enumerate(decks[slug].themes, start=1):
        sources = {p.source for p in theme.prompts}
        if number in LOST_THEMES[slug]:
            assert sources == {PromptSource.derived}, theme.id
            assert {p.derived_from for p in theme.prompts} == {LESSON_OF_THEME[number]}
            open_prompts = [p for p in theme.prompts if p.kind is PromptKind.open]
            assert 2 <= len(open_prompts) <= 3, theme.id
        else:
            assert PromptSource.nji in sources, theme.id


def test_every_theme_closes_with_one_labelled_scale_prompt(decks: dict[str, Deck]) -> None:
    for deck in decks.values():
        for theme in deck.themes:
            scales = [p for p in theme.prompts if p.kind is PromptKind.scale]
            assert scales == [theme.prompts[-1]], f"{deck.slug}/{theme.id}"
            scale = scales[0]
            assert scale.source is PromptSource.derived
            assert scale.scale_low and scale.scale_high
            # The workshop table keeps scale labels in 200 characters.
            assert len(scale.scale_low) <= 200 and len(scale.scale_high) <= 200
            assert scale.text.startswith("Hoe staan we ervoor")


def test_nji_source_is_only_claimed_for_text_printed_on_a_card(decks: dict[str, Deck]) -> None:
    on_the_cards = {
        text for themes in CARD_PROMPTS.values() for prompts in themes for text in prompts
    }
    for deck in decks.values():
        for theme in deck.themes:
            for prompt in theme.prompts:
                if prompt.source is PromptSource.nji:
                    assert prompt.text in on_the_cards, f"{deck.slug}/{prompt.id}"


def test_schoolteam_deck_covers_the_four_focus_points_and_the_roles(
    decks: dict[str, Deck],
) -> None:
    deck = decks[SCHOOLTEAM]
    titles = [t.title for t in deck.themes]
    for focus in (
        "Een schoolbrede aanpak",
        "Duidelijke normen en waarden",
        "Pedagogisch vakmanschap",
        "Brede interventies passend bij visie en context",
    ):
        assert focus in titles
    assert 5 <= len(deck.themes) <= 6
    everything = " ".join(_texts(deck))
    for role in (
        "leerkracht",
        "directeur",
        "intern begeleider",
        "interne contactpersoon",
        "externe vertrouwenspersoon",
    ):
        assert role in everything
    derived_from = {p.derived_from for t in deck.themes for p in t.prompts}
    assert any(d and d.startswith("PO-raad/VO-raad, Actieplan") for d in derived_from)


def test_prompt_ids_leave_room_for_the_wie_zijn_aan_zet_prompts(decks: dict[str, Deck]) -> None:
    # Workshops add a prompt "<theme id>-wie-zijn-aan-zet" after every theme.
    for deck in decks.values():
        prompt_ids = {p.id for t in deck.themes for p in t.prompts}
        closing_ids = {f"{t.id}-wie-zijn-aan-zet" for t in deck.themes}
        assert not prompt_ids & closing_ids, deck.slug


def _ccv_step(derived_from: str | None) -> int:
    """The 1-based step of the CCV e-book a prompt names, e.g. "..., stap 3: Samen doen"."""
    assert derived_from is not None
    match = re.fullmatch(rf"{re.escape(CCV_BOOK)}, stap (\d): (.+?)( \(\w+\))?", derived_from)
    assert match, derived_from
    step = int(match.group(1))
    assert match.group(2) == CCV_STEPS[step - 1], derived_from
    return step


def test_ccv_deck_has_the_four_steps_in_order(decks: dict[str, Deck]) -> None:
    step_titles = [t.title for t in decks[CCV].themes if t.title.startswith("Stap ")]
    assert [t.split(". ", 1)[1][: len(n)] for t, n in zip(step_titles, CCV_STEPS, strict=True)] == (
        list(CCV_STEPS)
    )
    assert all(t.wie_zijn_aan_zet for t in decks[CCV].themes)


def test_ccv_deck_has_the_analyses_and_the_signal_chain(decks: dict[str, Deck]) -> None:
    by_id = {t.id: t for t in decks[CCV].themes}
    assert {"stakeholderanalyse", "netwerk", "signaalketen"} <= set(by_id)
    assert "relevantiecirkels" in by_id["netwerk"].title
    chain = by_id["signaalketen"].title
    links = ["signaleren", "beoordelen", "doorzetten", "afstemmen", "oppakken en terugkoppelen"]
    assert [chain.index(link) for link in links] == sorted(chain.index(link) for link in links)
    # The analyses belong to step 1, the signal chain to step 3.
    for theme_id, step in (("stakeholderanalyse", 1), ("netwerk", 1), ("signaalketen", 3)):
        assert {_ccv_step(p.derived_from) for p in by_id[theme_id].prompts} == {step}


def test_every_ccv_prompt_is_derived_from_its_step(decks: dict[str, Deck]) -> None:
    steps_seen = []
    for theme in decks[CCV].themes:
        steps = {_ccv_step(p.derived_from) for p in theme.prompts}
        assert all(p.source is PromptSource.derived for p in theme.prompts), theme.id
        assert len(steps) == 1, theme.id
        if theme.title.startswith("Stap "):
            assert steps == {int(theme.title.split(".")[0].removeprefix("Stap "))}
        steps_seen.extend(steps)
    # The themes follow the e-book: step numbers never go back.
    assert steps_seen == sorted(steps_seen) and set(steps_seen) == {1, 2, 3, 4}


def test_ccv_deck_asks_hoe_staan_we_ervoor_for_every_step(decks: dict[str, Deck]) -> None:
    scale_steps = {
        _ccv_step(p.derived_from)
        for t in decks[CCV].themes
        for p in t.prompts
        if p.kind is PromptKind.scale and p.text.startswith("Hoe staan we ervoor")
    }
    assert scale_steps == {1, 2, 3, 4}


def test_ccv_deck_carries_no_slip_of_the_e_book_extraction(decks: dict[str, Deck]) -> None:
    everything = " ".join(_texts(decks[CCV]))
    for slip in ("TERUG- KOPPELEN", "RONDON", "Terug- koppelen", "coördinatoren van gemeenten*"):
        assert slip not in everything
    assert "Centrum voor Criminaliteitspreventie en Veiligheid" in decks[CCV].source


# --- broken decks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    text: str
    line: int
    field: str | None
    reason: str
    filename: str = f"{POLICY}.yaml"


def _line_no(lines: list[str], pattern: str, *, last: bool = False) -> int:
    """0-based index of the first (or last) line matching the pattern; fails if there is none."""
    hits = [i for i, line in enumerate(lines) if re.search(pattern, line)]
    assert hits, f"the real deck no longer has a line matching {pattern!r}"
    return hits[-1] if last else hits[0]


def _first_key(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if line.strip() and not line.startswith("#"))


def _missing_title(text: str) -> Broken:
    lines = text.splitlines(keepends=True)
    del lines[_line_no(lines, r"^title: ")]
    return Broken("".join(lines), _first_key(lines) + 1, "title", "Field required")


def _themes_not_a_list(text: str) -> Broken:
    lines = text.splitlines(keepends=True)
    at = _line_no(lines, r"^themes:$")
    lines[at:] = ["themes: geen lijst\n"]
    return Broken("".join(lines), at + 1, "themes", "valid list")


def _unknown_kind(text: str) -> Broken:
    lines = text.splitlines(keepends=True)
    at = _line_no(lines, r"^\s+kind: scale$")
    lines[at] = lines[at].replace("kind: scale", "kind: multiple")
    return Broken("".join(lines), at + 1, "themes[0].prompts[1].kind", "'open' or 'scale'")


def _derived_without_origin(text: str) -> Broken:
    lines = text.splitlines(keepends=True)
    at = _line_no(lines, r"^\s+derived_from: ")
    prompt_start = max(i for i in range(at) if re.match(r"^\s+- id: ", lines[i]))
    del lines[at]
    return Broken("".join(lines), prompt_start + 1, "themes[0].prompts[1]", "derived_from")


def _duplicate_prompt_id(text: str) -> Broken:
    lines = text.splitlines(keepends=True)
    first = _line_no(lines, r"^\s+- id: visie$")
    second = _line_no(lines, r"^\s+- id: visie-score$")
    assert first < second
    lines[second] = lines[second].replace("visie-score", "visie")
    return Broken("".join(lines), second + 1, "themes[0].prompts[1].id", "unique")


def _slug_not_the_file_name(text: str) -> Broken:
    lines = text.splitlines(keepends=True)
    at = _line_no(lines, r"^slug: ")
    return Broken(text, at + 1, "slug", "must match the file name", filename="andere-naam.yaml")


def _unknown_field(text: str) -> Broken:
    lines = text.splitlines(keepends=True)
    at = _line_no(lines, r"^  - id: ")
    lines.insert(at + 1, "    kleur: rood\n")
    return Broken("".join(lines), at + 2, "themes[0].kleur", "Extra inputs are not permitted")


def _invalid_yaml(text: str) -> Broken:
    lines = text.splitlines(keepends=True)
    at = _line_no(lines, r"^title: ")
    lines[at] = lines[at].replace("title: ", "title: Kaart: ", 1)
    return Broken("".join(lines), at + 1, None, "not valid YAML")


def _empty_prompts(text: str) -> Broken:
    lines = text.splitlines(keepends=True)
    at = _line_no(lines, r"^    prompts:$", last=True)
    themes = sum(1 for line in lines if re.match(r"^  - id: ", line))
    lines[at:] = ["    prompts: []\n"]
    return Broken("".join(lines), at + 1, f"themes[{themes - 1}].prompts", "at least 1 item")


BREAKAGES: list[Callable[[str], Broken]] = [
    _missing_title,
    _themes_not_a_list,
    _unknown_kind,
    _derived_without_origin,
    _slug_not_the_file_name,
    _unknown_field,
    _invalid_yaml,
    _empty_prompts,
]


@pytest.fixture
def real_deck_text() -> str:
    return (CARDS_DIR / f"{POLICY}.yaml").read_text(encoding="utf-8")


def _load_broken(tmp_path: Path, broken: Broken) -> str:
    (tmp_path / broken.filename).write_text(broken.text, encoding="utf-8")
    with pytest.raises(DeckError) as excinfo:
        load_decks(tmp_path)
    return str(excinfo.value)


def test_the_fixture_deck_itself_loads(tmp_path: Path, real_deck_text: str) -> None:
    (tmp_path / f"{POLICY}.yaml").write_text(real_deck_text, encoding="utf-8")
    assert list(load_decks(tmp_path)) == [POLICY]


@pytest.mark.parametrize(
    "breakage",
    [
        *BREAKAGES,
        _duplicate_prompt_id,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_a_broken_deck_is_refused_naming_file_line_and_field(
    tmp_path: Path, real_deck_text: str, breakage: Callable[[str], Broken]
) -> None:
    broken = breakage(real_deck_text)
    message = _load_broken(tmp_path, broken)
    assert message.startswith(f"{broken.filename}, line {broken.line}")
    assert re.search(rf"\bline {broken.line}\b", message)
    if broken.field is not None:
        assert f", field {broken.field}: " in message
    assert broken.reason in message


def test_a_duplicate_prompt_id_is_refused(tmp_path: Path, real_deck_text: str) -> None:
    broken = _duplicate_prompt_id(real_deck_text)
    message = _load_broken(tmp_path, broken)
    assert message.startswith(f"{broken.filename}, line ")
    assert "prompt ids must be unique" in message


def test_one_broken_file_refuses_the_whole_load(tmp_path: Path, real_deck_text: str) -> None:
    shutil.copy(CARDS_DIR / f"{PRACTICE}.yaml", tmp_path / f"{PRACTICE}.yaml")
    broken = _unknown_kind(real_deck_text)
    message = _load_broken(tmp_path, broken)
    assert message.startswith(f"{POLICY}.yaml, line {broken.line}")
    # The good file on its own still loads.
    (tmp_path / broken.filename).unlink()
    assert list(load_decks(tmp_path)) == [PRACTICE]


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="no deck files"):
        load_decks(tmp_path)


@pytest.mark.parametrize("slug", NJI_DECKS)
def test_wie_zijn_aan_zet_is_nji_only_where_the_card_prints_it(
    decks: dict[str, Deck], slug: str
) -> None:
    from app.services.workshops import prompts_from_deck

    closing = [p for p in prompts_from_deck(decks[slug]) if p.is_wie_aan_zet]
    assert [(p.theme_number, p.source) for p in closing] == [
        (1, "nji"),
        (2, "nji"),
        (3, "derived"),
        (4, "derived"),
        (5, "derived"),
        (6, "derived"),
    ]
    # Theme 2's card reads "… in beeld / Wie zijn aan zet? (van preventie t/m incidenten)".
    assert closing[1].text == "Wie zijn aan zet? (van preventie t/m incidenten)"
    assert closing[1].theme_title == "Vraagstukken en problematiek in beeld"
    assert all(p.derived_from for p in closing[2:])
