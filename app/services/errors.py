"""Domain errors; routes map them to HTTP status codes and messages in the reader's language."""

from __future__ import annotations

from app.i18n import N_, translate


class DomainError(Exception):
    """Base class. `status` is the HTTP status.

    The message is a Dutch gettext msgid with %(name)s placeholders for `params`; the
    literal first argument of any DomainError subclass is extracted for translation (see
    docs/i18n.md), so never pass an f-string. `message` is the Dutch text (the JSON API and
    logs); `translated(lang)` is the text for a page in that language.
    """

    status = 400

    def __init__(self, message: str, /, **params: object) -> None:
        self.msgid = message
        self.params = params
        self.message = message % params if params else message
        super().__init__(self.message)

    def translated(self, lang: str) -> str:
        return translate(lang, self.msgid, **self.params)


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class InvalidInput(DomainError):
    status = 422


class PromptClosed(Conflict):
    def __init__(self) -> None:
        super().__init__(N_("Deze vraag staat niet open voor antwoorden."))


class WorkshopEnded(Conflict):
    def __init__(self) -> None:
        super().__init__(N_("Deze bijeenkomst is afgelopen."))


class WorkshopLocked(Conflict):
    def __init__(self) -> None:
        super().__init__(N_("Deze bijeenkomst is gesloten voor nieuwe deelnemers."))


class PersonalDataSuspected(InvalidInput):
    """An answer that looks like it holds personal data, sent without confirmation."""

    def __init__(self, kinds: list[str]) -> None:
        from app.services.pii import PiiKind, describe

        self.kinds = kinds
        self._pii = [PiiKind(k) for k in kinds]
        super().__init__(
            N_(
                "Je antwoord lijkt persoonsgegevens te bevatten: %(description)s. "
                "Pas het aan, of bevestig dat je het toch wilt versturen."
            ),
            description=describe(self._pii),
        )

    def translated(self, lang: str) -> str:
        from app.services.pii import describe

        description = describe(self._pii, lambda text: translate(lang, text))
        return translate(lang, self.msgid, description=description)
