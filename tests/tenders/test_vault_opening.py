"""Opening the vault after the deadline: four eyes by default, single opening by policy, and what
the buyers then see (DESIGN §4.5, issue 5 item 3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from marketplace.models import AuditEvent
from tenders.models import Status, TenderChange, VaultOpening
from tenders.selectors.vault import quote_contents
from tenders.services.lifecycle import UNANSWERED_QUESTIONS
from tenders.services.opening import (
    SAME_BUYER,
    vault_open_confirm,
    vault_open_request,
)
from tests.tenders.factories import QuestionFactory
from tests.tenders.factories_vault import (
    SECRET_NOTE,
    after_deadline,
    marked_pdf,
    open_tender,
    send_quote,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(buyer_org):
    return open_tender(buyer_org, title="Schilderwerk stadhuis")


@pytest.fixture
def quoted(tender, firm, firm_user):
    """The tender with one quote of € 48.213,77."""
    send_quote(tender, firm, firm_user)
    return tender


def actions(tender) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(tender.pk), action__startswith="vault.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_four_eyes_opening_needs_a_second_buyer(quoted, buyer, second_buyer):
    with after_deadline(quoted, seconds=60):
        opening = vault_open_request(tender=quoted, by=buyer)
        quoted.refresh_from_db()
        assert quoted.status == Status.CLOSED  # recorded on the way
        assert opening.four_eyes and not opening.is_open

        opening = vault_open_confirm(tender=quoted, by=second_buyer)

    quoted.refresh_from_db()
    assert opening.is_open and opening.confirmed_by == second_buyer
    assert quoted.status == Status.OPENED
    assert actions(quoted) == [
        "vault.opening_requested",
        "vault.opening_confirmed",
        "vault.opened",
    ]
    change = TenderChange.objects.get(tender=quoted, kind=TenderChange.Kind.OPENED)
    assert "1" in change.summary
    assert quote_contents(quoted.quotes.get()).total == Decimal("48213.77")


def test_the_same_buyer_cannot_confirm_their_own_request(quoted, buyer):
    with after_deadline(quoted, seconds=60):
        vault_open_request(tender=quoted, by=buyer)
        with pytest.raises(ValidationError) as error:
            vault_open_confirm(tender=quoted, by=buyer)

    with translation.override("en"):
        assert error.value.messages == [str(SAME_BUYER)]
    quoted.refresh_from_db()
    assert quoted.status == Status.CLOSED
    assert not VaultOpening.objects.get(tender=quoted).is_open
    refused = AuditEvent.objects.get(action="vault.opening_refused", object_id=str(quoted.pk))
    assert refused.actor == buyer and refused.organisation == quoted.buyer


def test_single_opening_opens_with_the_request(quoted, buyer, dordrecht):
    quoted.four_eyes_opening = False  # published under a single-opening policy
    quoted.save(update_fields=["four_eyes_opening"])

    with after_deadline(quoted, seconds=60):
        opening = vault_open_request(tender=quoted, by=buyer)

    quoted.refresh_from_db()
    assert opening.is_open and not opening.four_eyes
    assert quoted.status == Status.OPENED
    assert actions(quoted) == ["vault.opening_requested", "vault.opened"]


def test_opening_before_the_deadline_is_refused_and_recorded(quoted, buyer):
    with time_machine.travel(quoted.quote_deadline, tick=False) as clock:
        clock.shift(-1)
        with pytest.raises(ValidationError) as error:
            vault_open_request(tender=quoted, by=buyer)

    assert error.value.code == "before_deadline"
    assert not VaultOpening.objects.exists()
    quoted.refresh_from_db()
    assert quoted.status == Status.PUBLISHED
    refused = AuditEvent.objects.get(action="vault.access_refused", object_id=str(quoted.pk))
    assert refused.actor == buyer and refused.details["what"] == "opening_request"


def test_unanswered_questions_block_the_opening_with_their_message(quoted, buyer, firm):
    QuestionFactory(tender=quoted, firm=firm, asked_at=quoted.question_deadline.replace(year=2000))

    with after_deadline(quoted, seconds=60), pytest.raises(ValidationError) as error:
        vault_open_request(tender=quoted, by=buyer)

    with translation.override("en"):
        assert error.value.messages == [str(UNANSWERED_QUESTIONS)]
    assert not VaultOpening.objects.exists()


def test_only_buyers_of_the_organisation_may_open(quoted, other_buyer, firm_user):
    with after_deadline(quoted, seconds=60):
        for person in (other_buyer, firm_user):
            with pytest.raises(PermissionDenied):
                vault_open_request(tender=quoted, by=person)


def test_the_opening_page_runs_four_eyes_end_to_end(client, quoted, buyer, second_buyer):
    url = reverse("tenders:opening", args=[quoted.pk])
    with after_deadline(quoted, seconds=60):
        client.force_login(buyer)
        page = client.get(url).content.decode()
        assert 'value="request"' in page
        client.post(url, {"action": "request"})
        waiting = client.get(url).content.decode()
        assert 'value="confirm"' not in waiting
        client.post(url, {"action": "confirm"})  # herself: refused
        assert not VaultOpening.objects.get().is_open

        client.force_login(second_buyer)
        assert 'value="confirm"' in client.get(url).content.decode()
        response = client.post(url, {"action": "confirm"})

        assert response["Location"] == reverse("tenders:quotes", args=[quoted.pk])
        quotes_page = client.get(response["Location"]).content.decode()

    assert VaultOpening.objects.get().is_open
    assert "48.213,77" in quotes_page
    assert SECRET_NOTE in quotes_page
    assert "Schildersbedrijf De Kwast" in quotes_page


def test_after_opening_the_buyer_downloads_the_exact_pdf(client, quoted, buyer, second_buyer):
    with after_deadline(quoted, seconds=60):
        vault_open_request(tender=quoted, by=buyer)
        vault_open_confirm(tender=quoted, by=second_buyer)
        client.force_login(buyer)
        quote = quoted.quotes.get()
        quote_file = quote.files.get()
        response = client.get(
            reverse("tenders:quote_file", args=[quoted.pk, quote.pk, quote_file.pk])
        )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == marked_pdf()
    assert "offerte-KLUISNAAM-5521.pdf" in response["Content-Disposition"]
    downloaded = AuditEvent.objects.get(action="quote.file_downloaded", object_id=str(quoted.pk))
    assert downloaded.actor == buyer and downloaded.details["file"] == 1


def test_a_replaced_quote_is_not_among_the_opened_ones(quoted, firm, firm_user, buyer, dordrecht):
    with time_machine.travel(quoted.quote_deadline, tick=False) as clock:
        clock.shift(-10)
        send_quote(quoted, firm, firm_user, total=Decimal("39999.99"))
    quoted.four_eyes_opening = False  # published under a single-opening policy
    quoted.save(update_fields=["four_eyes_opening"])

    with after_deadline(quoted, seconds=60):
        vault_open_request(tender=quoted, by=buyer)

    totals = [quote_contents(q).total for q in quoted.quotes.filter(status="submitted")]
    assert totals == [Decimal("39999.99")]
    old = quoted.quotes.get(status="replaced")
    assert bytes(old.sealed) == b""


def test_a_buyer_of_another_municipality_gets_404_on_every_vault_url(
    client, quoted, buyer, second_buyer, other_buyer
):
    with after_deadline(quoted, seconds=60):
        vault_open_request(tender=quoted, by=buyer)
        vault_open_confirm(tender=quoted, by=second_buyer)
        quote = quoted.quotes.get()
        urls = [
            reverse("tenders:opening", args=[quoted.pk]),
            reverse("tenders:quotes", args=[quoted.pk]),
            reverse("tenders:quote_file", args=[quoted.pk, quote.pk, quote.files.get().pk]),
        ]
        client.force_login(other_buyer)
        statuses = [client.get(url).status_code for url in urls]
        posted = client.post(urls[0], {"action": "request"}).status_code

    assert statuses == [404, 404, 404]
    assert posted == 404


def test_reading_the_opened_quotes_is_recorded_for_the_buyer_organisation(
    client, quoted, buyer, second_buyer
):
    with after_deadline(quoted, seconds=60):
        vault_open_request(tender=quoted, by=buyer)
        vault_open_confirm(tender=quoted, by=second_buyer)
        client.force_login(second_buyer)
        quotes_page = client.get(reverse("tenders:quotes", args=[quoted.pk]))
        evaluation_page = client.get(reverse("tenders:evaluation", args=[quoted.pk]))

    assert quotes_page.status_code == evaluation_page.status_code == 200
    viewed = AuditEvent.objects.filter(action="vault.quotes_viewed", object_id=str(quoted.pk))
    assert [(e.actor, e.organisation, e.details["page"]) for e in viewed.order_by("pk")] == [
        (second_buyer, quoted.buyer, "quotes"),
        (second_buyer, quoted.buyer, "evaluation"),
    ]


@pytest.mark.parametrize("who", ["firm_user", "other_firm_user"])
def test_firms_cannot_open_quotes_by_url_even_after_the_opening(
    client, request, quoted, buyer, second_buyer, who
):
    """Neither another firm nor the quoting firm itself reads quotes through the buyer's URLs."""
    user = request.getfixturevalue(who)
    with after_deadline(quoted, seconds=60):
        vault_open_request(tender=quoted, by=buyer)
        vault_open_confirm(tender=quoted, by=second_buyer)
        quote = quoted.quotes.get()
        client.force_login(user)
        pages = [
            client.get(reverse("tenders:quotes", args=[quoted.pk])),
            client.get(reverse("tenders:evaluation", args=[quoted.pk])),
            client.get(
                reverse("tenders:quote_file", args=[quoted.pk, quote.pk, quote.files.get().pk])
            ),
        ]

    assert [page.status_code for page in pages] == [404, 404, 404]
    assert all(b"48.213,77" not in page.content for page in pages)
    assert not AuditEvent.objects.filter(action="vault.quotes_viewed").exists()
