"""A tender's audit trail for its buyers: who did what and when, vault attempts included, with a
CSV export; firms' quote events only once the vault is open (issue 5 point 5, DESIGN §4.5)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from marketplace.models import AuditEvent, Role
from marketplace.services import audit_record
from tenders.audit import PAGE_LABELS, audit_details, tender_audit_events
from tenders.models import Procedure, VaultOpening
from tenders.services import tender_create, tender_publish
from tenders.services.changes import tender_extend
from tenders.services.participation import question_ask
from tenders.views.audit import AUDIT_PAGE_SIZE, CSV_HEADER
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.tenders.factories import InvitationFactory, TenderFactory, publishable_fields

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 9, 30, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def tender(buyer, buyer_org, firm, firm_user):
    """A published single-quote tender with a question from the invited painter and a later
    deadline: four events by three services and one by a firm."""
    with time_machine.travel(MONDAY, tick=False):
        tender = tender_create(buyer=buyer_org, by=buyer, **publishable_fields())
        InvitationFactory(tender=tender, firm=firm)
        tender_publish(tender=tender, by=buyer)
        question_ask(tender=tender, firm=firm, by=firm_user, text="Mag het ook in april?")
        tender_extend(
            tender=tender,
            by=buyer,
            quote_deadline=tender.quote_deadline + timedelta(days=7),
            reason="Meer tijd voor de offertes.",
        )
    return tender


def trail_length(tender) -> int:
    """How many events the tender has (publishing may record more than one)."""
    return AuditEvent.objects.filter(object_type="tenders.tender", object_id=str(tender.pk)).count()


def audit_url(tender) -> str:
    return reverse("tenders:audit", args=[tender.pk])


def csv_url(tender) -> str:
    return reverse("tenders:audit_csv", args=[tender.pk])


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_text(response).removeprefix("\ufeff"))))


def quote_event(tender, firm, action="quote.submitted") -> AuditEvent:
    return audit_record(
        action=action,
        organisation=firm.organisation,
        obj=tender,
        details={"receipt": "R-0001"},
    )


def open_vault(tender, buyer, second_buyer, *, opened: bool) -> VaultOpening:
    return VaultOpening.objects.create(
        tender=tender,
        requested_by=buyer,
        confirmed_by=second_buyer if opened else None,
        opened_at=timezone.now() if opened else None,
    )


# Who may see it -----------------------------------------------------------------------------------


def test_the_buyer_sees_the_tenders_events_oldest_first(client, buyer, tender):
    client.force_login(buyer)

    response = client.get(audit_url(tender))

    content = response.content.decode()
    assert response.status_code == 200
    actions = [e.action for e in response.context["page"].object_list]
    expected = ["tender.created", "tender.published", "tender.question_asked", "tender.extended"]
    assert [action for action in actions if action in expected] == expected
    assert actions[0] == "tender.created"
    assert content.count("<time ") == len(actions) == trail_length(tender)
    assert (buyer.get_full_name() or buyer.email) in content  # a colleague, by name
    # A firm's person is not named to the buyer, nor their address: the firm is.
    assert "dana@firma.example" not in content
    assert "een medewerker van deze organisatie" in content
    assert "Schildersbedrijf De Kwast" in content
    assert "Gemeente Dordrecht" in content
    # The Amsterdam time zone: created at 9:30:15 local time, shown to the minute, with the
    # second in the machine-readable datetime.
    assert "2 maart 2026 om 09:30" in content
    assert 'datetime="2026-03-02T09:30:15+01:00"' in content
    assert f'href="{csv_url(tender)}"' in content


def test_details_read_as_words_not_as_raw_json(client, buyer, tender):
    client.force_login(buyer)

    content = client.get(audit_url(tender)).content.decode()

    assert tender.reference in content
    assert "Meer tijd voor de offertes." in content
    assert "{&quot;" not in content and '{"' not in content


def test_details_name_fields_and_firms_in_words_and_hide_internal_keys(firm):
    details = audit_details(
        {
            "fields": ["estimated_value_min", "title"],
            "seed": "DORD-2026-0022",
            "firms": [firm.kvk_number],
            "passed_over": [],
            "emails": 3,
        }
    )
    text = " ".join(f"{label}: {value}" for label, value in details)

    assert "estimated_value_min" not in text and "seed" not in text.lower()
    assert "DORD-2026-0022" not in text
    assert "passed over" not in text and "emails" not in text
    assert firm.name in text
    assert "e-mails verstuurd: 3" in text


def test_details_turn_lists_pairs_days_moments_and_procedures_into_text():
    moment = datetime(2026, 3, 16, 11, 0, tzinfo=ZoneInfo("UTC")).isoformat()

    rows = audit_details(
        {
            "criteria": [["Prijs", 40], ["Kwaliteit", 60]],
            "fields": ["title", "lots"],
            "at": moment,
            "signed_on": "2026-03-01",
            "procedure": "single",
            "four_eyes": True,
        }
    )

    texts = [text for _label, text in rows]
    assert texts[:4] == [
        "Prijs (40), Kwaliteit (60)",
        "titel, percelen",
        "16 maart 2026 om 12:00",
        "1 maart 2026",
    ]
    assert texts[4] == str(Procedure.SINGLE.label)
    assert rows[2][0] == "op"
    assert audit_details({"odd_key": 1}) == [("odd key", "1")]  # an unknown key reads as itself


def test_only_events_of_this_tender_are_listed(client, buyer, buyer_org, tender):
    other = tender_create(buyer=buyer_org, by=buyer, **publishable_fields(title="Iets anders"))
    client.force_login(buyer)

    events = client.get(audit_url(tender)).context["page"].object_list

    assert {e.object_id for e in events} == {str(tender.pk)}
    assert AuditEvent.objects.filter(object_id=str(other.pk), action="tender.created").exists()


def test_another_municipalitys_buyer_gets_not_found(client, other_buyer, tender):
    client.force_login(other_buyer)

    assert client.get(audit_url(tender)).status_code == 404
    assert client.get(csv_url(tender)).status_code == 404


def test_a_firm_gets_not_found_even_when_invited(client, firm_user, tender):
    client.force_login(firm_user)

    assert client.get(audit_url(tender)).status_code == 404
    assert client.get(csv_url(tender)).status_code == 404


def test_a_member_without_the_buyer_role_is_refused(client, buyer_org, tender):
    member = UserFactory(email="stagiair@dordrecht.example")
    MembershipFactory(user=member, organisation=buyer_org, role=Role.FIRM_MEMBER)
    client.force_login(member)

    assert client.get(audit_url(tender)).status_code == 403
    assert client.get(csv_url(tender)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, tender):
    for url in (audit_url(tender), csv_url(tender)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_second_buyer_of_the_municipality_sees_the_same_trail(client, second_buyer, tender):
    client.force_login(second_buyer)

    response = client.get(audit_url(tender))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == trail_length(tender)


# The vault ---------------------------------------------------------------------------------------


def test_quote_events_stay_hidden_until_the_vault_is_opened(
    client, buyer, second_buyer, firm, tender
):
    quote_event(tender, firm)
    quote_event(tender, firm, "quote.replaced")
    quote_event(tender, firm, "quote.withdrawn")
    client.force_login(buyer)

    before = client.get(audit_url(tender))
    before_csv = csv_text(client.get(csv_url(tender)))

    assert [
        e.action for e in before.context["page"].object_list if e.action.startswith("quote.")
    ] == []
    assert "R-0001" not in before.content.decode()
    assert "quote." not in before_csv


def test_a_requested_but_unconfirmed_opening_keeps_quote_events_hidden(
    buyer, second_buyer, firm, tender
):
    quote_event(tender, firm)
    open_vault(tender, buyer, second_buyer, opened=False)

    assert not tender_audit_events(tender).filter(action="quote.submitted").exists()


def test_quote_events_show_once_the_vault_is_open(client, buyer, second_buyer, firm, tender):
    quote_event(tender, firm)
    quote_event(tender, firm, "quote.withdrawn")
    open_vault(tender, buyer, second_buyer, opened=True)
    client.force_login(buyer)

    response = client.get(audit_url(tender))
    rows = csv_rows(client.get(csv_url(tender)))

    actions = [e.action for e in response.context["page"].object_list]
    assert actions[-2:] == ["quote.submitted", "quote.withdrawn"]
    assert "R-0001" in response.content.decode()
    assert [row[3] for row in rows[-2:]] == ["quote.submitted", "quote.withdrawn"]
    assert rows[-1][2] == "Schildersbedrijf De Kwast"


def test_refused_attempts_show_before_the_opening(client, buyer, firm, firm_user, tender):
    audit_record(action="vault.access_refused", actor=buyer, organisation=tender.buyer, obj=tender)
    audit_record(
        action="quote.refused", actor=firm_user, organisation=firm.organisation, obj=tender
    )
    audit_record(action="vault.opening_refused", actor=buyer, organisation=tender.buyer, obj=tender)
    client.force_login(buyer)

    actions = [e.action for e in client.get(audit_url(tender)).context["page"].object_list]

    assert actions[-3:] == ["vault.access_refused", "quote.refused", "vault.opening_refused"]


# Pages and the CSV --------------------------------------------------------------------------------


def test_a_tender_without_events_says_nothing_happened_yet(client, buyer, buyer_org):
    empty = TenderFactory(buyer=buyer_org)
    client.force_login(buyer)

    response = client.get(audit_url(empty))

    assert response.status_code == 200
    assert "Er is nog niets gebeurd." in response.content.decode()
    assert "<table" not in response.content.decode()


def test_a_long_trail_is_split_into_pages_of_fifty(client, buyer, buyer_org, tender):
    already = trail_length(tender)
    for n in range(AUDIT_PAGE_SIZE):
        audit_record(
            action="tender.updated",
            actor=buyer,
            organisation=buyer_org,
            obj=tender,
            details={"fields": [f"veld-{n:02d}"]},
        )
    client.force_login(buyer)

    first = client.get(audit_url(tender)).content.decode()
    second = client.get(audit_url(tender) + "?page=2").content.decode()

    assert AUDIT_PAGE_SIZE == 50
    assert first.count("<time ") == 50
    last_on_first = AUDIT_PAGE_SIZE - already - 1
    assert f"veld-{last_on_first:02d}" in first and f"veld-{last_on_first + 1:02d}" not in first
    assert 'href="?page=2"' in first
    assert second.count("<time ") == already
    assert "veld-49" in second


def test_the_csv_has_a_bom_a_dutch_header_and_every_row(client, buyer, buyer_org, tender):
    already = trail_length(tender)
    for _n in range(AUDIT_PAGE_SIZE + 5):
        audit_record(action="tender.updated", actor=buyer, organisation=buyer_org, obj=tender)
    client.force_login(buyer)

    response = client.get(csv_url(tender))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="audit-{tender.reference}.csv"' in response["Content-Disposition"]
    assert csv_text(response).startswith("\ufefftijdstip,")
    rows = csv_rows(client.get(csv_url(tender)))
    assert rows[0] == CSV_HEADER
    assert CSV_HEADER == ["tijdstip", "wie", "organisatie", "actie", "omschrijving", "details"]
    assert len(rows) == 1 + already + AUDIT_PAGE_SIZE + 5
    first = rows[1]
    assert first[0] == "2026-03-02T09:30:15+01:00"
    assert datetime.fromisoformat(first[0]) == MONDAY
    assert first[1:4] == ["alice@dordrecht.example", "Gemeente Dordrecht", "tender.created"]
    assert first[5].endswith(f": {tender.reference}")


def test_the_csv_cannot_smuggle_a_formula_into_a_spreadsheet(client, buyer, tender):
    evil = OrganisationFactory(name='=HYPERLINK("http://evil.example")', slug="evil")
    audit_record(
        action="tender.followed",
        organisation=evil,
        obj=tender,
        details={"=1+2": "x"},
    )
    client.force_login(buyer)

    rows = csv_rows(client.get(csv_url(tender)))

    assert rows[-1][2] == '\'=HYPERLINK("http://evil.example")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


@pytest.mark.django_db
def test_details_name_the_firm_format_the_value_and_the_page(firm):
    rows = audit_details({"firm": firm.pk, "value": 82789, "page": "evaluation"})

    assert [text for _label, text in rows] == [
        "Schildersbedrijf De Kwast",
        "€\xa082.789",  # with a no-break space
        str(PAGE_LABELS["evaluation"]),
    ]
