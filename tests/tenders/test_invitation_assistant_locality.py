"""The assistant keeps locality (DESIGN §4.6): rotation lets a firm step back only for firms of its
own tier or the next one within the radius, the newcomer comes from the nearest tier that has one,
the list reads in tier order, then distance, and every reason is plain Dutch."""

from __future__ import annotations

import re

import pytest

from suppliers.search import Tier
from tenders.assistant import propose
from tenders.models import Invitation
from tests.tenders.factories_invite import (
    ROTTERDAM,
    ZWIJNDRECHT,
    invite_only_draft,
    invited_before,
    painter,
)

pytestmark = pytest.mark.django_db

BRUMMEN = "GM0213"  # 103 km from Dordrecht: "Elders"
Kind = Invitation.Kind


@pytest.fixture
def draft(buyer_org):
    return invite_only_draft(buyer_org)  # the default policy: invite 4, at least 2 local


def names(proposal) -> list[str]:
    return [pick.candidate.hit.name for pick in proposal.picks]


def rotate(buyer_org, firm, times: int = 3) -> None:
    invited_before(buyer_org, firm, days_ago=40, times=times)


def regular(buyer_org, firm) -> None:
    """Invited last year for other work: no newcomer, no rotation."""
    invited_before(buyer_org, firm, days_ago=200, cpv="79400000")


def test_the_demo_painting_tender_never_proposes_brummen_while_drechtsteden_painters_wait(
    draft, buyer_org
):
    """The newcomer's report: both Dordrecht painters passed over for rotation, a firm 103 km
    away proposed instead, the non-local firms listed first."""
    van_dijk, de_groot = painter("Van Dijk", km_north=4), painter("De Groot", km_north=6)
    rotate(buyer_org, van_dijk, times=4)
    rotate(buyer_org, de_groot, times=3)
    for firm in (painter("De Wit", ZWIJNDRECHT), painter("Van den Berg", ZWIJNDRECHT, km_north=2)):
        regular(buyer_org, firm)
    painter("Van Wijk", ROTTERDAM)
    painter("Van der Linden", BRUMMEN)

    proposal = propose(draft)

    assert "Van der Linden" not in names(proposal)
    assert names(proposal)[:2] == ["Van Dijk", "De Groot"]  # back: nobody of their tier is left
    assert "rotatie" in proposal.picks[0].reason.lower() or "rotation" in proposal.picks[0].reason
    tiers = [pick.candidate.tier for pick in proposal.picks]
    assert tiers == sorted(tiers)
    assert proposal.picks[-1].candidate.hit.name == "Van Wijk"  # the nearest newcomer
    assert proposal.picks[-1].kind == Kind.NEWCOMER


def test_a_rotated_local_firm_steps_back_for_a_regional_one(draft, buyer_org):
    favourite = painter("Altijd Dezelfde")
    rotate(buyer_org, favourite)
    painter("Kwast Dordt", km_north=1)
    for n in range(3):
        regular(buyer_org, painter(f"Regio Kwast {n}", ZWIJNDRECHT, km_north=n))

    proposal = propose(draft)

    assert "Altijd Dezelfde" not in names(proposal)
    assert [p.firm_id for p in proposal.passed_over] == [favourite.pk]


def test_a_rotated_local_firm_does_not_step_back_for_a_firm_two_tiers_further(draft, buyer_org):
    locals_ = [painter(f"Kwast Dordt {n}", km_north=n) for n in range(3)]
    for firm in locals_:
        rotate(buyer_org, firm)
    regular(buyer_org, painter("Regio Kwast", ZWIJNDRECHT))
    regular(buyer_org, painter("Rotterdamse Verf", ROTTERDAM))

    proposal = propose(draft, seed="x")

    assert names(proposal) == ["Kwast Dordt 0", "Kwast Dordt 1", "Kwast Dordt 2", "Regio Kwast"]
    assert proposal.passed_over == []


