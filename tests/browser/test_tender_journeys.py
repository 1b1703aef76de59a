"""Issue 4 in a real browser: a buyer puts a meervoudig onderhandse tender on Dichtbij through the
step-by-step flow and publishes it; an invited firm finds it with the filters, follows it and asks
a question; the buyer answers; the firm reads the answer and downloads the nota van inlichtingen;
an anonymous visitor gets 404. axe-core checks the list, detail and create pages on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tenders.models import Invitation, Tender
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD
from tests.i18n import nl

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def picker_value(days: int) -> str:
    """What a datetime-local picker holds: noon, ``days`` from now."""
    moment = timezone.localtime(timezone.now() + timedelta(days=days))
    return moment.strftime("%Y-%m-%dT12:00")


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name=nl("Save and continue")).click()


def test_buyer_publishes_firm_asks_buyer_answers_firm_reads_the_nota(
    page: Page, live_server, buyer, firm_user, firm, console_errors, tmp_path
):
    page.set_default_timeout(10_000)
    # The buyer creates the tender, step by step.
    log_in(page, live_server, buyer.email, PASSWORD)
    page.goto(live_server.url + "/tenders/new/")
    assert_accessible(page)
    page.get_by_label(nl("Title"), exact=True).fill("Schilderwerk gemeentewerf")
    page.get_by_label(nl("Description")).first.fill(
        "Buitenschilderwerk van de kozijnen en deuren van de gemeentewerf."
    )
    page.get_by_label(nl("Works"), exact=True).check()
    page.get_by_label(nl("Main CPV code"), exact=True).fill("45442100")
    save_and_continue(page)

    page.get_by_label(nl("Estimated value (excl. VAT)"), exact=True).fill("-5")
    save_and_continue(page)
    expect(page.get_by_role("alert").first).to_be_visible()  # the error summary
    page.get_by_label(nl("Estimated value (excl. VAT)"), exact=True).fill("80.000")
    save_and_continue(page)

    expect(page.get_by_text(nl("Multiple-quote procedure")).first).to_be_visible()
    page.get_by_label(nl("Multiple-quote procedure")).check()
    save_and_continue(page)

    page.get_by_label(nl("Deadline for questions")).fill(picker_value(7))
    page.get_by_label(nl("Deadline for quotes")).fill(picker_value(21))
    page.get_by_label(nl("Lowest price")).check()
    page.get_by_label(nl("Contact person")).fill("Alice de Vries")
    page.get_by_label(nl("Contact e-mail address")).fill("alice@dordrecht.example")
    save_and_continue(page)
    page.get_by_role("link", name=nl("Continue to the invitations")).click()  # no documents

    # The buyer invites the painter directly (the assistant has its own journey).
    page.get_by_role("link", name=nl("Add a firm")).click()
    page.get_by_label(nl("KvK number of the firm")).fill(firm.kvk_number)  # no candidates
    page.get_by_label(nl("Reason")).fill("Vaste schilder van de gemeentewerf.")
    page.get_by_role("button", name=nl("Add"), exact=True).click()
    expect(page.get_by_role("table").first).to_contain_text(firm.organisation.name)
    page.get_by_role("link", name=nl("Continue to review")).click()

    assert_accessible(page)
    page.get_by_role("button", name=nl("Publish"), exact=True).click()
    tender = Tender.objects.get(title="Schilderwerk gemeentewerf")
    expect(page).to_have_url(f"{live_server.url}/tenders/{tender.pk}/")
    assert tender.status == "published"
    assert tender.procedure == "multiple"

    assert list(tender.invitations.values_list("firm", flat=True)) == [firm.pk]
    page.get_by_role("button", name=nl("Log out")).click()

    # An anonymous visitor does not even learn that it exists.
    response = page.goto(f"{live_server.url}/tenders/{tender.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/tenders/{tender.pk}/aankondiging.pdf")
    assert response.status == 404
    page.goto(live_server.url + "/tenders/")
    expect(page.get_by_text("Schilderwerk gemeentewerf")).to_have_count(0)

    # The invited firm finds it with the filters, follows it and asks a question.
    log_in(page, live_server, firm_user.email, PASSWORD)
    page.goto(live_server.url + "/tenders/?cpv=45400000&municipality=GM0505")
    assert_accessible(page)
    page.get_by_role("link", name="Schilderwerk gemeentewerf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schilderwerk gemeentewerf")
    assert_accessible(page)
    page.get_by_role("button", name=nl("Follow this tender")).click()
    expect(page.get_by_role("button", name=nl("Stop following"))).to_be_visible()
    question = "Mogen we de kozijnen ook in de winter schilderen?"
    page.get_by_label(nl("Your question")).fill(question)
    page.get_by_role("button", name=nl("Send question")).click()
    expect(page.get_by_text(question)).to_be_visible()
    page.get_by_role("button", name=nl("Log out")).click()

    # The buyer answers and publishes the answer.
    log_in(page, live_server, buyer.email, PASSWORD)
    page.goto(f"{live_server.url}/tenders/{tender.pk}/questions/")
    expect(page.get_by_text(firm.organisation.name).first).to_be_visible()  # buyers see who asked
    answer = "Ja, als het droog is en boven de 5 graden."
    page.get_by_label(nl("Answer"), exact=True).first.fill(answer)
    page.get_by_role("button", name=nl("Save answer")).click()
    with translation.override("nl"):
        publish = translation.ngettext(
            "Publish %(counter)s answer", "Publish %(counter)s answers", 1
        ) % {"counter": 1}
    page.get_by_role("button", name=publish).click()
    page.get_by_role("button", name=nl("Log out")).click()

    # The firm sees the answer and downloads the nota van inlichtingen.
    log_in(page, live_server, firm_user.email, PASSWORD)
    page.goto(f"{live_server.url}/tenders/{tender.pk}/")
    expect(page.get_by_text(answer, exact=True)).to_be_visible()
    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url;"
            " a.download = 'nota.pdf'; document.body.appendChild(a); a.click(); }",
            f"/tenders/{tender.pk}/nota-van-inlichtingen.pdf",
        )
    path = tmp_path / "nota.pdf"
    download_info.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Nota van inlichtingen" in text
    assert question in " ".join(text.split())
    assert answer in " ".join(text.split())
    assert firm.organisation.name not in text
    # The only errors are the two 404s the anonymous visitor was meant to get.
    not_found = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert sorted(console_errors) == sorted(
        [
            f"404 {live_server.url}/tenders/{tender.pk}/",
            f"404 {live_server.url}/tenders/{tender.pk}/aankondiging.pdf",
            not_found,
            not_found,
        ]
    )


def test_buyer_adds_a_document_and_extends_the_deadline_of_a_published_tender(
    page: Page, live_server, buyer, buyer_org, firm, console_errors, tmp_path, settings
):
    from weasyprint import HTML

    from tests.tenders.factories import TenderFactory

    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    page.set_default_timeout(10_000)
    tender = TenderFactory(
        buyer=buyer_org,
        published=True,
        procedure="national",
        tenderned_reference="123456",
        title="Dakrenovatie sporthal",
    )
    Invitation.objects.create(tender=tender, firm=firm)  # so that someone hears of the changes
    pdf = tmp_path / "bestek.pdf"
    pdf.write_bytes(HTML(string="<h1>Bestek dakrenovatie</h1>").write_pdf())
    fake = tmp_path / "foto.pdf"
    fake.write_bytes(b"GIF89a not a pdf at all")

    log_in(page, live_server, buyer.email, PASSWORD)
    page.goto(live_server.url + "/tenders/mine/")
    expect(page.get_by_role("link", name="Dakrenovatie sporthal", exact=True)).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/tenders/policy/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/tenders/{tender.pk}/documents/add/")
    page.get_by_label(nl("Title"), exact=True).fill("Foto")
    page.get_by_label(nl("PDF file")).set_input_files(str(fake))
    page.get_by_role("button", name=nl("Add document")).click()
    expect(page.get_by_role("alert").first).to_be_visible()  # not a PDF: refused, said why
    assert tender.documents.count() == 0
    page.get_by_label(nl("Title"), exact=True).fill("Bestek")
    page.get_by_label(nl("PDF file")).set_input_files(str(pdf))
    page.get_by_role("button", name=nl("Add document")).click()
    expect(page.get_by_role("link", name="Bestek").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/tenders/{tender.pk}/extend/")
    assert_accessible(page)
    page.get_by_label(nl("New deadline for quotes")).fill(picker_value(30))
    page.get_by_label(nl("Reason")).fill("Meer tijd voor een goede inschrijving.")
    page.get_by_role("button", name=nl("Extend and notify firms")).click()
    expect(page.get_by_text("Meer tijd voor een goede inschrijving.").first).to_be_visible()
    tender.refresh_from_db()
    assert timezone.localtime(tender.quote_deadline).strftime("%Y-%m-%dT%H:%M") == picker_value(30)
    assert tender.changes.filter(kind="extended").exists()
    assert [e for e in console_errors if not e.startswith("400 ")] == []
