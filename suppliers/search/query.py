"""What someone looks for (``SearchQuery``) and the context municipality it is ranked around."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.models import Municipality, cpv_prefix
from suppliers.search.base import Tier
from suppliers.search.text import words

DEFAULT_RADIUS_KM = 25.0


def cpv_subtree(code: str) -> str:
    """The 8-digit code whose subtree a CPV filter means: '45442100-8' → '45442100',
    '4544' → '45440000' (hierarchy by trailing zeros, DESIGN §4.1)."""
    return cpv_prefix(code.split("-")[0]).ljust(8, "0")


@dataclass(frozen=True)
class SearchQuery:
    """What someone looks for. ``cpv`` codes match their whole subtree."""

    text: str = ""
    cpv: tuple[str, ...] = ()
    near: Municipality | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    sizes: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    open_to_partnerships: bool = False
    limit: int = 20
    offset: int = 0
    facets: bool = False  # also count every tier, CPV divisions and sizes over all matches
    activities: bool = False  # also say which of each hit's own CPV codes matched (a page shows it)

    @property
    def words(self) -> list[str]:
        return words(self.text)

    @property
    def cpv_subtrees(self) -> list[str]:
        """The CPV filter as sorted 8-digit codes, each standing for its subtree."""
        return sorted({cpv_subtree(code) for code in self.cpv})


@dataclass(frozen=True)
class Context:
    """The context municipality as the backends need it."""

    code: str
    region_code: str
    latitude: float
    longitude: float
    radius_km: float

    @classmethod
    def for_query(cls, query: SearchQuery) -> Context | None:
        if query.near is None:
            return None
        near = query.near
        return cls(near.code, near.region_id, near.latitude, near.longitude, query.radius_km)

    def tier_of(self, municipality_code: str, region_code: str, distance_km: float) -> Tier:
        if municipality_code == self.code:
            return Tier.LOCAL
        if region_code == self.region_code:
            return Tier.REGION
        if distance_km <= self.radius_km:
            return Tier.NEARBY
        return Tier.ELSEWHERE
