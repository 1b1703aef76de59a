"""The assistant's candidates: firms the supplier index finds for the tender's CPV codes near its
place, broadened to the code's group when too few, with their invitation history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from marketplace.models import CpvCode, Municipality, cpv_prefix
from suppliers.models import Firm
from suppliers.search import Hit, SearchQuery, Tier, search_firms
from suppliers.search.documents import cpv_with_ancestors
from tenders.models import Invitation, Tender

NEWCOMER_MONTHS = 24
ROTATION_MONTHS = 12
CANDIDATES = 100  # one page of the search backend (suppliers.search.base.MAX_LIMIT)


def context_municipality(tender: Tender) -> Municipality:
    """Where "local" is measured from: the place of performance, else the buyer's municipality."""
    return tender.place_of_performance or tender.buyer.municipality


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


def _tender_codes(tender: Tender) -> list[str]:
    codes = [tender.main_cpv_id] if tender.main_cpv_id else []
    codes += sorted(tender.additional_cpv.values_list("code", flat=True)) if tender.pk else []
    return list(dict.fromkeys(codes))


def _broader(code: str) -> list[str]:
    """The code's group (3 digits) and division (2 digits), the narrower first."""
    significant = cpv_prefix(code)
    return [significant[:n].ljust(8, "0") for n in (3, 2) if len(significant) > n]


def candidates_for(tender: Tender, size: int) -> tuple[list[Candidate], str]:
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
