"""The supplier index's small interface: the result, its tiers, and what every backend shares.

The ranking is DESIGN §4.1: tier ascending → text relevance descending (a match in the name outranks
a match only elsewhere) → distance ascending → name → KvK number. Without a context municipality:
relevance, then name. What is asked is ``query.py``; how text is read, ``text.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from suppliers.search.query import SearchQuery

MAX_LIMIT = 100
MAX_RADIUS_KM = 500


class Tier(IntEnum):
    LOCAL = 0
    REGION = 1
    NEARBY = 2
    ELSEWHERE = 3


TIER_LABELS = {
    Tier.LOCAL: _("Local"),
    Tier.REGION: _("Region"),
    Tier.NEARBY: _("Nearby"),
    Tier.ELSEWHERE: _("Elsewhere"),
}


@dataclass
class Hit:
    """One firm in a result, with why it stands where it stands."""

    firm_id: int
    kvk_number: str
    name: str
    municipality_code: str
    municipality_name: str
    region_name: str
    tier: Tier | None
    distance_km: float | None
    name_match: bool = False
    # With query.activities: the firm's own CPV codes the query matched, by code (activities.py).
    matched_cpv: tuple[str, ...] = ()

    @property
    def tier_label(self) -> str:
        return str(TIER_LABELS[self.tier]) if self.tier is not None else ""


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]
    backend: str
    tier_counts: dict[Tier, int] = field(default_factory=dict)  # with query.facets (and M)
    # With query.facets: {"division": {"45000000": 12, ...}, "size": {"micro": 30, ...}}
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    fallback: bool = False


Progress = Callable[[int], None]


class SearchUnavailable(Exception):
    """The engine cannot answer right now (down, unreachable, overloaded): fall back."""


class SearchBackend:
    """The interface every supplier index backend implements."""

    name = "base"

    def search(self, query: SearchQuery) -> SearchResult:
        """Firms matching the query, ranked (DESIGN §4.1), one page of them.

        Raises SearchUnavailable when the engine cannot answer now (never for a bad query)."""
        raise NotImplementedError

    def index(self, firm_ids: Iterable[int]) -> None:
        """Bring these firms' entries up to date (removing those that are gone)."""
        raise NotImplementedError

    def rebuild(self, progress: Progress | None = None) -> int:
        """Index every firm from scratch; returns how many were indexed."""
        raise NotImplementedError

    def check_query(self, query: SearchQuery) -> SearchQuery:
        """The shared guards: a sane page window and radius."""
        limit = max(1, min(query.limit, MAX_LIMIT))
        offset = max(0, query.offset)
        radius = max(0.0, min(query.radius_km, float(MAX_RADIUS_KM)))
        if (limit, offset, radius) == (query.limit, query.offset, query.radius_km):
            return query
        return replace(query, limit=limit, offset=offset, radius_km=radius)


def chunked(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for firm_id in ids:
        chunk.append(firm_id)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
