"""The tender's PDFs (issue 4 item 7): real PDFs from WeasyPrint, read back with pypdf."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from marketplace.models import CpvCode
from tenders.models import AwardCriteriaType, ContractType, Invitation, Procedure, Status
from tenders.pdf import FONT_DIR, StaticOnlyFetcher, static_path
from tests.tenders.factories import (
    PAINTING,
    AwardCriterionFactory,
    LotFactory,
    QuestionFactory,
    TenderDocumentFactory,
    TenderFactory,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NBSP = "\u00a0"
A4_POINTS = (595.28, 841.89)


def read(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def tender(buyer_org, dordrecht):
    tender = TenderFactory(
        published=True,
        buyer=buyer_org,
        reference="DORD-2027-0042",
        title="Schilderwerk brede school Sterrenburg",
        description="Buitenschilderwerk van de brede school.\n\nInclusief houtrot herstellen.",
        contract_type=ContractType.WORKS,
        main_cpv=CpvCode.objects.get(pk=PAINTING),
        procedure=Procedure.NATIONAL,
        tenderned_reference="412345",
        estimated_value_min=Decimal("1234.56"),
        estimated_value_max=Decimal("250000"),
        award_criteria_type=AwardCriteriaType.PRICE_QUALITY,
        question_deadline=datetime(2027, 3, 1, 12, 0, tzinfo=AMSTERDAM),
        quote_deadline=datetime(2027, 3, 12, 14, 0, tzinfo=AMSTERDAM),
        contact_name="Alice de Inkoper",
        contact_email="alice@dordrecht.example",
    )
    tender.additional_cpv.add(CpvCode.objects.get(pk="45000000"))
    LotFactory(tender=tender, number=1, title="Gevels", estimated_value=Decimal("98765.43"))
    LotFactory(tender=tender, number=2, title="Kozijnen", suitable_for_local_smes=True)
    AwardCriterionFactory(tender=tender, name="Prijs", weight=40)
    AwardCriterionFactory(tender=tender, name="Plan van aanpak", weight=60)
    TenderDocumentFactory(tender=tender, title="Bestek schilderwerk")
    return tender


@pytest.fixture
def invite_only(buyer_org):
    return TenderFactory(published=True, buyer=buyer_org, procedure=Procedure.MULTIPLE)


def get_pdf(client, name: str, tender) -> bytes:
    response = client.get(reverse(f"tenders:{name}", args=[tender.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


@pytest.mark.django_db
def test_notice_shows_the_tender_in_dutch(client, tender):
    response = client.get(reverse("tenders:notice_pdf", args=[tender.pk]))

    assert response["Content-Disposition"] == 'inline; filename="DORD-2027-0042-aankondiging.pdf"'
    text = text_of(read(response.content))
    for expected in (
        "Schilderwerk brede school Sterrenburg",
        "DORD-2027-0042",
        "Gemeente Dordrecht",
        "Inclusief houtrot herstellen.",
        f"€{NBSP}1.234,56 – €{NBSP}250.000",  # the range, with non-breaking spaces
        f"€{NBSP}98.765,43",  # lot 1
        "12 maart 2027 om 14:00",
        "1 maart 2027 om 12:00",
        "45442100-8",
        "Schilderwerk",
        "Gevels",
        "Kozijnen",
        "Plan van aanpak",
        "60%",
        "Bestek schilderwerk",
        "https://www.tenderned.nl/aankondigingen/overzicht/412345",
        "alice@dordrecht.example",
        "Dordrecht",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_notice_is_a_tagged_pdf_with_its_title_and_language(client, tender):
    reader = read(get_pdf(client, "notice_pdf", tender))
    catalog = reader.trailer["/Root"]

    assert catalog["/Lang"] == "nl"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert tender.title in (reader.metadata.title or "")


def test_notice_is_a4_with_page_numbers_and_embedded_fonts(client, tender):
    reader = read(get_pdf(client, "notice_pdf", tender))

    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4_POINTS, abs=0.5
        )
        assert f"pagina {number} van {pages}" in page.extract_text()
        assert "DORD-2027-0042 · Schilderwerk brede school Sterrenburg" in page.extract_text()
    fonts = embedded_fonts(reader)
    assert fonts, "no fonts in the PDF"
    assert all(embedded for embedded in fonts.values()), fonts
    # The shipped fonts, by their @font-face family, not whatever the machine has installed.
    assert {name.split("+", 1)[1] for name in fonts} == {"Dichtbij-Sans", "Dichtbij-Sans-Bold"}


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font the pages use, and whether its program is in the file."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


@pytest.mark.django_db
def test_clarification_notice_lists_answers_but_never_who_asked(client, tender, firm):
    QuestionFactory(
        tender=tender,
        number=1,
        firm=firm,
        text="Mogen we in het weekend werken?",
        answer="Ja, op zaterdag van 8:00 tot 16:00.",
        published=True,
        published_at=datetime(2027, 2, 20, 10, 0, tzinfo=AMSTERDAM),
    )
    QuestionFactory(
        tender=tender, number=2, firm=firm, text="Welke kleur wordt het?", answered=True
    )
    QuestionFactory(
        tender=tender,
        number=3,
        firm=firm,
        text="Is er een steiger aanwezig?",
        answer="Nee, die regelt de opdrachtnemer.",
        published=True,
        published_at=datetime(2027, 2, 22, 9, 30, tzinfo=AMSTERDAM),
    )

    response = client.get(reverse("tenders:clarification_pdf", args=[tender.pk]))

    assert response["Content-Disposition"] == (
        'inline; filename="DORD-2027-0042-nota-van-inlichtingen.pdf"'
    )
    reader = read(response.content)
    text = " ".join(text_of(reader).split())
    assert "Nota van inlichtingen" in text
    assert "DORD-2027-0042" in text
    assert "22 februari 2027" in text  # the date of the nota: its latest answer
    assert "Vraag 1 Mogen we in het weekend werken?" in text
    assert "Ja, op zaterdag van 8:00 tot 16:00." in text
    assert "Vraag 3 Is er een steiger aanwezig?" in text
    assert "Nee, die regelt de opdrachtnemer." in text
    assert "Welke kleur" not in text  # answered, not yet published
    assert "De Kwast" not in text
    assert "pagina 1 van" in text
    assert all(embedded_fonts(reader).values())


@pytest.mark.django_db
def test_clarification_notice_without_published_answers_is_404(client, tender):
    QuestionFactory(tender=tender, answered=True)

    response = client.get(reverse("tenders:clarification_pdf", args=[tender.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["notice_pdf", "clarification_pdf"])
def test_outsiders_get_404_for_invite_only_tender_pdfs(
    client, invite_only, other_buyer, firm_user, name
):
    QuestionFactory(tender=invite_only, published=True)
    url = reverse(f"tenders:{name}", args=[invite_only.pk])

    assert client.get(url).status_code == 404
    client.force_login(other_buyer)
    assert client.get(url).status_code == 404
    client.force_login(firm_user)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_invited_firm_and_buyer_get_the_invite_only_notice(client, invite_only, firm, firm_user):
    Invitation.objects.create(tender=invite_only, firm=firm)
    url = reverse("tenders:notice_pdf", args=[invite_only.pk])

    client.force_login(firm_user)

    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_draft_notice_is_only_for_its_buyers(client, buyer, buyer_org, other_buyer):
    draft = TenderFactory(buyer=buyer_org, status=Status.DRAFT, procedure=Procedure.NATIONAL)
    url = reverse("tenders:notice_pdf", args=[draft.pk])

    assert client.get(url).status_code == 404
    client.force_login(other_buyer)
    assert client.get(url).status_code == 404
    client.force_login(buyer)
    response = client.get(url)
    assert response.status_code == 200
    assert "Concept: deze opdracht is niet gepubliceerd." in text_of(read(response.content))


def test_pdfs_load_only_files_under_the_static_dir(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("geheim")
    fetcher = StaticOnlyFetcher()

    assert static_path(outside.as_uri()) is None
    assert static_path("https://fonts.example/font.ttf") is None
    with pytest.raises(OSError):
        fetcher.fetch(outside.as_uri())
    assert static_path((FONT_DIR / "DejaVuSans.ttf").as_uri()) == FONT_DIR / "DejaVuSans.ttf"
