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

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from marketplace.models import CpvCode, Municipality, cpv_prefix
from suppliers.models import Firm
from suppliers.search import Hit, SearchQuery, Tier, search_firms
from suppliers.search.documents import cpv_with_ancestors
from tenders.models import Invitation, Procedure, ProcurementPolicy, Tender

NEWCOMER_MONTHS = 24
ROTATION_MONTHS = 12
CANDIDATES = 100  # one page of the search backend (suppliers.search.base.MAX_LIMIT)
NEXT_CANDIDATES = 10

KIND_OF_TIER = {
    Tier.LOCAL: Invitation.Kind.LOCAL,
    Tier.REGION: Invitation.Kind.REGIONAL,
    Tier.NEARBY: Invitation.Kind.NEARBY,
    Tier.ELSEWHERE: Invitation.Kind.ELSEWHERE,
}

LOCAL_REASON = _("Local · %(place)s")
REGION_REASON = _("Region %(region)s · %(place)s")
NEARBY_REASON = _("Nearby · %(place)s, %(distance)s km")
ELSEWHERE_REASON = _("Elsewhere · %(place)s")
NEWCOMER_REASON = _("Newcomer: not invited in the last 24 months")
ALSO_NEWCOMER = _("also the newcomer: not invited in the last 24 months")
BROADENED_REASON = _("too few firms for the exact CPV code, found with %(broader)s")


@dataclass(frozen=True)
class Candidate:
    """A firm the search found, with what the rules need to know about it."""

    hit: Hit
    rank: int
    cpv_code: str
    cpv_label: str
    newcomer: bool
    invitations_12m: int
    broadened: bool

    @property
    def firm_id(self) -> int:
        return self.hit.firm_id

    @property
    def tier(self) -> Tier:
        return self.hit.tier if self.hit.tier is not None else Tier.ELSEWHERE


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


def context_municipality(tender: Tender) -> Municipality:
    """Where "local" is measured from: the place of performance, else the buyer's municipality."""
    return tender.place_of_performance or tender.buyer.municipality


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
        candidates, proposal.broadened_to = _candidates(tender, size)
        limit = policy.rotation_limit
        rotated = {c.firm_id for c in candidates if limit and c.invitations_12m >= limit}
        division = (tender.main_cpv_id or "")[:2] or "—"
        chosen = _choose(candidates, size, rotated)
        slot = None
        if policy.newcomer_slot and size >= 2:
            chosen, slot = _newcomer_slot(
                chosen, candidates, rotated, size=size, min_local=min_local, seed=seed
            )
        # The list reads in tier order, then distance: the search's ranking.
        chosen.sort(key=lambda candidate: candidate.rank)
        picked = {c.firm_id for c in chosen}
        filling = _filling_for_local(chosen, min_local)
        # Without a newcomer pick, the first newcomer already on the list fills the slot.
        satisfier = None
        if slot is None and policy.newcomer_slot and size >= 2:
            satisfier = next((c.firm_id for c in chosen if c.newcomer), None)
        for number, candidate in enumerate(chosen, 1):
            kind, headline = KIND_OF_TIER[candidate.tier], ""
            if candidate.firm_id == slot:
                kind, headline = Invitation.Kind.NEWCOMER, gettext(NEWCOMER_REASON)
            elif candidate.firm_id in filling:
                headline = _local_shortfall(candidate, min_local)
            elif candidate.firm_id in rotated:
                headline = _rotation_note(candidate, division=division, taken=True)
            reason = _reason(
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
                reason=_rotation_note(c, division=division, taken=False),
            )
            for c in candidates
            if c.firm_id in rotated and c.firm_id not in picked
        ]
        rest = [c for c in candidates if c.firm_id not in picked]
        proposal.next_candidates = rest[:NEXT_CANDIDATES]
    return proposal


# Candidates --------------------------------------------------------------------------------------


def _tender_codes(tender: Tender) -> list[str]:
    codes = [tender.main_cpv_id] if tender.main_cpv_id else []
    codes += sorted(tender.additional_cpv.values_list("code", flat=True)) if tender.pk else []
    return list(dict.fromkeys(codes))


def _broader(code: str) -> list[str]:
    """The code's group (3 digits) and division (2 digits), the narrower first."""
    significant = cpv_prefix(code)
    return [significant[:n].ljust(8, "0") for n in (3, 2) if len(significant) > n]


