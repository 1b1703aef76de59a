"""Scoring, the award decision and its e-mails, the standstill period, the contract, and ending
without award (DESIGN §4.7, issue 5 item 4)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from marketplace.models import AuditEvent
from marketplace.outbox.models import Message
from tenders.models import (
    Award,
    Contract,
    Follow,
    Procedure,
    ProcurementPolicy,
    QuoteScore,
    Status,
    TenderChange,
)
from tenders.notifications import change_topic, tender_topic
from tenders.selectors.award import tender_ranking
from tenders.services.award import (
    EXCLUDE_REASON_REQUIRED,
    MOTIVATION_REQUIRED,
    NO_VALID_QUOTES,
    NOT_AWARDED,
    NOT_OPENED,
    NOT_RANKED_FIRST,
    SCORES_MISSING,
    SIGNED_BEFORE_AWARD,
    STANDSTILL_RUNNING,
    contract_record,
    quote_exclude,
    quote_scores_set,
    tender_award,
    tender_end_without_award,
)
from tenders.services.tenders import tender_cancel
from tests.factories import FirmFactory
from tests.tenders.factories_award import bidder, opened_tender, quote_for

pytestmark = pytest.mark.django_db

CRITERIA = (("Prijs", 40), ("Kwaliteit", 60))


def messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


@pytest.fixture
def world(buyer_org, buyer):
    """The worked example: three bidders on a price-quality tender (Prijs 40, Kwaliteit 60)."""
    tender = opened_tender(buyer_org=buyer_org, criteria=CRITERIA, opened_by=buyer)
    firms = {}
    for name, price in (("Alfa", "100000"), ("Bravo", "80000"), ("Charlie", "125000")):
        firm, users = bidder(name, members=2)
        firms[name] = (firm, users, quote_for(tender, firm, price))
    return tender, firms


def quality(tender):
    return tender.award_criteria.get(name="Kwaliteit")


def score_all(tender, buyer, firms, scores=(("Alfa", "6"), ("Bravo", "5"), ("Charlie", "9"))):
    criterion = quality(tender)
    quote_scores_set(
        tender=tender,
        by=buyer,
        scores={(firms[name][2].pk, criterion.pk): Decimal(value) for name, value in scores},
    )


# Scores and exclusions ---------------------------------------------------------------------------


def test_scores_are_saved_and_audited_without_prices(world, buyer):
    tender, firms = world

    score_all(tender, buyer, firms)

    assert QuoteScore.objects.filter(quote__tender=tender).count() == 3
    event = AuditEvent.objects.get(action="evaluation.scored")
    assert event.object_id == str(tender.pk)
    assert "100000" not in str(event.details)
    ranking = tender_ranking(tender)
    assert [(r.firm_name, r.points) for r in ranking.rows] == [
        ("Charlie", Decimal("79.60")),
        ("Bravo", Decimal("70.00")),
        ("Alfa", Decimal("68.00")),
    ]


def test_a_score_above_ten_is_refused(world, buyer):
    tender, firms = world
    key = (firms["Alfa"][2].pk, quality(tender).pk)

    with pytest.raises(ValidationError):
        quote_scores_set(tender=tender, by=buyer, scores={key: Decimal("10.5")})

    assert not QuoteScore.objects.exists()


def test_the_price_criterion_gets_no_hand_made_score(world, buyer):
    tender, firms = world
    price = tender.award_criteria.get(name="Prijs")

    with pytest.raises(ValidationError):
        quote_scores_set(
            tender=tender, by=buyer, scores={(firms["Alfa"][2].pk, price.pk): Decimal(10)}
        )


def test_missing_scores_block_the_award(world, buyer):
    tender, firms = world
    score_all(tender, buyer, firms, scores=(("Alfa", "6"), ("Bravo", "5")))

    with pytest.raises(ValidationError) as error:
        tender_award(tender=tender, by=buyer, quote=firms["Charlie"][2], motivation="Beste.")

    assert messages_of(error.value) == [str(SCORES_MISSING)]
    tender.refresh_from_db()
    assert tender.status == Status.OPENED
    assert not Award.objects.exists()


def test_an_excluded_quote_is_out_of_the_ranking(world, buyer):
    tender, firms = world
    score_all(tender, buyer, firms)

    quote_exclude(quote=firms["Charlie"][2], by=buyer, reason="Geen VCA-certificaat")

    ranking = tender_ranking(tender)
    assert [r.firm_name for r in ranking.rows] == ["Bravo", "Alfa"]
    assert [b.firm_name for b in ranking.excluded] == ["Charlie"]
    event = AuditEvent.objects.get(action="quote.excluded")
    assert event.details["reason"] == "Geen VCA-certificaat"
    assert event.object_id == str(tender.pk)


def test_excluding_needs_a_reason(world, buyer):
    tender, firms = world

    with pytest.raises(ValidationError) as error:
        quote_exclude(quote=firms["Alfa"][2], by=buyer, reason="  ")

    assert error.value.message_dict["reason"] == [str(EXCLUDE_REASON_REQUIRED)]


# The award ---------------------------------------------------------------------------------------


def test_award_to_the_first_with_standstill_and_a_public_change(world, buyer, dordrecht):
    tender, firms = world
    ProcurementPolicy.objects.create(municipality=dordrecht, standstill_days_other=10)
    score_all(tender, buyer, firms)
    now = timezone.now()

    award = tender_award(
        tender=tender, by=buyer, quote=firms["Charlie"][2], motivation="Beste plan.", now=now
    )

    tender.refresh_from_db()
    assert tender.status == Status.AWARDED
    assert award.firm == firms["Charlie"][0]
    assert award.value == Decimal("125000")
    # National procedure: the municipality's standstill for other procedures (10 days).
    assert award.standstill_until == now + timedelta(days=10)
    assert [row["firm_name"] for row in award.ranking] == ["Charlie", "Bravo", "Alfa"]
    assert award.ranking[0]["points"] == "79.60"
    assert "Prijs (40%)" in award.formula
    change = TenderChange.objects.get(tender=tender, kind=TenderChange.Kind.AWARDED)
    assert "Charlie" in change.summary
    assert "125.000" in change.summary
    assert "Alfa" not in change.summary and "Bravo" not in change.summary
    assert AuditEvent.objects.filter(action="tender.awarded", object_id=str(tender.pk)).exists()


def test_european_procedure_gets_twenty_days_by_default(buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org, procedure=Procedure.EUROPEAN)
    firm, _users = bidder("Alfa")
    quote = quote_for(tender, firm, "500000")
    now = timezone.now()

    award = tender_award(tender=tender, by=buyer, quote=quote, motivation="Laagste prijs.", now=now)

    assert award.standstill_until == now + timedelta(days=20)


def test_no_standstill_for_a_light_procedure_by_default(buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org, procedure=Procedure.MULTIPLE)
    firm, _users = bidder("Alfa")
    quote = quote_for(tender, firm, "30000")

    award = tender_award(tender=tender, by=buyer, quote=quote, motivation="Laagste prijs.")

    assert award.standstill_until is None


def test_every_bidder_is_told_the_outcome_and_never_another_losers_name(world, buyer):
    tender, firms = world
    score_all(tender, buyer, firms)
    outsider, outsider_users = bidder("Delta")
    Follow.objects.create(tender=tender, firm=outsider)

    tender_award(tender=tender, by=buyer, quote=firms["Charlie"][2], motivation="Beste plan.")

    mails = {n.recipient_id: n for n in Message.objects.about(tender_topic(tender))}
    for user in firms["Charlie"][1]:
        body = mails[user.pk].body
        assert "79,60" in body
        assert "Alfa" not in body and "Bravo" not in body
    for user in firms["Bravo"][1]:
        body = mails[user.pk].body
        assert "Charlie" in body  # the winner
        assert " 2 " in body and "70,00" in body  # its own rank and points
        assert "79,60" in body  # the winner's points
        assert "€\u00a0125.000" in body  # and price
        assert "Alfa" not in body and "68,00" not in body
    for user in firms["Alfa"][1]:
        body = mails[user.pk].body
        assert " 3 " in body and "68,00" in body
        assert "Bravo" not in body and "70,00" not in body
    # A firm that only follows hears of the public change, without any ranking.
    follower = mails[outsider_users[0].pk]
    awarded = TenderChange.objects.get(tender=tender, kind=TenderChange.Kind.AWARDED)
    assert follower.topic == change_topic(awarded)
    assert "79,60" not in follower.body
    assert len(mails) == 7
    assert all(n.key.startswith(("award:", "change:")) for n in mails.values())


def test_an_excluded_bidder_hears_its_reason(world, buyer):
    tender, firms = world
    score_all(tender, buyer, firms)
    quote_exclude(quote=firms["Alfa"][2], by=buyer, reason="Geen VCA-certificaat")

    tender_award(tender=tender, by=buyer, quote=firms["Charlie"][2], motivation="Beste plan.")

    body = Message.objects.get(recipient=firms["Alfa"][1][0]).body
    assert "Geen VCA-certificaat" in body
    assert "Bravo" not in body


def test_only_the_first_ranked_quote_can_win(world, buyer):
    tender, firms = world
    score_all(tender, buyer, firms)

    with pytest.raises(ValidationError) as error:
        tender_award(tender=tender, by=buyer, quote=firms["Bravo"][2], motivation="Lokaal.")

    assert messages_of(error.value) == [str(NOT_RANKED_FIRST)]


def test_the_award_needs_a_motivation(world, buyer):
    tender, firms = world
    score_all(tender, buyer, firms)

    with pytest.raises(ValidationError) as error:
        tender_award(tender=tender, by=buyer, quote=firms["Charlie"][2], motivation=" ")

    assert error.value.message_dict["motivation"] == [str(MOTIVATION_REQUIRED)]


def test_awarding_twice_is_refused(world, buyer):
    tender, firms = world
    score_all(tender, buyer, firms)
    tender_award(tender=tender, by=buyer, quote=firms["Charlie"][2], motivation="Beste plan.")

    with pytest.raises(ValidationError) as error:
        tender_award(tender=tender, by=buyer, quote=firms["Charlie"][2], motivation="Nog eens.")

    assert messages_of(error.value) == [str(NOT_OPENED)]
    assert Award.objects.count() == 1


def test_awarding_before_the_opening_is_refused(buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org)
    firm, _users = bidder("Alfa")
    quote = quote_for(tender, firm, "1000")
    tender.vault_opening.delete()
    tender.status = Status.CLOSED
    tender.save()

    with pytest.raises(ValidationError) as error:
        tender_award(tender=tender, by=buyer, quote=quote, motivation="Snel.")

    assert messages_of(error.value) == [str(NOT_OPENED)]


def test_with_every_quote_excluded_there_is_nothing_to_award(buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org)
    firm, _users = bidder("Alfa")
    quote = quote_for(tender, firm, "1000", excluded_reason="Te laat ingediend")

    with pytest.raises(ValidationError) as error:
        tender_award(tender=tender, by=buyer, quote=quote, motivation="Toch.")

    assert messages_of(error.value) == [str(NO_VALID_QUOTES)]


def test_only_buyers_of_the_organisation_may_award(world, buyer, other_buyer, firm_user):
    tender, firms = world
    score_all(tender, buyer, firms)

    for person in (other_buyer, firm_user, firms["Charlie"][1][0]):
        with pytest.raises(PermissionDenied):
            tender_award(tender=tender, by=person, quote=firms["Charlie"][2], motivation="Ik.")
        with pytest.raises(PermissionDenied):
            quote_exclude(quote=firms["Alfa"][2], by=person, reason="Weg ermee")
    assert not Award.objects.exists()


# Standstill and contract -------------------------------------------------------------------------


@pytest.fixture
def awarded(buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org, procedure=Procedure.EUROPEAN)
    firm, _users = bidder("Alfa")
    quote = quote_for(tender, firm, "300000")
    award = tender_award(tender=tender, by=buyer, quote=quote, motivation="Laagste prijs.")
    return tender, award


def contract_kwargs(**overrides):
    today = timezone.localdate()
    return {
        "value": Decimal("299500"),
        "start_date": today + timedelta(days=30),
        "end_date": today + timedelta(days=400),
        "signed_on": today + timedelta(days=21),
        **overrides,
    }


def test_the_standstill_blocks_the_contract_until_its_end(awarded, buyer):
    tender, award = awarded

    with time_machine.travel(award.standstill_until - timedelta(seconds=1), tick=False):
        with pytest.raises(ValidationError) as error:
            contract_record(tender=tender, by=buyer, **contract_kwargs())
    assert error.value.code == "standstill"
    assert str(STANDSTILL_RUNNING).split("%")[0] in messages_of(error.value)[0]
    assert not Contract.objects.exists()

    with time_machine.travel(award.standstill_until + timedelta(seconds=1), tick=False):
        contract = contract_record(tender=tender, by=buyer, **contract_kwargs())

    tender.refresh_from_db()
    assert tender.status == Status.COMPLETED
    assert contract.firm == award.firm
    assert contract.value == Decimal("299500")
    assert TenderChange.objects.filter(tender=tender, kind=TenderChange.Kind.COMPLETED).exists()
    assert AuditEvent.objects.filter(action="tender.completed", object_id=str(tender.pk)).exists()


def test_a_contract_that_ends_before_it_starts_is_refused(awarded, buyer):
    tender, award = awarded
    with time_machine.travel(award.standstill_until + timedelta(days=1), tick=False):
        kwargs = contract_kwargs(end_date=date(2000, 1, 1))
        with pytest.raises(ValidationError) as error:
            contract_record(tender=tender, by=buyer, **kwargs)
    assert "end_date" in error.value.message_dict


def test_a_contract_signed_during_the_standstill_is_refused(awarded, buyer):
    tender, award = awarded
    with time_machine.travel(award.standstill_until + timedelta(days=1), tick=False):
        during = timezone.localdate(award.standstill_until) - timedelta(days=3)
        with pytest.raises(ValidationError) as error:
            contract_record(tender=tender, by=buyer, **contract_kwargs(signed_on=during))
    assert error.value.message_dict["signed_on"] == [str(SIGNED_BEFORE_AWARD)]


def test_no_contract_without_an_award(buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org)

    with pytest.raises(ValidationError) as error:
        contract_record(tender=tender, by=buyer, **contract_kwargs())

    assert messages_of(error.value) == [str(NOT_AWARDED)]


# No award, or cancelled after the opening --------------------------------------------------------


def test_unsuccessful_tender_tells_the_bidders_why(buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org)
    firm, users = bidder("Alfa")
    quote_for(tender, firm, "999999")

    tender_end_without_award(tender=tender, by=buyer, reason="Alle prijzen boven het budget.")

    tender.refresh_from_db()
    assert tender.status == Status.UNSUCCESSFUL
    assert tender.unsuccessful_reason == "Alle prijzen boven het budget."
    mail = Message.objects.get(recipient=users[0])
    ended = TenderChange.objects.get(tender=tender, kind=TenderChange.Kind.UNSUCCESSFUL)
    assert mail.topic == change_topic(ended)
    assert "Alle prijzen boven het budget." in mail.body
    assert AuditEvent.objects.filter(action="tender.unsuccessful").exists()


def test_unsuccessful_needs_a_reason_and_an_opened_tender(buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org)

    with pytest.raises(ValidationError):
        tender_end_without_award(tender=tender, by=buyer, reason="")
    tender.status = Status.AWARDED
    tender.save()
    with pytest.raises(ValidationError) as error:
        tender_end_without_award(tender=tender, by=buyer, reason="Toch niet.")
    assert messages_of(error.value) == [str(NOT_OPENED)]


def test_cancelling_after_the_opening_tells_the_bidders(buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org)
    firm, users = bidder("Alfa", members=2)
    quote_for(tender, firm, "1000")
    FirmFactory()  # a firm without a quote hears nothing

    tender_cancel(tender=tender, by=buyer, reason="Het budget is ingetrokken.")

    assert sorted(n.recipient_id for n in Message.objects.about(tender_topic(tender))) == sorted(
        u.pk for u in users
    )
    assert "Het budget is ingetrokken." in Message.objects.first().body
