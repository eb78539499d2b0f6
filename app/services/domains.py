"""The fields participants work in, as people read them."""

from __future__ import annotations

from app.i18n import N_
from app.models import Domain

# Dutch msgids; templates show them through the `domain_label` filter, translated.
DOMAIN_LABELS: dict[Domain, str] = {
    Domain.onderwijs: N_("Onderwijs"),
    Domain.gemeente: N_("Gemeente"),
    Domain.jongerenwerk: N_("Jongerenwerk"),
    Domain.politie: N_("Politie"),
    Domain.jeugdhulp: N_("Jeugdhulp"),
    Domain.leerplicht: N_("Leerplicht"),
    Domain.ouders: N_("Ouders"),
    Domain.anders: N_("Anders"),
}
