"""The invitation assistant's proposal (DESIGN §4.6): local firms first, regional ones when there
are too few, one newcomer, rotation, every pick with its reason; same data and seed → same
proposal."""

from __future__ import annotations

import pytest
from django.utils import translation

from tenders.assistant import (
    BROADENED_REASON,
    LOCAL_REASON,
    NEWCOMER_REASON,
    propose,
)
from tenders.models import Invitation, Procedure, ProcurementPolicy
from tests.tenders.factories_invite import (
    CONSULTING,
    PLASTERING,
    ROTTERDAM,
    ZWIJNDRECHT,
    invite_only_draft,
    invited_before,
    painter,
)

pytestmark = pytest.mark.django_db

Kind = Invitation.Kind


def names(proposal) -> list[str]:
    return [pick.candidate.hit.name for pick in proposal.picks]


def kinds(proposal) -> list[str]:
    return [pick.kind for pick in proposal.picks]


@pytest.fixture
def draft(buyer_org):
    return invite_only_draft(buyer_org)


def test_local_firms_come_first_each_with_its_reason(draft):
    painter("Rotterdamse Verf", ROTTERDAM)
    painter("Zwijndrechtse Kwast", ZWIJNDRECHT)
    painter("Kwast Dordt A")
    painter("Kwast Dordt B", km_north=2)
    painter("Kwast Dordt C", km_north=4)

    proposal = propose(draft)

    assert names(proposal) == [
        "Kwast Dordt A",
        "Kwast Dordt B",
        "Kwast Dordt C",
        "Zwijndrechtse Kwast",
    ]
    assert kinds(proposal) == [Kind.LOCAL, Kind.LOCAL, Kind.LOCAL, Kind.REGIONAL]
    with translation.override("en"):
        local = str(LOCAL_REASON) % {"place": "Dordrecht"}
    first = proposal.picks[0].reason
    # Reasons are written in the site's language; the translation may not be compiled in tests.
    assert first.startswith(local) or first.startswith("Lokaal · Dordrecht")
    assert "Dordrecht — Schilderwerk (45442100)" in first
    assert [pick.position for pick in proposal.picks] == [1, 2, 3, 4]


def test_with_too_few_local_firms_regional_ones_take_their_places(draft):
    painter("Kwast Dordt")
    painter("Regio Kwast A", ZWIJNDRECHT)
    painter("Regio Kwast B", ZWIJNDRECHT, km_north=3)
    painter("Rotterdamse Verf", ROTTERDAM)

    proposal = propose(draft)

    assert kinds(proposal) == [Kind.LOCAL, Kind.REGIONAL, Kind.REGIONAL, Kind.NEARBY]
    filling = proposal.picks[1].reason
    assert "Drechtsteden" in filling
    assert "2" in filling.split("·")[0]  # "fewer than 2 local firms"
    # Only the place the local rule could not fill says so; the next one is just next in line.
    assert "2" not in proposal.picks[2].reason.split("·")[0]


def test_a_newcomer_takes_the_last_place_when_no_pick_is_one(draft, buyer_org):
    regulars = [painter(f"Vaste Kwast {n}", km_north=n) for n in range(4)]
    for firm in regulars:  # invited last year, for other work: no rotation, but no newcomers
        invited_before(buyer_org, firm, days_ago=200, cpv="79400000")
    newcomer = painter("Nieuwe Kwast", ROTTERDAM)

    proposal = propose(draft)

    assert names(proposal) == ["Vaste Kwast 0", "Vaste Kwast 1", "Vaste Kwast 2", "Nieuwe Kwast"]
    last = proposal.picks[-1]
    assert last.kind == Kind.NEWCOMER and last.firm_id == newcomer.pk
    with translation.override("en"):
        english = str(NEWCOMER_REASON)
    assert last.reason.startswith(english) or last.reason.startswith("Nieuwkomer")
    assert "Vaste Kwast 3" in [c.hit.name for c in proposal.next_candidates]


def test_an_invitation_longer_than_24_months_ago_makes_a_newcomer_again(draft, buyer_org):
    firms = [painter(f"Kwast {n}", km_north=n) for n in range(5)]
    for firm in firms[:4]:
        invited_before(buyer_org, firm, days_ago=200, cpv="79400000")
    invited_before(buyer_org, firms[4], days_ago=800, cpv="79400000")

    proposal = propose(draft)

    assert proposal.picks[-1].firm_id == firms[4].pk
    assert proposal.picks[-1].kind == Kind.NEWCOMER


def test_no_newcomer_slot_when_the_policy_says_so(draft, buyer_org, dordrecht):
    ProcurementPolicy.objects.create(municipality=dordrecht, newcomer_slot=False)
    regulars = [painter(f"Vaste Kwast {n}", km_north=n) for n in range(4)]
    for firm in regulars:
        invited_before(buyer_org, firm, days_ago=200, cpv="79400000")
    painter("Nieuwe Kwast", ROTTERDAM)

    assert "Nieuwe Kwast" not in names(propose(draft))


