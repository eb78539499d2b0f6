"""One accepted range for every date a person types or an archive brings, and safe display.

Outside 2000-01-01 … 2100-12-31 no date is refused on one page and a 500 on the next: a
far-future day overflows the moment a calendar adds a day or the local time zone is applied.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.i18n import N_
from app.services.errors import InvalidInput

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
OUT_OF_RANGE = N_("%(field)s: kies een datum tussen 1 januari 2000 en 31 december 2100.")


def check_day(value: date | None, *, field: str) -> date | None:
    """The day, if it lies in the accepted range (InvalidInput, 422, otherwise)."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise InvalidInput(OUT_OF_RANGE, field=field)
    return value


def check_moment(value: datetime, *, field: str) -> datetime:
    """A moment with a time zone, in the accepted range, as UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(N_("%(field)s: een tijdstip heeft een tijdzone nodig."), field=field)
    try:
        moment = value.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(OUT_OF_RANGE, field=field) from None
    check_day(moment.date(), field=field)
    return moment


def local_day(value: datetime, zone: ZoneInfo) -> date:
    """The local day of a stored moment; a moment at the edge of time keeps its UTC day."""
    try:
        return value.astimezone(zone).date()
    except OverflowError:
        return value.date()


def next_day(day: date) -> date:
    """The day after, or the same day at the very end of the calendar."""
    try:
        return day + timedelta(days=1)
    except OverflowError:
        return day
