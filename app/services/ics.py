"""iCalendar (RFC 5545): an all-day event per actiepunt on its due date, plus the meetings.

VEVENT rather than VTODO: Outlook ignores VTODO in subscribed calendars, and a due date in
everyone's calendar is what makes an agenda come back to people.
"""

from __future__ import annotations

from datetime import date, datetime

from icalendar import Calendar, Event

from app.agenda_models import ItemStatus
from app.services.agenda_sheet import AgendaSheet
from app.services.dates import next_day
from app.services.item_views import ItemView

PRODID = "-//Gesprekskaarten//Doe-agenda//NL"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _all_day(uid: str, day: date, summary: str, description: str, dtstamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dtstamp)
    event.add("dtstart", day)
    event.add("dtend", next_day(day))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _item_event(view: ItemView, *, uid_domain: str, dtstamp: datetime, link: str | None) -> Event:
    item = view.item
    assert item.due_date is not None
    lines = [
        f"Trekker: {view.owner}",
        f"Niveau: {view.level_label}",
        f"Status: {view.status_label}",
    ]
    if item.theme_title:
        lines.append(f"Thema: {item.theme_title}")
    if item.description:
        lines += ["", item.description]
    if item.notes:
        lines += ["", f"Notities: {item.notes}"]
    if link:
        lines += ["", f"Bijwerken: {link}"]
    event = _all_day(
        f"actiepunt-{view.id}@{uid_domain}",
        item.due_date,
        f"Actiepunt: {item.title}",
        "\n".join(lines),
        dtstamp,
    )
    event.add("categories", ["Doe-agenda"])
    event.add("status", "CANCELLED" if item.status is ItemStatus.vervallen else "CONFIRMED")
    if link:
        event.add("url", link)
    return event


def _meetings(sheet: AgendaSheet, *, uid_domain: str, dtstamp: datetime) -> list[Event]:
    agenda = sheet.agenda
    if agenda is None:
        return []
    title = sheet.workshop.title
    meetings = [
        ("start", agenda.start_date, f"Start schooljaar: afspraken maken ({title})"),
        ("checkin", agenda.checkin_date, f"Tussentijdse check doe-agenda ({title})"),
        ("review", agenda.review_date, f"Terugblik doe-agenda ({title})"),
    ]
    return [
        _all_day(
            f"agenda-{agenda.id}-{key}@{uid_domain}",
            day,
            summary,
            f"Doe-agenda schooljaar {sheet.school_year}: {title}",
            dtstamp,
        )
        for key, day, summary in meetings
        if day is not None
    ]


def agenda_ics(
    sheet: AgendaSheet,
    *,
    uid_domain: str,
    dtstamp: datetime,
    items: list[ItemView] | None = None,
    link: str | None = None,
    name: str | None = None,
) -> bytes:
    """The whole agenda, or (with `items`) one trekker's feed. UIDs are stable across exports,
    so a re-import or a subscription updates entries instead of duplicating them."""
    cal = _calendar(name or f"Doe-agenda {sheet.workshop.title}")
    for event in _meetings(sheet, uid_domain=uid_domain, dtstamp=dtstamp):
        cal.add_component(event)
    for view in sheet.items if items is None else items:
        if view.item.due_date is not None:
            cal.add_component(_item_event(view, uid_domain=uid_domain, dtstamp=dtstamp, link=link))
    return bytes(cal.to_ical())
