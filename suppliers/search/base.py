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

from marketplace.geo import chord_squared_for_km, unit_vector
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


# Filter words: what a firm is, as index words the database backend counts and filters with --------
# (DESIGN §4.1 tiers and the search filters). Each is one token of [a-z0-9] with a one-letter kind.

GRID_LAT_DEGREES = 0.1  # about 11 km
GRID_LON_DEGREES = 0.15  # about 10 km in the Netherlands
GRID_MAX_CELLS = 150  # beyond this radius, count the nearby tier without the grid


def tag(kind: str, value: object) -> str:
    """One filter word: ``tag("m", "GM0505")`` → ``mgm0505``."""
    return kind + "".join(WORD_RE.findall(fold(str(value))))


def grid_cell(latitude: float, longitude: float) -> str:
    """The grid cell of a place, as a filter word (``g523x31``; ``n`` for a minus sign)."""
    row = math.floor(latitude / GRID_LAT_DEGREES)
    column = math.floor(longitude / GRID_LON_DEGREES)
    return f"g{row}x{column}".replace("-", "n")


def grid_cells_within(latitude: float, longitude: float, radius_km: float) -> list[str] | None:
    """Every grid cell with a point within ``radius_km`` of the place (a superset: the cells of
    its bounding box), or None when there would be more than ``GRID_MAX_CELLS``."""
    lat_span = radius_km / 111.19 + 1e-9
    widest = min(89.0, abs(latitude) + lat_span)
    lon_span = radius_km / (111.19 * math.cos(math.radians(widest))) + 1e-9
    rows = range(
        math.floor((latitude - lat_span) / GRID_LAT_DEGREES),
        math.floor((latitude + lat_span) / GRID_LAT_DEGREES) + 1,
    )
    columns = range(
        math.floor((longitude - lon_span) / GRID_LON_DEGREES),
        math.floor((longitude + lon_span) / GRID_LON_DEGREES) + 1,
    )
    if len(rows) * len(columns) > GRID_MAX_CELLS:
        return None
    return [f"g{r}x{c}".replace("-", "n") for r in rows for c in columns]


class Neighbourhoods:
    """Which municipalities lie within ``DEFAULT_RADIUS_KM`` of a place (their locations, as the
    tier "Dichtbij" measures it). A firm's index entry carries them as filter words
    (``d<code>``), so the nearby tier at the default radius is counted by the full-text index.
    Municipalities are bucketed by grid cell: each place is compared with a few dozen of them."""

    def __init__(self, municipalities: Iterable[tuple[str, float, float]]) -> None:
        self.radius = chord_squared_for_km(DEFAULT_RADIUS_KM)
        self.cells: dict[str, list[tuple[str, tuple[float, float, float]]]] = {}
        for code, latitude, longitude in municipalities:
            cell = grid_cell(latitude, longitude)
            self.cells.setdefault(cell, []).append((code, unit_vector(latitude, longitude)))

    def near(self, latitude: float, longitude: float) -> list[str]:
        """The codes of the municipalities within the default radius, sorted."""
        x, y, z = unit_vector(latitude, longitude)
        found = []
        for cell in grid_cells_within(latitude, longitude, DEFAULT_RADIUS_KM) or ():
            for code, (cx, cy, cz) in self.cells.get(cell, ()):
                # The same arithmetic, in the same order, as the SQL of the database backend.
                if (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= self.radius:
                    found.append(code)
        return sorted(found)


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
    tier_counts: dict[Tier, int] = field(default_factory=dict)  # with query.facets (and M)
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
