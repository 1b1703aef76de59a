"""The assistant's rules over the ranked candidates: rotation within the locality rule, one
newcomer, the regional firms that stand in for missing local ones."""

from __future__ import annotations

import random

from suppliers.search import Tier
from tenders.assistant.candidates import Candidate


def may_step_back_for(rotated: Candidate, other: Candidate) -> bool:
    """Rotation lets a firm step back only for a firm of its own tier or of the next tier within
    the radius: never for an "Elders" firm while this firm, within the radius, would be left out."""
    if other.tier == rotated.tier:
        return True
    return other.tier == rotated.tier + 1 and other.tier != Tier.ELSEWHERE


def choose(candidates: list[Candidate], size: int, rotated: set[int]) -> list[Candidate]:
    """The picks in ranking order (tier, then distance), rotated firms stepping back where the
    locality rule lets them.

    A rotated firm waits while the next candidates are ones it may step back for; the first
    candidate it may not step back for brings it back onto the list ("too few other firms")."""
    chosen: list[Candidate] = []
    waiting: list[Candidate] = []
    for candidate in candidates:
        for firm in [w for w in waiting if not may_step_back_for(w, candidate)]:
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


def newcomer_slot(
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


def filling_for_local(chosen: list[Candidate], min_local: int) -> set[int]:
    """The regional firms that take the places of missing local ones (the policy's "otherwise")."""
    shortfall = min_local - sum(c.tier == Tier.LOCAL for c in chosen)
    regional = [c.firm_id for c in chosen if c.tier == Tier.REGION]
    return set(regional[: max(shortfall, 0)])
