"""The supplier index's small interface: the query, the result, and what every backend shares.

The ranking is DESIGN §4.1: tier ascending → text relevance descending (a match in the name outranks
a match only elsewhere) → distance ascending → name → KvK number. Without a context municipality:
relevance, then name.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import IntEnum

from django.utils.translation import gettext_lazy as _

from marketplace.geo import EARTH_RADIUS_KM
from marketplace.models import Municipality

DEFAULT_RADIUS_KM = 25.0
MAX_LIMIT = 100
WORD_RE = re.compile(r"[a-z0-9]+")


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


def fold(text: str) -> str:
    """Lower case, accents removed: 'Café Één' → 'cafe een'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The searchable words of a text, as every backend indexes and queries them."""
    return WORD_RE.findall(fold(text))


def unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    """A point on the unit sphere: squared chord lengths order places exactly like great-circle
    distances, with arithmetic any SQL engine can do."""
    lat, lon = math.radians(latitude), math.radians(longitude)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def chord_squared_for_km(km: float) -> float:
    return (2 * math.sin(km / (2 * EARTH_RADIUS_KM))) ** 2


def km_for_chord_squared(chord_squared: float) -> float:
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(max(chord_squared, 0.0)) / 2))


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
    facets: bool = False  # also count CPV divisions and sizes over all matches

    @property
    def words(self) -> list[str]:
        return words(self.text)


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

    @property
    def tier_label(self) -> str:
        return str(TIER_LABELS[self.tier]) if self.tier is not None else ""


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]
    backend: str
    tier_counts: dict[Tier, int] = field(default_factory=dict)
    # With query.facets: {"division": {"45000000": 12, ...}, "size": {"micro": 30, ...}}
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    fallback: bool = False


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
        radius = max(0.0, min(query.radius_km, 500.0))
        if (limit, offset, radius) == (query.limit, query.offset, query.radius_km):
            return query
        return SearchQuery(
            **{**query.__dict__, "limit": limit, "offset": offset, "radius_km": radius}
        )


def chunked(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for firm_id in ids:
        chunk.append(firm_id)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
