"""The grid of the database index: places as cell words, and the municipalities near a place.

A firm's index entry carries its cell (``g523x31``) and the municipalities within the default
radius (``d<code>``) as filter words, so the tier "Dichtbij" is counted by the full-text index: at
the default radius by those words, at another radius by the cells around the context (then the
exact distance on those few rows).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from marketplace.geo import chord_squared_for_km, unit_vector
from suppliers.search.query import DEFAULT_RADIUS_KM

GRID_LAT_DEGREES = 0.1  # about 11 km
GRID_LON_DEGREES = 0.15  # about 10 km in the Netherlands
GRID_MAX_CELLS = 150  # beyond this radius, count the nearby tier without the grid


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
