"""A search for one CPV code, answered from the CPV entries alone.

Buyers most often look for "who does this work near us": one CPV code, no text. Each
``FirmCpvEntry`` row (a published firm's code or one of its ancestors) carries the firm's
municipality, region, grid cell, position, name and KvK number, and is indexed by
(code, municipality), (code, region) and (code, grid cell). So the local and regional tiers are
counted and ranked from their own index ranges, the nearby tier from the grid cells around the
context (then the exact distance on those rows), and only the total is a count over the whole
code: no full-text match, no join, and nothing that grows with the firms of other tiers.

The semantics are the full-text path's (``engine.py``), which the contract tests hold to.
"""

from __future__ import annotations

from marketplace.geo import chord_squared_for_km
from suppliers.models import FirmCpvEntry
from suppliers.search.base import Tier
from suppliers.search.grid import grid_cell, grid_cells_within
from suppliers.search.query import Context

TABLE = "suppliers_firmcpventry"


def entries(doc, position: tuple[float, float, float]) -> list[FirmCpvEntry]:
    """The CPV entries of a published firm's document."""
    x, y, z = position
    own = set(doc.cpv_codes)
    cell = grid_cell(doc.latitude, doc.longitude)
    return [
        FirmCpvEntry(
            firm_id=doc.firm_id,
            code=code,
            own=code in own,
            municipality_code=doc.municipality_code,
            region_code=doc.region_code,
            cell=cell,
            x=x,
            y=y,
            z=z,
            name=doc.name,
            kvk_number=doc.kvk_number,
        )
        for code in doc.cpv_with_ancestors
    ]


def single_code(match) -> str | None:
    """The CPV code when the match is exactly one CPV code (no text, no other filter)."""
    if match.words or match.excluded or len(match.groups) != 1 or len(match.groups[0]) != 1:
        return None
    word = match.groups[0][0]
    return word[1:] if word.startswith("c") and word[1:].isdigit() else None


class CpvTiers:
    """Counts and one page of the firms with ``code``, ranked by §4.1 (no text: tier, distance,
    name, KvK number). ``tier_sql`` and ``chord2_sql`` are the backend's SQL on the alias ``p``."""

    def __init__(self, cursor, code: str, context: Context | None, tier_sql: str, chord2_sql: str):
        self.cursor = cursor
        self.code = code
        self.context = context
        self.tier_sql = tier_sql
        self.chord2_sql = chord2_sql

    def _count(self, condition: str = "", params: tuple = ()) -> int:
        condition = f" AND {condition}" if condition else ""
        self.cursor.execute(
            f"SELECT COUNT(*) FROM {TABLE} p WHERE p.code = %s{condition}", [self.code, *params]
        )
        return self.cursor.fetchone()[0]

    def _nearby(self) -> tuple[str, list[str]]:
        """SQL (and parameters) of "outside the municipality and region, within the radius",
        through the grid cells when there are not too many of them."""
        context = self.context
        within = f"{self.chord2_sql} <= {chord_squared_for_km(context.radius_km)!r}"
        outside = "p.municipality_code <> %s AND p.region_code <> %s"
        cells = grid_cells_within(context.latitude, context.longitude, context.radius_km)
        if cells is None:
            return f"{outside} AND {within}", [context.code, context.region_code]
        in_cells = f"p.cell IN ({', '.join(['%s'] * len(cells))})"
        return f"{in_cells} AND {outside} AND {within}", [
            *cells,
            context.code,
            context.region_code,
        ]

    def total(self) -> int:
        return self._count()

    def count(self, tier: Tier) -> int:
        """How many firms with the code are in one of the tiers local, region and nearby."""
        context = self.context
        if tier == Tier.LOCAL:
            return self._count("p.municipality_code = %s", (context.code,))
        if tier == Tier.REGION:
            return self._count(
                "p.region_code = %s AND p.municipality_code <> %s",
                (context.region_code, context.code),
            )
        nearby, params = self._nearby()
        return self._count(nearby, tuple(params))

    def page(self, needed: list[int], limit: int, offset: int) -> list[tuple]:
        """Rows shaped like the full-text path's page: firm, KvK number, name, municipality
        code and name, region name, tier, squared chord, name match (always 0: no text)."""
        context = self.context
        where, params = ["p.code = %s"], [self.code]
        if context is None:
            order = "p.name, p.kvk_number"
            tier, chord2 = "NULL", "0"
        else:
            order = "tier, chord2, p.name, p.kvk_number"
            tier, chord2 = self.tier_sql, self.chord2_sql
            places = self._places(max(needed)) if needed else None
            if places is not None:
                where.append(places[0])
                params += places[1]
            if needed and len(needed) < len(Tier):
                where.append(f"{tier} IN ({', '.join(str(t) for t in needed)})")
        self.cursor.execute(
            f"SELECT p.firm_id, p.kvk_number, p.name, p.municipality_code,"
            f" {tier} AS tier, {chord2} AS chord2 FROM {TABLE} p"
            f" WHERE {' AND '.join(where)} ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        rows = self.cursor.fetchall()
        names = self._place_names([row[0] for row in rows])
        return [(*row[:4], *names.get(row[0], ("", "")), row[4], row[5], 0) for row in rows]

    def _places(self, last: int) -> tuple[str, list[str]] | None:
        """Where the firms of the tiers up to ``last`` can be, as index ranges (None: anywhere)."""
        context = self.context
        if last == Tier.LOCAL:
            return "p.municipality_code = %s", [context.code]
        if last == Tier.REGION:
            return "(p.municipality_code = %s OR p.region_code = %s)", [
                context.code,
                context.region_code,
            ]
        if last == Tier.NEARBY:
            cells = grid_cells_within(context.latitude, context.longitude, context.radius_km)
            if cells is None:
                return None
            return (
                "(p.municipality_code = %s OR p.region_code = %s"
                f" OR p.cell IN ({', '.join(['%s'] * len(cells))}))",
                [context.code, context.region_code, *cells],
            )
        return None

    def _place_names(self, firm_ids: list[int]) -> dict[int, tuple[str, str]]:
        if not firm_ids:
            return {}
        self.cursor.execute(
            "SELECT firm_id, municipality_name, region_name FROM suppliers_firmindexentry"
            f" WHERE firm_id IN ({', '.join(['%s'] * len(firm_ids))})",
            firm_ids,
        )
        return {firm_id: (municipality, region) for firm_id, municipality, region in self.cursor}
