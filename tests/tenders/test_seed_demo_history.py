"""seed_demo's history: awarded and completed tenders of the past two years for the demo
municipalities, with local, regional and outside winners (issue 5 point 5)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.models import AuditEvent, User
from marketplace.outbox.models import Message
from tenders.demo import DEFAULT_HISTORY
from tenders.models import (
    Award,
    Contract,
    Invitation,
    InvitationChange,
    Procedure,
    Quote,
    Status,
    Tender,
    VaultOpening,
)
from tenders.selectors.vault import quote_contents
from tenders.selectors.visibility import public_tenders
from tests.tenders.factories import MONDAY

pytestmark = pytest.mark.django_db
DEMO_BUYERS = {
    "gemeente-dordrecht",
    "gemeente-zwijndrecht",
    "gemeente-papendrecht",
    "gemeente-sliedrecht",
}
PAST = [Status.AWARDED, Status.COMPLETED, Status.CANCELLED, Status.UNSUCCESSFUL]


def seed_demo(*args: str, seed: int = 7) -> dict[str, int]:
    stdout = StringIO()
    call_command(
        "seed_demo",
        *("--suppliers", "60", "--tenders", "0", "--seed", str(seed), "--json", *args),
        stdout=stdout,
    )
    return json.loads(stdout.getvalue())


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(reference_data) -> dict[str, int]:
    return seed_demo()


def history_snapshot() -> list[tuple]:
    """What anyone could notice about the past tenders, without database ids."""
    rows = []
    for tender in Tender.objects.filter(status__in=PAST).order_by("reference"):
        award = Award.objects.filter(tender=tender).select_related("firm").first()
        contract = Contract.objects.filter(tender=tender).first()
        rows.append(
            (
                tender.reference,
                tender.buyer.slug,
                tender.title,
                tender.status,
                tender.procedure,
                tender.published_at,
                tender.quote_deadline,
                tuple(sorted(tender.invitations.values_list("firm__kvk_number", "reason"))),
                tuple(tender.quotes.values_list("firm__kvk_number", "receipt_code", "received_at")),
                award
                and (
                    award.firm.kvk_number,
                    award.value,
                    award.decided_at,
                    award.standstill_until,
                    award.motivation,
                    [(r["firm_name"], r["rank"], r["price"], r["points"]) for r in award.ranking],
                ),
                contract and (contract.value, contract.signed_on, contract.start_date),
            )
        )
    return rows


def tier(award: Award) -> str:
    buyer = award.tender.buyer.municipality
    place = award.firm.municipality
    if place.pk == buyer.pk:
        return "local"
    if place.region_id == buyer.region_id:
        return "regional"
    return "outside"


# What is made -------------------------------------------------------------------------------------


def test_seeding_reports_awards_and_contracts(seeded):
    assert seeded["awards"] == Award.objects.count() > 0
    assert seeded["contracts"] == Contract.objects.count() > 0
    assert seeded["contracts"] < seeded["awards"]
    assert Tender.objects.filter(status=Status.COMPLETED).count() == seeded["contracts"]
    assert Tender.objects.filter(status=Status.AWARDED).count() == (
        seeded["awards"] - seeded["contracts"]
    )
    assert Tender.objects.filter(status=Status.CANCELLED).exists()
    assert Tender.objects.filter(status=Status.UNSUCCESSFUL).exists()


def test_every_demo_municipality_has_six_to_eight_past_tenders(seeded):
    for slug in DEMO_BUYERS:
        count = Tender.objects.filter(buyer__slug=slug, status__in=PAST).count()
        assert 6 <= count <= DEFAULT_HISTORY == 8, slug


def test_the_history_spans_the_past_two_years_and_mixes_procedures(seeded):
    now = timezone.now()
    past = Tender.objects.filter(status__in=PAST)

    assert all(now - timedelta(days=740) < t.quote_deadline < now for t in past)
    assert max(now - t.quote_deadline for t in past) > timedelta(days=600)
    procedures = list(past.values_list("procedure", flat=True))
    invite_only = [p for p in procedures if p in (Procedure.SINGLE, Procedure.MULTIPLE)]
    assert len(invite_only) > len(procedures) / 2
    assert {Procedure.NATIONAL, Procedure.EUROPEAN} <= set(procedures)


def test_winners_are_local_regional_and_from_outside(seeded):
    tiers = [tier(award) for award in Award.objects.select_related("tender__buyer", "firm")]

    assert {"local", "regional", "outside"} <= set(tiers)
    assert tiers.count("local") + tiers.count("regional") > tiers.count("outside")


def test_the_demo_logins_firms_won_something(seeded):
    assert Award.objects.filter(firm__kvk_number="24123456").exists()  # the painter
    assert Award.objects.filter(firm__kvk_number="24654321").exists()  # the builder


# Consistency --------------------------------------------------------------------------------------


def test_each_step_follows_the_one_before_and_none_lies_ahead(seeded):
    now = timezone.now()
    for tender in Tender.objects.filter(status__in=PAST):
        assert tender.created_at < tender.published_at < tender.question_deadline, tender
        assert tender.question_deadline < tender.quote_deadline, tender
        if tender.status == Status.CANCELLED:
            assert tender.published_at < tender.cancelled_at < tender.quote_deadline, tender
            assert tender.cancellation_reason
            assert not tender.quotes.exists()
            continue
        opening = VaultOpening.objects.get(tender=tender)
        assert tender.quote_deadline < opening.requested_at <= opening.opened_at < now, tender
        for quote in tender.quotes.all():
            assert tender.published_at < quote.received_at < tender.quote_deadline, quote
        if tender.status == Status.UNSUCCESSFUL:
            assert tender.unsuccessful_reason
            assert not Award.objects.filter(tender=tender).exists()
            continue
        award = Award.objects.get(tender=tender)
        assert opening.opened_at < award.decided_at < now, tender
        if tender.procedure == Procedure.EUROPEAN:
            assert award.standstill_until == award.decided_at + timedelta(days=20), tender
        contract = Contract.objects.filter(tender=tender).first()
        assert (contract is not None) == (tender.status == Status.COMPLETED), tender
        if contract is not None:
            ends = award.standstill_until or award.decided_at
            assert timezone.localdate(ends) < contract.signed_on < contract.start_date, tender
            assert contract.recorded_at < now
            assert contract.firm == award.firm and contract.value == award.value


def test_the_award_keeps_the_ranking_with_the_winner_first(seeded):
    for award in Award.objects.select_related("quote"):
        ranking = award.ranking
        assert len(ranking) == award.tender.quotes.count() >= 1
        for row in ranking:
            assert {"quote", "firm", "firm_name", "rank", "price", "points"} <= set(row)
        first = min(ranking, key=lambda row: row["rank"])
        assert first["rank"] == 1
        assert first["quote"] == award.quote_id and first["firm"] == award.firm_id
        assert Decimal(first["price"]) == award.value
        assert award.formula and award.motivation


def test_dordrecht_opens_with_four_eyes_the_others_alone(seeded):
    first = User.objects.get(email="inkoper@dordrecht.example")
    second = User.objects.get(email="inkoper2@dordrecht.example")
    for opening in VaultOpening.objects.select_related("tender__buyer"):
        if opening.tender.buyer.slug == "gemeente-dordrecht":
            assert opening.four_eyes
            assert (opening.requested_by, opening.confirmed_by) == (first, second)
        else:
            assert not opening.four_eyes
            assert opening.requested_by == opening.confirmed_by


def test_invite_only_history_has_sent_invitations_and_quotes_only_from_invited_firms(seeded):
    invite_only = Tender.objects.filter(
        status__in=PAST, procedure__in=[Procedure.SINGLE, Procedure.MULTIPLE]
    )
    for tender in invite_only:
        invited = set(tender.invitations.values_list("firm_id", flat=True))
        assert invited, tender
        assert not tender.invitations.filter(sent_at__isnull=True).exists()
        assert set(tender.quotes.values_list("firm_id", flat=True)) <= invited
    assert not Invitation.objects.filter(
        tender__procedure__in=[Procedure.NATIONAL, Procedure.EUROPEAN]
    ).exists()


def test_quotes_are_sealed_without_a_clear_price(seeded):
    quotes = Quote.objects.select_related("tender")
    assert quotes.exists()
    for quote in quotes:
        price = quote_contents(quote).total  # every past vault is open
        sealed = bytes(quote.sealed)
        for text in (
            str(price),
            f"{price:.2f}",
            str(int(price)),
            f"{int(price):,}".replace(",", "."),
        ):
            assert text.encode() not in sealed, quote
        assert b"total" not in sealed


def test_seeding_the_history_sends_no_mail(seeded, mailoutbox):
    assert mailoutbox == []
    assert not Message.objects.pending().exists()


def test_the_audit_trail_tells_the_story_without_prices(seeded):
    tender = Tender.objects.filter(status=Status.COMPLETED).order_by("reference").first()
    events = AuditEvent.objects.filter(object_type="tenders.tender", object_id=str(tender.pk))
    actions = list(events.order_by("created_at", "pk").values_list("action", flat=True))

    assert actions[0] == "tender.created"
    assert "quote.submitted" in actions and "vault.opened" in actions
    assert actions[-2:] == ["tender.awarded", "tender.completed"]
    prices = [str(Decimal(row["price"])) for row in tender.award.ranking[1:]]
    details = json.dumps([e.details for e in events if e.action != "tender.completed"])
    assert not any(price in details for price in prices)


# Pages --------------------------------------------------------------------------------------------


def test_the_dordrecht_buyer_opens_every_past_tender(client, seeded):
    client.force_login(User.objects.get(email="inkoper@dordrecht.example"))

    tenders = Tender.objects.filter(buyer__slug="gemeente-dordrecht", status__in=PAST)
    assert tenders.exists()
    for tender in tenders:
        assert client.get(reverse("tenders:detail", args=[tender.pk])).status_code == 200, tender
        assert client.get(reverse("tenders:audit", args=[tender.pk])).status_code == 200, tender


def test_awarded_open_procedures_are_public_and_invite_only_ones_are_not(client, seeded):
    awarded = Tender.objects.filter(status__in=[Status.AWARDED, Status.COMPLETED])
    open_ones = awarded.filter(procedure__in=[Procedure.NATIONAL, Procedure.EUROPEAN])
    invite_only = awarded.filter(procedure__in=[Procedure.SINGLE, Procedure.MULTIPLE])

    assert open_ones.exists() and invite_only.exists()
    for tender in open_ones:
        assert public_tenders().filter(pk=tender.pk).exists()
        assert client.get(reverse("tenders:detail", args=[tender.pk])).status_code == 200
    for tender in invite_only:
        assert client.get(reverse("tenders:detail", args=[tender.pk])).status_code == 404


# Deterministic and idempotent ---------------------------------------------------------------------


def test_seeding_again_changes_nothing(seeded):
    rows = history_snapshot()
    events = AuditEvent.objects.count()

    again = seed_demo()

    assert again == {**seeded, "firms_created": 0, "pages_created": 0}
    assert history_snapshot() == rows
    assert AuditEvent.objects.count() == events


def test_the_same_seed_on_the_same_day_gives_the_same_history(reference_data):
    with time_machine.travel(MONDAY, tick=False):
        with transaction.atomic():
            seed_demo()
            first = history_snapshot()
            transaction.set_rollback(True)
        assert not Award.objects.exists()

        seed_demo()

        assert history_snapshot() == first
        assert len(first) == sum(1 for _ in first) >= 24


def test_another_seed_picks_other_winners_for_the_same_titles(reference_data):
    with time_machine.travel(MONDAY, tick=False):
        with transaction.atomic():
            seed_demo(seed=7)
            first = history_snapshot()
            transaction.set_rollback(True)

        seed_demo(seed=8)
        other = history_snapshot()

    assert [row[2] for row in first] == [row[2] for row in other]
    assert [row[9] for row in first] != [row[9] for row in other]


def test_no_history_when_asked_for_none(reference_data):
    counts = seed_demo("--history", "0")

    assert counts["awards"] == counts["contracts"] == 0
    assert not Tender.objects.filter(status__in=PAST).exists()


def test_history_invitations_come_with_their_justification(seeded):
    invited = Invitation.objects.filter(tender__status__in=PAST)
    assert invited.exists()
    for invitation in invited:
        actions = set(
            InvitationChange.objects.filter(
                tender=invitation.tender, firm=invitation.firm
            ).values_list("action", flat=True)
        )
        assert actions == {"proposed", "sent"}, invitation
