"""The shortlist of an invite-only tender as its pages read it (DESIGN §4.6): where each firm is
as seen from the tender, the proposal's next candidates, and the justification."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from marketplace.geo import distance_km
from marketplace.models import Municipality
from suppliers.models import Firm
from suppliers.search.base import TIER_LABELS
from suppliers.search.query import DEFAULT_RADIUS_KM, Context
from tenders.assistant import Candidate, propose
from tenders.models import InvitationChange, Tender


def firm_locality(firm: Firm, near: Municipality) -> dict[str, Any]:
    """The firm's tier, its label and its distance in whole km as seen from ``near``."""
    context = Context(near.code, near.region_id, near.latitude, near.longitude, DEFAULT_RADIUS_KM)
    distance = distance_km(firm.latitude, firm.longitude, near.latitude, near.longitude)
    tier = context.tier_of(firm.municipality_id, firm.municipality.region_id, distance)
    return {"tier": tier, "tier_label": TIER_LABELS[tier], "distance": round(distance)}


def last_proposal_seed(tender: Tender) -> str | None:
    """The seed of the assistant's latest proposal for the tender, if it made one."""
    change = (
        tender.invitation_changes.filter(action=InvitationChange.Action.PROPOSED)
        .order_by("-at", "-pk")
        .first()
    )
    return change.seed if change else None


def next_candidates(tender: Tender) -> list[Candidate]:
    """The latest proposal's next candidates that are not on the list yet (drafts only)."""
    if not tender.is_draft or tender.main_cpv_id is None:
        return []
    invited = set(tender.invitations.values_list("firm_id", flat=True))
    proposal = propose(tender, seed=last_proposal_seed(tender))
    return [c for c in proposal.next_candidates if c.firm_id not in invited]


def shortlist_changes(tender: Tender) -> QuerySet[InvitationChange]:
    """Every change to the shortlist, oldest first: the procedure's justification."""
    return tender.invitation_changes.select_related(
        "firm__organisation", "replaced_firm__organisation", "by"
    ).order_by("at", "pk")
