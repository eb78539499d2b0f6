"""The answers report (Markdown and PDF) marks the prompts that are not printed on the card."""

from __future__ import annotations

from sqlmodel import Session

from app.exports import report
from app.exports.pdf import _html
from app.models import Workshop
from app.services.report import load_report


def test_markdown_marks_derived_prompts_with_their_origin(
    session: Session, known: Workshop
) -> None:
    text = report.answers_md(load_report(session=session, workshop=known))
    card = "### Is er een gezamenlijke visie op sociale veiligheid geformuleerd?"
    after_card = text.split(card, 1)[1].split("###", 1)[0]
    assert "Afgeleide vraag" not in after_card
    scale = text.split("### Hoe staan we ervoor: hebben we een gezamenlijke", 1)[1]
    marker = "*Afgeleide vraag, niet letterlijk van de kaart: "
    assert (
        scale.split("###", 1)[0].count(marker + "Gesprekskaart voor beleidsmakers, thema 1*") == 1
    )
    # Theme 3's closing question is not on the card; theme 1's is.
    assert (
        text.count("Afgeleide vraag, niet letterlijk van de kaart: NJi-gespreksleidraad, Les 7")
        == 4
    )


def test_pdf_html_marks_derived_prompts(session: Session, known: Workshop) -> None:
    html = _html("exports/answers_print.html", report=load_report(session=session, workshop=known))
    loaded = load_report(session=session, workshop=known)
    derived = sum(1 for t in loaded.themes for p in t.prompts if p.derived_from is not None)
    assert derived > 4
    assert html.count('class="meta derived"') == derived
