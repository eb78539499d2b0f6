"""The agenda PDF is made again exactly when what it prints changed; the store stays bounded."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlmodel import Session

from app.agenda_models import AgendaItemUpdate
from app.exports import pdf
from app.models import User, Workshop
from app.services import agenda, privacy
from app.services.agenda_sheet import load_sheet
from app.services.pdf_cache import AGENDA_PDFS, PdfCache
from tests.exports.conftest import TODAY
from tests.factories import RecordingPublisher


class Maker:
    """Makes a distinct 'PDF' each call and counts the calls."""

    def __init__(self, size: int = 10) -> None:
        self.calls = 0
        self.size = size

    def __call__(self) -> bytes:
        self.calls += 1
        return str(self.calls).encode().ljust(self.size, b".")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def text_of(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_same_source_is_made_once_and_a_changed_one_replaces_it() -> None:
    cache, make = PdfCache(), Maker()
    first = cache.get_or_make(1, "<p>versie 1</p>", make)
    assert cache.get_or_make(1, "<p>versie 1</p>", make) == first
    assert make.calls == 1
    second = cache.get_or_make(1, "<p>versie 2</p>", make)
    assert second != first and make.calls == 2
    # One entry per workshop: the old version is gone, not kept beside the new one.
    assert len(cache) == 1 and cache.size == len(second)
    assert cache.get_or_make(1, "<p>versie 1</p>", make) != first
    assert make.calls == 3


def test_workshops_do_not_share_entries() -> None:
    cache, make = PdfCache(), Maker()
    one = cache.get_or_make(1, "<p>zelfde</p>", make)
    two = cache.get_or_make(2, "<p>zelfde</p>", make)
    assert make.calls == 2 and one != two
    cache.forget(1)
    assert 1 not in cache and 2 in cache


def test_least_recently_used_go_first_beyond_the_entry_and_byte_limits() -> None:
    cache, make = PdfCache(max_entries=2, max_bytes=25), Maker(size=10)
    cache.get_or_make(1, "a", make)
    cache.get_or_make(2, "b", make)
    cache.get_or_make(1, "a", make)  # 1 is now the most recently used
    cache.get_or_make(3, "c", make)
    assert (1 in cache, 2 in cache, 3 in cache) == (True, False, True)
    big = PdfCache(max_entries=10, max_bytes=25)
    for workshop_id in (1, 2, 3):
        big.get_or_make(workshop_id, "x", make)
    assert len(big) == 2 and big.size == 20 and 1 not in big


def test_entries_expire() -> None:
    clock = Clock()
    cache, make = PdfCache(ttl=60, clock=clock), Maker()
    cache.get_or_make(1, "a", make)
    clock.now = 59
    cache.get_or_make(1, "a", make)
    assert make.calls == 1
    clock.now = 60
    cache.get_or_make(1, "a", make)
    assert make.calls == 2
    # Expired entries of other workshops go when anything is stored.
    cache.get_or_make(2, "b", make)
    clock.now = 200
    cache.get_or_make(3, "c", make)
    assert 1 not in cache and 2 not in cache and 3 in cache


def test_an_edited_agenda_prints_the_edit(session: Session, known: Workshop) -> None:
    assert known.id is not None
    before = pdf.agenda_pdf(load_sheet(session=session, workshop=known, today=TODAY))
    assert known.id in AGENDA_PDFS
    again = pdf.agenda_pdf(load_sheet(session=session, workshop=known, today=TODAY))
    assert again is before  # served from the store, not laid out again
    sheet = load_sheet(session=session, workshop=known, today=TODAY)
    item = sheet.items[0].item
    assert item.id is not None
    agenda.edit_item(
        session=session,
        publisher=RecordingPublisher(),
        workshop=known,
        item_id=item.id,
        data=AgendaItemUpdate(version=item.version, title="Nieuwe titel na de wijziging"),
    )
    after = pdf.agenda_pdf(load_sheet(session=session, workshop=known, today=TODAY))
    assert "Nieuwe titel na de wijziging" in text_of(after)
    assert "Nieuwe titel na de wijziging" not in text_of(before)
    # Another day: "te laat" and "Gemaakt op" may differ, so the PDF is made again.
    later = pdf.agenda_pdf(
        load_sheet(session=session, workshop=known, today=TODAY.replace(year=2027))
    )
    assert later is not after and "1 december 2027" in text_of(later)


def test_deleting_or_purging_a_workshop_drops_its_pdf(session: Session, known: Workshop) -> None:
    workshop_id, owner = known.id, session.get(User, known.owner_id)
    assert workshop_id is not None and owner is not None
    pdf.agenda_pdf(load_sheet(session=session, workshop=known, today=TODAY))
    assert workshop_id in AGENDA_PDFS
    privacy.purge_workshop(session=session, publisher=RecordingPublisher(), workshop=known)
    assert workshop_id not in AGENDA_PDFS
    pdf.agenda_pdf(load_sheet(session=session, workshop=known, today=TODAY))
    assert workshop_id in AGENDA_PDFS
    privacy.delete_workshop(session=session, workshop=known, by=owner)
    assert workshop_id not in AGENDA_PDFS
