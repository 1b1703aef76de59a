"""The invitation assistant (DESIGN §4.6): which firms to invite to an invite-only tender, and why.

Pure reading: ``propose`` ranks candidates with the supplier search backend (DESIGN §4.1: tier,
then distance, then name) and applies the municipality's ``ProcurementPolicy``:

1. the places are filled in ranking order, so local firms come first and regional ones take the
   places of missing local firms (the policy's "at least L local, otherwise regional");
2. rotation: a firm invited at least ``rotation_limit`` times in 12 months for the same CPV
   division steps back, but only for a firm of its own tier or of the next tier within the
   radius; never for an "Elders" firm while it, within the radius, would be left out;
3. one newcomer slot: a firm this buying organisation has not invited in 24 months, from the
   nearest tier that has one (the seed chooses among its equals), takes the place of the
   lowest-ranked pick the local rule does not need, unless a pick already is a newcomer;
4. the list reads in tier order, then distance; every reason is plain Dutch.

Same data and seed → same proposal (the Aanbestedingswet asks for an explainable choice).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from suppliers.search import Tier
from tenders.assistant.candidates import (
    NEWCOMER_MONTHS,
    ROTATION_MONTHS,
    Candidate,
    candidates_for,
    context_municipality,
)
from tenders.assistant.reasons import (
    ALSO_NEWCOMER,
    BROADENED_REASON,
    ELSEWHERE_REASON,
    LOCAL_REASON,
    NEARBY_REASON,
    NEWCOMER_REASON,
    REGION_REASON,
    local_shortfall,
    reason_text,
    rotation_note,
)
from tenders.assistant.rules import choose, filling_for_local, newcomer_slot
from tenders.models import Invitation, Procedure, ProcurementPolicy, Tender

__all__ = [
    "ALSO_NEWCOMER",
    "BROADENED_REASON",
    "ELSEWHERE_REASON",
    "LOCAL_REASON",
    "NEARBY_REASON",
    "NEWCOMER_MONTHS",
    "NEWCOMER_REASON",
    "REGION_REASON",
    "ROTATION_MONTHS",
    "Candidate",
    "PassedOver",
    "Pick",
    "Proposal",
    "context_municipality",
    "policy_numbers",
    "propose",
]

NEXT_CANDIDATES = 10

KIND_OF_TIER = {
    Tier.LOCAL: Invitation.Kind.LOCAL,
    Tier.REGION: Invitation.Kind.REGIONAL,
    Tier.NEARBY: Invitation.Kind.NEARBY,
    Tier.ELSEWHERE: Invitation.Kind.ELSEWHERE,
}


@dataclass(frozen=True)
class Pick:
    """A firm the assistant proposes to invite, at ``position`` (1-based)."""

    candidate: Candidate
    position: int
    kind: str
    reason: str

    @property
    def firm_id(self) -> int:
        return self.candidate.firm_id


@dataclass(frozen=True)
class PassedOver:
    """A firm that stepped back for rotation."""

    candidate: Candidate
    count: int
    reason: str

    @property
    def firm_id(self) -> int:
        return self.candidate.firm_id


@dataclass
class Proposal:
    seed: str
    size: int
    min_local: int
    picks: list[Pick] = field(default_factory=list)
    passed_over: list[PassedOver] = field(default_factory=list)
    next_candidates: list[Candidate] = field(default_factory=list)
    broadened_to: str = ""


def policy_numbers(tender: Tender) -> tuple[ProcurementPolicy, int, int]:
    """The policy, N (how many to invite) and L (at least this many local firms)."""
    policy = ProcurementPolicy.for_municipality(tender.buyer.municipality)
    size = 1 if tender.procedure == Procedure.SINGLE else policy.firms_to_invite
    return policy, size, min(policy.min_local, size)


def propose(tender: Tender, *, seed: str | None = None) -> Proposal:
    """The shortlist for an invite-only tender, each pick with its kind and reason."""
    seed = seed or tender.reference
    policy, size, min_local = policy_numbers(tender)
    proposal = Proposal(seed=seed, size=size, min_local=min_local)
    with translation.override(settings.LANGUAGE_CODE):
        candidates, proposal.broadened_to = candidates_for(tender, size)
        limit = policy.rotation_limit
        rotated = {c.firm_id for c in candidates if limit and c.invitations_12m >= limit}
        division = (tender.main_cpv_id or "")[:2] or "—"
        chosen = choose(candidates, size, rotated)
        slot = None
        if policy.newcomer_slot and size >= 2:
            chosen, slot = newcomer_slot(
                chosen, candidates, rotated, size=size, min_local=min_local, seed=seed
            )
        # The list reads in tier order, then distance: the search's ranking.
        chosen.sort(key=lambda candidate: candidate.rank)
        picked = {c.firm_id for c in chosen}
        filling = filling_for_local(chosen, min_local)
        # Without a newcomer pick, the first newcomer already on the list fills the slot.
        satisfier = None
        if slot is None and policy.newcomer_slot and size >= 2:
            satisfier = next((c.firm_id for c in chosen if c.newcomer), None)
        for number, candidate in enumerate(chosen, 1):
            kind, headline = KIND_OF_TIER[candidate.tier], ""
            if candidate.firm_id == slot:
                kind, headline = Invitation.Kind.NEWCOMER, gettext(NEWCOMER_REASON)
            elif candidate.firm_id in filling:
                headline = local_shortfall(candidate, min_local)
            elif candidate.firm_id in rotated:
                headline = rotation_note(candidate, division=division, taken=True)
            reason = reason_text(
                candidate,
                headline,
                stands_in_for_local=candidate.firm_id in filling and candidate.firm_id != slot,
                fills_newcomer_slot=candidate.firm_id == satisfier,
                broadened_to=proposal.broadened_to,
            )
            proposal.picks.append(
                Pick(candidate=candidate, position=number, kind=str(kind), reason=reason)
            )
        proposal.passed_over = [
            PassedOver(
                candidate=c,
                count=c.invitations_12m,
                reason=rotation_note(c, division=division, taken=False),
            )
            for c in candidates
            if c.firm_id in rotated and c.firm_id not in picked
        ]
        rest = [c for c in candidates if c.firm_id not in picked]
        proposal.next_candidates = rest[:NEXT_CANDIDATES]
    return proposal
