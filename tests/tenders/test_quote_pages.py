"""The firm's quote pages: the form, the receipt, withdrawing, and the panel on the tender page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace import formats
from tenders import vault
from tenders.models import NOT_A_PDF, Quote, QuoteFile
from tests.i18n import english
from tests.tenders.factories import LotFactory
from tests.tenders.factories_vault import (
    SECRET_FILE_NAME,
    SECRET_NOTE,
    after_deadline,
    open_tender,
    pdf_upload,
    send_quote,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(buyer_org):
    return open_tender(buyer_org, title="Schilderwerk stadhuis")


def submit_url(tender) -> str:
    return reverse("tenders:quote_submit", args=[tender.pk])


@pytest.mark.parametrize("typed", ["48.213,77", "48213.77", "€ 48.213,77"])
def test_a_firm_sends_a_quote_typed_the_dutch_or_the_plain_way(client, tender, firm_user, typed):
    client.force_login(firm_user)

    response = client.post(
        submit_url(tender), {"total": typed, "note": SECRET_NOTE, "files": [pdf_upload()]}
    )

    quote = Quote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "tenders:quote_receipt", args=[tender.pk, quote.receipt_code]
    )
    assert vault.unseal_json(quote.sealed)["total"] == "48213.77"


def test_several_pdfs_in_one_go_and_prices_per_lot(client, tender, firm_user):
    LotFactory(tender=tender, number=1, title="Binnen")
    LotFactory(tender=tender, number=2, title="Buiten")
    client.force_login(firm_user)

    page = client.get(submit_url(tender)).content.decode()
    response = client.post(
        submit_url(tender),
        {
            "lot_1": "1.000,50",
            "lot_2": "",
            "files": [pdf_upload("a.pdf"), pdf_upload("b.pdf")],
        },
    )

    assert 'name="lot_1"' in page and 'name="lot_2"' in page and 'name="total"' not in page
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert vault.unseal_json(quote.sealed)["lots"] == {"1": "1000.50"}
    assert quote.files.count() == 2


def test_the_receipt_shows_the_exact_time_and_fingerprints(client, tender, firm, firm_user):
    quote = send_quote(tender, firm, firm_user)
    client.force_login(firm_user)

    html = client.get(
        reverse("tenders:quote_receipt", args=[tender.pk, quote.receipt_code])
    ).content.decode()

    assert quote.receipt_code in html
    assert quote.files.get().sha256 in html
    assert formats.moment(quote.received_at) in html  # to the minute, for people
    assert f'datetime="{formats.datetime_attr(quote.received_at)}"' in html  # the exact second
    assert SECRET_FILE_NAME not in html and SECRET_NOTE not in html
    # Documents are named and sized for people: "Document 1", "1,2 kB" (names stay sealed).
    assert ">Document 1</td>" in html
    assert formats.filesize(quote.files.get().size) in html
    assert " bytes</td>" not in html


def test_the_price_of_a_quote_is_marked_required_not_optional(client, tender, firm_user):
    client.force_login(firm_user)

    page = client.get(submit_url(tender)).content.decode()
    label = page[page.index('for="id_total"') :]
    label = label[: label.index("</label>")]

    assert "niet verplicht" not in label
    assert 'name="total"' in page and "required" in page[page.index('name="total"') - 200 :][:400]


def test_another_firm_guessing_the_receipt_url_gets_404(
    client, tender, firm, firm_user, other_firm_user, buyer
):
    quote = send_quote(tender, firm, firm_user)
    url = reverse("tenders:quote_receipt", args=[tender.pk, quote.receipt_code])

    client.force_login(other_firm_user)
    assert client.get(url).status_code == 404
    client.force_login(buyer)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_non_pdf_upload_is_refused_with_a_message_and_the_typed_price_kept(
    client, tender, firm_user, private_root
):
    client.force_login(firm_user)
    fake = SimpleUploadedFile("offerte.pdf", b"<html>geen pdf</html>")

    response = client.post(submit_url(tender), {"total": "48.213,77", "files": [fake]})

    assert response.status_code == 200
    html = response.content.decode()
    assert english(NOT_A_PDF) in html or "geen PDF" in html
    assert 'value="48.213,77"' in html
    assert 'role="alert"' in html
    assert not Quote.objects.exists() and not QuoteFile.objects.exists()
    assert not private_root.exists() or not any(private_root.rglob("*.sealed"))


def test_the_form_says_a_new_quote_replaces_the_current_one(client, tender, firm, firm_user):
    quote = send_quote(tender, firm, firm_user)
    client.force_login(firm_user)

    html = client.get(submit_url(tender)).content.decode()

    assert quote.receipt_code in html


def test_sending_after_the_deadline_shows_the_deadline_and_stores_nothing(
    client, tender, firm_user
):
    with after_deadline(tender):
        client.force_login(firm_user)
        response = client.post(submit_url(tender), {"total": "100", "files": [pdf_upload()]})

    assert response.status_code == 200
    assert not Quote.objects.exists()
    assert formats.moment(tender.quote_deadline) in response.content.decode()


def test_withdrawing_asks_for_confirmation_then_withdraws(client, tender, firm, firm_user):
    quote = send_quote(tender, firm, firm_user)
    client.force_login(firm_user)
    url = reverse("tenders:quote_withdraw", args=[tender.pk])

    confirm = client.get(url)
    quote.refresh_from_db()
    assert confirm.status_code == 200 and quote.status == Quote.Status.SUBMITTED

    response = client.post(url, {"firm": firm.pk})

    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.WITHDRAWN


def test_withdrawing_after_the_deadline_is_refused_with_the_message(
    client, tender, firm, firm_user
):
    quote = send_quote(tender, firm, firm_user)
    with after_deadline(tender):
        client.force_login(firm_user)
        response = client.post(
            reverse("tenders:quote_withdraw", args=[tender.pk]), {"firm": firm.pk}
        )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SUBMITTED


def test_the_tender_page_shows_a_firm_its_receipt_and_buttons(client, tender, firm, firm_user):
    client.force_login(firm_user)
    detail = reverse("tenders:detail", args=[tender.pk])

    before = client.get(detail).content.decode()
    quote = send_quote(tender, firm, firm_user)
    after = client.get(detail).content.decode()
    with after_deadline(tender):
        client.force_login(firm_user)
        closed = client.get(detail).content.decode()

    assert 'id="quote"' in before and f'href="{submit_url(tender)}"' in before
    assert quote.receipt_code in after
    assert reverse("tenders:quote_withdraw", args=[tender.pk]) in after
    assert quote.receipt_code in closed
    assert reverse("tenders:quote_withdraw", args=[tender.pk]) not in closed
    assert f'href="{submit_url(tender)}"' not in closed


def test_buyers_and_visitors_get_no_quote_panel(client, tender, firm, firm_user, buyer):
    send_quote(tender, firm, firm_user)
    detail = reverse("tenders:detail", args=[tender.pk])

    assert 'id="quote"' not in client.get(detail).content.decode()
    client.force_login(buyer)
    assert 'id="quote"' not in client.get(detail).content.decode()


def test_a_firm_not_invited_cannot_open_the_quote_form(client, buyer_org, firm_user):
    from tenders.models import Procedure
    from tests.tenders.factories import TenderFactory

    invite_only = TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.MULTIPLE)
    client.force_login(firm_user)

    assert client.get(submit_url(invite_only)).status_code == 404