def test_a_firm_invited_often_for_this_kind_of_work_steps_back(draft, buyer_org):
    favourite = painter("Altijd Dezelfde")  # first by name, and nearest
    invited_before(buyer_org, favourite, days_ago=40, times=3)
    others = [painter(f"Kwast {n}", km_north=n + 1) for n in range(4)]

    proposal = propose(draft)

    assert favourite.pk not in [pick.firm_id for pick in proposal.picks]
    assert [pick.firm_id for pick in proposal.picks] == [firm.pk for firm in others]
    [passed] = proposal.passed_over
    assert passed.firm_id == favourite.pk and passed.count == 3
    assert "3" in passed.reason and "45" in passed.reason


def test_rotation_counts_only_the_last_12_months_and_the_same_division(draft, buyer_org):
    firm = painter("Altijd Dezelfde")
    invited_before(buyer_org, firm, days_ago=400, times=3)  # too long ago
    invited_before(buyer_org, firm, days_ago=40, times=3, cpv="79400000")  # other work
    for n in range(4):
        painter(f"Kwast {n}", km_north=n + 1)

    proposal = propose(draft)

    assert proposal.picks[0].firm_id == firm.pk
    assert proposal.passed_over == []


def test_a_rotated_firm_still_gets_a_place_when_there_are_too_few_others(draft, buyer_org):
    favourite = painter("Altijd Dezelfde")
    invited_before(buyer_org, favourite, days_ago=40, times=5)
    painter("Kwast 1", km_north=1)

    proposal = propose(draft)

    # Back on the list, in its place by distance (the list reads in tier order, then distance).
    assert names(proposal) == ["Altijd Dezelfde", "Kwast 1"]
    assert "5" in proposal.picks[0].reason
    assert proposal.passed_over == []


def test_the_same_seed_gives_the_same_proposal_and_the_seed_chooses_among_equals(draft, buyer_org):
    for n in range(4):
        invited_before(buyer_org, painter(f"Vaste Kwast {n}", km_north=n), cpv="79400000")
    newcomers = {painter(f"Nieuwe Kwast {n}", ROTTERDAM).pk for n in range(5)}

    first = propose(draft, seed="2026-A")
    assert [(p.firm_id, p.kind, p.reason) for p in first.picks] == [
        (p.firm_id, p.kind, p.reason) for p in propose(draft, seed="2026-A").picks
    ]
    chosen = {propose(draft, seed=f"seed-{n}").picks[-1].firm_id for n in range(12)}
    assert chosen <= newcomers
    assert len(chosen) > 1  # the seed, not the name, decides among equally ranked newcomers
    assert propose(draft).seed == draft.reference


def test_a_single_quote_procedure_proposes_one_firm(buyer_org):
    tender = invite_only_draft(buyer_org, procedure=Procedure.SINGLE)
    painter("Kwast Dordt A")
    painter("Kwast Dordt B", km_north=1)

    proposal = propose(tender)

    assert names(proposal) == ["Kwast Dordt A"]
    assert kinds(proposal) == [Kind.LOCAL]


def test_unpublished_firms_and_other_trades_are_never_proposed(draft):
    painter("Verborgen Kwast", published=False)
    painter("Adviseur", cpv=CONSULTING)
    painter("Kwast Dordt")

    assert names(propose(draft)) == ["Kwast Dordt"]


def test_with_too_few_firms_for_the_code_the_search_broadens_to_its_group(draft):
    painter("Kwast Dordt")
    painter("Stukadoor A", cpv=PLASTERING, km_north=1)
    painter("Stukadoor B", cpv=PLASTERING, km_north=2)
    painter("Stukadoor C", ZWIJNDRECHT, cpv=PLASTERING)

    proposal = propose(draft)

    assert proposal.broadened_to == "45400000"
    assert len(proposal.picks) == 4
    assert "45400000" not in proposal.picks[0].reason  # found for the exact code
    with translation.override("en"):
        english = str(BROADENED_REASON) % {"broader": "45400000"}
    plastering = [p.reason for p in proposal.picks if "45410000" in p.reason]
    assert len(plastering) == 3
    assert all(english in r or "45400000" in r for r in plastering)


def test_policy_numbers_decide_how_many_and_how_many_local(draft, dordrecht):
    ProcurementPolicy.objects.create(municipality=dordrecht, firms_to_invite=3, min_local=1)
    painter("Kwast Dordt")
    for n in range(4):
        painter(f"Regio Kwast {n}", ZWIJNDRECHT, km_north=n)

    proposal = propose(draft)

    assert (proposal.size, proposal.min_local) == (3, 1)
    assert kinds(proposal) == [Kind.LOCAL, Kind.REGIONAL, Kind.REGIONAL]