def _candidates(tender: Tender, size: int) -> tuple[list[Candidate], str]:
    codes = _tender_codes(tender)
    near = context_municipality(tender)
    hits = _search(codes, near)
    broadened_to, narrow_ids = "", {h.firm_id for h in hits}
    if codes:
        for broader in _broader(codes[0]):
            if len(hits) >= size:
                break
            wider = _search([broader, *codes[1:]], near)
            if len(wider) > len(hits):
                hits, broadened_to = wider, broader
    published = set(
        Firm.objects.published()
        .filter(pk__in=[h.firm_id for h in hits])
        .values_list("pk", flat=True)
    )
    hits = [h for h in hits if h.firm_id in published]
    firm_codes = _firm_codes([h.firm_id for h in hits])
    recent, counts = _history(tender)
    scope = [broadened_to, *codes[1:]] if broadened_to else codes
    labels = dict(
        CpvCode.objects.filter(pk__in=_all_codes(firm_codes)).values_list("pk", "label_nl")
    )
    candidates = []
    for rank, hit in enumerate(hits):
        code = _matching_code(firm_codes.get(hit.firm_id, []), scope)
        candidates.append(
            Candidate(
                hit=hit,
                rank=rank,
                cpv_code=code,
                cpv_label=labels.get(code, ""),
                newcomer=hit.firm_id not in recent,
                invitations_12m=counts.get(hit.firm_id, 0),
                broadened=bool(broadened_to) and hit.firm_id not in narrow_ids,
            )
        )
    return candidates, broadened_to


def _search(codes: list[str], near: Municipality) -> list[Hit]:
    return search_firms(SearchQuery(cpv=tuple(codes), near=near, limit=CANDIDATES)).hits


def _firm_codes(firm_ids: list[int]) -> dict[int, list[str]]:
    rows = Firm.cpv_codes.through.objects.filter(firm_id__in=firm_ids).values_list(
        "firm_id", "cpvcode_id"
    )
    codes: dict[int, list[str]] = {}
    for firm_id, code in rows:
        codes.setdefault(firm_id, []).append(code)
    return {firm_id: sorted(values) for firm_id, values in codes.items()}


def _all_codes(firm_codes: dict[int, list[str]]) -> set[str]:
    return {code for codes in firm_codes.values() for code in codes}


def _matching_code(firm_codes: list[str], scope: list[str]) -> str:
    """The firm's first code within the searched subtrees (what it was found for)."""
    for wanted in scope:
        for code in firm_codes:
            if wanted in cpv_with_ancestors(code):
                return code
    return firm_codes[0] if firm_codes else ""