@pytest.mark.parametrize("home", [ZWIJNDRECHT, ROTTERDAM], ids=["regional", "nearby"])
def test_a_rotated_firm_within_the_radius_never_steps_back_for_one_elsewhere(
    draft, buyer_org, home
):
    painter("Kwast Dordt")
    rotated = painter("Vaak Gevraagd", home)
    rotate(buyer_org, rotated)
    for n in range(3):
        painter(f"Verre Kwast {n}", BRUMMEN, km_north=n)

    proposal = propose(draft)

    assert "Vaak Gevraagd" in names(proposal)
    elsewhere = [p for p in proposal.picks if p.candidate.tier == Tier.ELSEWHERE]
    assert len(elsewhere) == 2  # the places nobody within the radius could take
    first_far = names(proposal).index(elsewhere[0].candidate.hit.name)
    assert names(proposal).index("Vaak Gevraagd") < first_far


def test_a_rotated_firm_elsewhere_may_step_back_for_another_elsewhere(draft, buyer_org):
    painter("Kwast Dordt")
    far = painter("Verre Vaste Kwast", BRUMMEN)
    rotate(buyer_org, far)
    for n in range(3):
        painter(f"Verre Kwast {n}", BRUMMEN, km_north=n + 1)

    proposal = propose(draft)

    assert "Verre Vaste Kwast" not in names(proposal)
    assert len(proposal.picks) == 4


def test_the_newcomer_comes_from_the_nearest_tier_that_has_one(draft, buyer_org):
    for n in range(4):
        regular(buyer_org, painter(f"Vaste Kwast {n}", km_north=n))
    painter("Nieuw Ver Weg", BRUMMEN)
    painter("Nieuw Dichtbij", ROTTERDAM)

    proposal = propose(draft)

    newcomer = proposal.picks[-1]
    assert newcomer.kind == Kind.NEWCOMER
    assert newcomer.candidate.hit.name == "Nieuw Dichtbij"


def test_the_newcomer_never_takes_a_local_place_the_policy_needs(draft, buyer_org):
    for name, km in (("Dordt A", 0), ("Dordt B", 1)):
        regular(buyer_org, painter(name, km_north=km))
    for n in range(2):
        regular(buyer_org, painter(f"Regio {n}", ZWIJNDRECHT, km_north=n))
    painter("Nieuwe Rotterdammer", ROTTERDAM)

    proposal = propose(draft)

    assert names(proposal) == ["Dordt A", "Dordt B", "Regio 0", "Nieuwe Rotterdammer"]


def test_the_list_reads_in_tier_order_then_distance(draft, buyer_org):
    painter("Rotterdamse Verf", ROTTERDAM)
    painter("Regio Ver", ZWIJNDRECHT, km_north=5)
    painter("Regio Dichtbij", ZWIJNDRECHT)
    near = painter("Kwast Dordt Ver", km_north=3)
    rotate(buyer_org, near, times=1)  # below the rotation limit: no rotation, no newcomer
    painter("Kwast Dordt", km_north=0)

    proposal = propose(draft)

    ranked = [(p.candidate.tier, p.candidate.hit.distance_km) for p in proposal.picks]
    assert ranked == sorted(ranked)
    assert [p.position for p in proposal.picks] == [1, 2, 3, 4]


def test_reasons_are_plain_dutch_without_internal_tokens(draft, buyer_org):
    rotated = painter("Vaak Gevraagd")
    rotate(buyer_org, rotated)
    painter("Kwast Dordt", km_north=1)
    painter("Regio Kwast", ZWIJNDRECHT)
    painter("Nieuwe Rotterdammer", ROTTERDAM)

    proposal = propose(draft)
    texts = [p.reason for p in proposal.picks] + [p.reason for p in proposal.passed_over]

    assert texts
    for text in texts:
        assert "seed" not in text.lower()
        assert draft.reference not in text
        assert not re.search(r"[a-z]+_[a-z]+", text)  # no field names
        assert "%(" not in text
