"""Catalogues: every UI string has an English translation; language choice; thread safety."""

from __future__ import annotations

import ast
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app.i18n import TRANSLATIONS_DIR, load_catalogue, negotiate, translate
from app.services.errors import DomainError, InvalidInput, NotFound
from app.templating import ENVIRONMENTS, environment
from scripts.messages import ROOT, _subclasses, extract, main

EN_PO = TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po"


def _english() -> Catalog:
    with EN_PO.open("rb") as fp:
        return read_po(fp, locale="en")


def test_every_ui_string_has_an_english_translation(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    assert main(["messages", str(pot)]) == 0  # the extraction `make messages` runs
    with pot.open("rb") as fp:
        template = read_po(fp)
    english = _english()
    problems = []
    for message in template:
        if not message.id:
            continue
        translated = english.get(message.id)
        if translated is None:
            problems.append(f"missing: {message.id!r} (run `make messages`)")
        elif translated.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(_strings(translated)):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, "\n".join(problems)
    assert len(template) > 150  # the extraction found the templates and the Python side


def _strings(message: Message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def test_translations_keep_their_placeholders() -> None:
    catalog = _english()
    errors = [f"{message.id!r}: {errs}" for message, errs in catalog.check() if errs]
    assert not errors, "\n".join(errors)


def test_extraction_finds_domain_errors_templates_and_marked_strings() -> None:
    ids = {m.id for m in extract() if m.id}
    assert "Deze code kennen we niet. Controleer de code op het scherm." in ids  # NotFound("...")
    assert "Deze vraag staat niet open voor antwoorden." in ids  # N_() in errors.py
    assert "Naar de inhoud" in ids  # a template
    assert "Onderwijs" in ids and "maart" in ids  # domain labels and month names
    assert "Kies een wachtwoord van minstens %(n)s tekens." in ids  # with a placeholder


def test_domain_error_messages_are_literal_msgids() -> None:
    """An f-string or a formatted string as a DomainError's message cannot be translated."""
    names = {cls.__name__ for cls in _subclasses(DomainError)}
    bad = []
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            formatted = isinstance(first, ast.JoinedStr | ast.BinOp) or (
                isinstance(first, ast.Call) and not _is_marker(first)
            )
            if name in names and formatted:
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, f"use a literal msgid with %(name)s and keyword params: {bad}"


def _is_marker(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_"


def test_a_domain_error_is_dutch_for_the_api_and_translated_for_a_page() -> None:
    exc = InvalidInput("Kies een wachtwoord van minstens %(n)s tekens.", n=10)
    assert exc.message == "Kies een wachtwoord van minstens 10 tekens."
    assert exc.translated("nl") == exc.message
    assert exc.translated("en") == "Choose a password of at least 10 characters."
    # A message nobody marked (or a new one not yet translated) falls back to its Dutch.
    assert NotFound("Iets nieuws.").translated("en") == "Iets nieuws."
    assert translate("en", "Verstuurd.") == "Sent."


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "nl"),
        ("", "nl"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("nl-BE,nl;q=0.9,en;q=0.8", "nl"),
        ("de-DE,de;q=0.9,en;q=0.8,nl;q=0.7", "en"),
        ("nl;q=0.5,en;q=0.9", "en"),
        ("fr,de", "nl"),
        ("*", "nl"),
        ("en;q=0", "nl"),
        ("EN-us", "en"),
        ("en;q=bogus,nl", "nl"),
    ],
)
def test_the_browser_language_picks_dutch_or_english(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def _catalogue(folder: Path, msgstr: str, *, fuzzy: bool = False) -> None:
    catalog = Catalog(locale="en")
    catalog.add("Opslaan", msgstr, flags=("fuzzy",) if fuzzy else ())
    catalog.add("Wijzigen", "Change")
    with (folder / "messages.po").open("wb") as fp:
        write_po(fp, catalog)


def _compile(folder: Path) -> None:
    with (folder / "messages.po").open("rb") as fp:
        catalog = read_po(fp, locale="en")
    with (folder / "messages.mo").open("wb") as fp:
        write_mo(fp, catalog)


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_missing_or_stale_mo_never_serves_old_english(tmp_path: Path) -> None:
    _catalogue(tmp_path, "Save")
    assert load_catalogue(tmp_path, "en").gettext("Opslaan") == "Save"  # no .mo: from the .po

    _compile(tmp_path)
    _catalogue(tmp_path, "Store")  # the .po changed after the last `make catalogs`
    _age(tmp_path / "messages.mo", 60)
    assert load_catalogue(tmp_path, "en").gettext("Opslaan") == "Store"

    _compile(tmp_path)  # compiled again: an up-to-date .mo is used as it is
    (tmp_path / "messages.po").write_bytes(b"not a catalogue")
    _age(tmp_path / "messages.po", 60)
    assert load_catalogue(tmp_path, "en").gettext("Opslaan") == "Store"


def test_fuzzy_entries_are_not_used(tmp_path: Path) -> None:
    _catalogue(tmp_path, "Sa ve?", fuzzy=True)
    translations = load_catalogue(tmp_path, "en")
    assert translations.gettext("Opslaan") == "Opslaan"
    assert translations.gettext("Wijzigen") == "Change"


def test_concurrent_renders_in_two_languages_do_not_mix() -> None:
    """The hub renders in worker threads: each language's environment stays its own."""
    source = "{{ _('Opslaan') }}|{{ 'onderwijs'|domain_label }}|{{ lang }}"
    templates = {lang: environment(lang).from_string(source) for lang in ("nl", "en")}
    expected = {"nl": "Opslaan|Onderwijs|nl", "en": "Save|Education|en"}

    def render(i: int) -> tuple[str, str]:
        lang = "en" if i % 2 else "nl"
        return lang, templates[lang].render()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(render, range(400)))
    assert all(text == expected[lang] for lang, text in results)


def test_every_language_has_the_same_filters_and_globals() -> None:
    """A filter added to the Dutch environment alone would break every English page."""
    dutch = ENVIRONMENTS["nl"]
    for lang, env in ENVIRONMENTS.items():
        assert set(env.filters) == set(dutch.filters), lang
        assert set(env.globals) == set(dutch.globals), lang