def _history(tender: Tender) -> tuple[set[int], Counter[int]]:
    """Firms this buyer invited in the last 24 months, and how often each was invited in the last
    12 months for tenders in the same CPV division."""
    now = timezone.now()
    sent = Invitation.objects.filter(tender__buyer_id=tender.buyer_id, sent_at__isnull=False)
    if tender.pk:
        sent = sent.exclude(tender_id=tender.pk)
    recent = set(
        sent.filter(sent_at__gte=now - timedelta(days=NEWCOMER_MONTHS * 365 // 12)).values_list(
            "firm_id", flat=True
        )
    )
    counts: Counter[int] = Counter()
    if tender.main_cpv_id:
        division = tender.main_cpv_id[:2]
        counts.update(
            sent.filter(
                sent_at__gte=now - timedelta(days=ROTATION_MONTHS * 365 // 12),
                tender__main_cpv__code__startswith=division,
            ).values_list("firm_id", flat=True)
        )
    return recent, counts


# The rules ---------------------------------------------------------------------------------------


def _may_step_back_for(rotated: Candidate, other: Candidate) -> bool:
    """Rotation lets a firm step back only for a firm of its own tier or of the next tier within
    the radius: never for an "Elders" firm while this firm, within the radius, would be left out."""
    if other.tier == rotated.tier:
        return True
    return other.tier == rotated.tier + 1 and other.tier != Tier.ELSEWHERE


def _choose(candidates: list[Candidate], size: int, rotated: set[int]) -> list[Candidate]:
    """The picks in ranking order (tier, then distance), rotated firms stepping back where the
    locality rule lets them.

    A rotated firm waits while the next candidates are ones it may step back for; the first
    candidate it may not step back for brings it back onto the list ("too few other firms")."""
    chosen: list[Candidate] = []
    waiting: list[Candidate] = []
    for candidate in candidates:
        for firm in [w for w in waiting if not _may_step_back_for(w, candidate)]:
            if len(chosen) < size:
                chosen.append(firm)
                waiting.remove(firm)
        if len(chosen) >= size:
            break
        if candidate.firm_id in rotated:
            waiting.append(candidate)
        else:
            chosen.append(candidate)
    for firm in waiting:
        if len(chosen) < size:
            chosen.append(firm)
    return chosen


def _newcomer_slot(
    chosen: list[Candidate],
    candidates: list[Candidate],
    rotated: set[int],
    *,
    size: int,
    min_local: int,
    seed: str,
) -> tuple[list[Candidate], int | None]:
    """One place for a firm this buyer has not invited in 24 months, unless a pick already is one.

    The newcomer comes from the nearest tier that has one (the seed chooses among its equals) and
    takes the place of the lowest-ranked pick that the "at least L local firms" rule does not need.
    """
    if not chosen or any(c.newcomer for c in chosen):
        return chosen, None
    taken = {c.firm_id for c in chosen}
    newcomers = [c for c in candidates if c.newcomer and c.firm_id not in taken | rotated]
    if not newcomers:
        return chosen, None
    best_tier = min(c.tier for c in newcomers)
    equals = [c for c in newcomers if c.tier == best_tier]
    random.Random(seed).shuffle(equals)
    newcomer = equals[0]
    if len(chosen) >= size:
        local = sum(c.tier == Tier.LOCAL for c in chosen)
        needed = min(min_local, local)
        for victim in sorted(chosen, key=lambda c: c.rank, reverse=True):
            after = local - (victim.tier == Tier.LOCAL) + (newcomer.tier == Tier.LOCAL)
            if after >= needed:
                chosen = [c for c in chosen if c is not victim]
                break
        else:
            return chosen, None
    return [*chosen, newcomer], newcomer.firm_id


def _filling_for_local(chosen: list[Candidate], min_local: int) -> set[int]:
    """The regional firms that take the places of missing local ones (the policy's "otherwise")."""
    shortfall = min_local - sum(c.tier == Tier.LOCAL for c in chosen)
    regional = [c.firm_id for c in chosen if c.tier == Tier.REGION]
    return set(regional[: max(shortfall, 0)])


def _local_shortfall(candidate: Candidate, min_local: int) -> str:
    note = ngettext(
        "Region %(region)s: fewer than %(count)s local firm",
        "Region %(region)s: fewer than %(count)s local firms",
        min_local,
    )
    return note % {"region": candidate.hit.region_name, "count": min_local}


def _rotation_note(candidate: Candidate, *, division: str, taken: bool) -> str:
    params = {"count": candidate.invitations_12m, "division": division}
    if taken:
        text = ngettext(
            "Rotation: already invited %(count)s time in 12 months for this kind of work "
            "(CPV %(division)s), but no other firm this close is left",
            "Rotation: already invited %(count)s times in 12 months for this kind of work "
            "(CPV %(division)s), but no other firm this close is left",
            candidate.invitations_12m,
        )
    else:
        text = ngettext(
            "Passed over this time (rotation): already invited %(count)s time in 12 months "
            "for this kind of work (CPV %(division)s)",
            "Passed over this time (rotation): already invited %(count)s times in 12 months "
            "for this kind of work (CPV %(division)s)",
            candidate.invitations_12m,
        )
    return text % params


def _where(candidate: Candidate) -> str:
    hit = candidate.hit
    place = hit.municipality_name
    if candidate.tier == Tier.LOCAL:
        return gettext(LOCAL_REASON) % {"place": place}
    if candidate.tier == Tier.REGION:
        return gettext(REGION_REASON) % {"region": hit.region_name, "place": place}
    if candidate.tier == Tier.NEARBY:
        distance = f"{hit.distance_km:.0f}" if hit.distance_km is not None else "?"
        return gettext(NEARBY_REASON) % {"place": place, "distance": distance}
    return gettext(ELSEWHERE_REASON) % {"place": place}


def _reason(
    candidate: Candidate,
    headline: str,
    *,
    stands_in_for_local: bool,
    fills_newcomer_slot: bool,
    broadened_to: str,
) -> str:
    """ "Lokaal · Dordrecht — Schilderwerk (45442100)", the rule that chose it first."""
    if stands_in_for_local:
        # "Regio Drechtsteden: minder dan 2 lokale bedrijven · Zwijndrecht": the region is said.
        text = f"{headline} · {candidate.hit.municipality_name}"
    elif headline:
        text = f"{headline} · {_where(candidate)}"
    else:
        text = _where(candidate)
    if candidate.cpv_code:
        label = f"{candidate.cpv_label} " if candidate.cpv_label else ""
        text += f" — {label}({candidate.cpv_code})"
    if fills_newcomer_slot:
        text += f" · {gettext(ALSO_NEWCOMER)}"
    if candidate.broadened:
        text += " · " + gettext(BROADENED_REASON) % {"broader": broadened_to}
    return text
