"""OCDS awards and contracts (issue 5 item 5): the outcome in a tender's releases, still valid
against the 1.1.5 schema, without naming any bidder but the winner."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tenders.models import Invitation, Procedure, TenderChange
from tenders.services.award import contract_record, tender_award, tender_end_without_award
from tests.tenders.factories import TenderChangeFactory
from tests.tenders.factories_award import bidder, opened_tender, quote_for
from tests.tenders.test_ocds import assert_valid, feed, tender_package

pytestmark = pytest.mark.django_db


def dutch_date(value: str) -> date:
    """The calendar day in the Netherlands of an OCDS date-time."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(ZoneInfo("Europe/Amsterdam")).date()


@pytest.fixture
def european(buyer_org, buyer):
    """A European tender, opened an hour ago with two quotes, and its opening recorded."""
    opened_at = timezone.now() - timedelta(hours=1)
    tender = opened_tender(
        buyer_org=buyer_org,
        procedure=Procedure.EUROPEAN,
        opened_at=opened_at,
        reference="DORD-2027-0007",
    )
    TenderChangeFactory(
        tender=tender, kind=TenderChange.Kind.OPENED, summary="Geopend", created_at=opened_at
    )
    winner, _users = bidder("Alfa Schilders")
    loser, _users = bidder("Bravo Verf")
    quotes = {
        "winner": quote_for(tender, winner, "250000.50"),
        "loser": quote_for(tender, loser, "310000"),
    }
    return tender, quotes


def test_award_and_contract_releases_validate_and_name_only_the_winner(client, european, buyer):
    tender, quotes = european
    award = tender_award(
        tender=tender, by=buyer, quote=quotes["winner"], motivation="Laagste prijs."
    )
    with time_machine.travel(award.standstill_until + timedelta(days=2), tick=False):
        today = timezone.localdate()
        contract = contract_record(
            tender=tender,
            by=buyer,
            value=Decimal("250000.50"),
            start_date=today + timedelta(days=7),
            end_date=today + timedelta(days=372),
            signed_on=today,
        )

    package = tender_package(client, tender)

    assert_valid(package)
    releases = package["releases"]
    assert [r["tag"] for r in releases] == [["tender"], ["tenderUpdate"], ["award"], ["contract"]]
    published, opened, awarded, completed = releases
    assert "numberOfTenderers" not in published["tender"]
    assert opened["tender"]["numberOfTenderers"] == 2
    assert "awards" not in opened

    (award_data,) = awarded["awards"]
    assert award_data["status"] == "pending"  # the standstill period runs
    assert award_data["value"] == {"amount": 250000.5, "currency": "EUR"}
    assert award_data["suppliers"][0]["name"] == "Alfa Schilders"
    assert awarded["tender"]["status"] == "complete"
    assert "contracts" not in awarded
    supplier = next(p for p in awarded["parties"] if "supplier" in p["roles"])
    assert supplier["roles"] == ["supplier"]
    assert supplier["id"] == award_data["suppliers"][0]["id"]
    assert supplier["identifier"] == {
        "scheme": "NL-KVK",
        "id": quotes["winner"].firm.kvk_number,
        "legalName": "Alfa Schilders",
    }

    (contract_data,) = completed["contracts"]
    assert contract_data["awardID"] == award_data["id"]
    assert contract_data["status"] == "active"
    assert contract_data["value"] == {"amount": 250000.5, "currency": "EUR"}
    period = contract_data["period"]
    assert dutch_date(period["startDate"]) == contract.start_date
    assert dutch_date(period["endDate"]) == contract.end_date
    assert dutch_date(contract_data["dateSigned"]) == contract.signed_on
    assert completed["awards"][0]["status"] == "active"
    assert "Bravo Verf" not in json.dumps(package)


def test_an_invite_only_tender_shows_its_award_once_awarded(client, buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org, procedure=Procedure.MULTIPLE)
    firm, _users = bidder("Alfa Schilders")
    Invitation.objects.create(tender=tender, firm=firm, reason="Lokaal")
    quote = quote_for(tender, firm, "30000")
    tender_package(client, tender, status=404)

    tender_award(tender=tender, by=buyer, quote=quote, motivation="Enige geldige offerte.")

    package = tender_package(client, tender)
    assert_valid(package)
    last = package["releases"][-1]
    assert last["tag"] == ["award"]
    assert last["awards"][0]["status"] == "active"  # no standstill for this procedure
    assert last["tender"]["numberOfTenderers"] == 1
    assert feed(client)["releases"][-1]["awards"][0]["id"] == last["awards"][0]["id"]
    assert_valid(feed(client))


def test_a_tender_without_award_ends_with_an_unsuccessful_release(client, european, buyer):
    tender, _quotes = european

    tender_end_without_award(tender=tender, by=buyer, reason="Alle prijzen boven budget.")

    package = tender_package(client, tender)
    assert_valid(package)
    assert [r["tag"] for r in package["releases"]] == [
        ["tender"],
        ["tenderUpdate"],
        ["tenderUpdate"],
    ]
    last = package["releases"][-1]
    assert last["tender"]["status"] == "unsuccessful"
    assert "awards" not in last
