"""A database search, the same on either engine: tiers counted and ranked in SQL, one page read.

A query is one full-text match: the text words (in the name and the description) and the filters
as filter words (``FirmDocument.tags``: municipality, region, grid cell, CPV codes…). The tiers are
counted by the full-text index too: local = match AND the municipality's word, region = match AND
the region's word, nearby = match AND a grid cell near the context (then the exact distance on
those few), elsewhere = the rest; all of them only for the facets, otherwise in order until the
page is filled (``tiers_counted``). Only the tiers the requested page falls in are ranked. One CPV
code alone is answered from the CPV entries (``cpv_index.py``).

Tier, distance (squared chord on the unit sphere) and the name match are computed in SQL so that
ordering and paging happen in the database. How an engine matches, counts, grades the name and
keeps its full-text structures is its own (``sqlite.py``, ``postgres.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from marketplace.geo import chord_squared_for_km, km_for_chord_squared, unit_vector
from suppliers.search.activities import matched_cpv
from suppliers.search.base import Hit, SearchResult, Tier
from suppliers.search.database import cpv_index
from suppliers.search.database.match import Match, tiers_counted
from suppliers.search.grid import grid_cells_within
from suppliers.search.query import DEFAULT_RADIUS_KM, Context, SearchQuery
from suppliers.search.text import tag

# More matches than this make a text "common" (see Match.text_last): a few percent of the firms.
COMMON_MATCHES = 2000
INDEX_ENTRIES = "suppliers_firmindexentry e"
CPV_JOIN = " JOIN suppliers_firmcpventry c ON c.firm_id = e.firm_id"
DIVISIONS = "__000000"  # the CPV codes of divisions, as a LIKE pattern


def quote(value: str) -> str:
    """A string as an SQL literal's content (the values are codes we hold, never user text)."""
    return value.replace("'", "''")


class Engine:
    """One database engine: the shared search, and the hooks each engine writes in its own SQL."""

    vendor = ""
    # Tables whose statistics the planner needs after a rebuild.
    analysed: tuple[str, ...] = ("suppliers_firmindexentry", "suppliers_firmcpventry")

    # The engine's own SQL -------------------------------------------------------------------------

    def match_source(self, match: Match) -> tuple[str, str, list[object]]:
        """``FROM`` and ``WHERE`` of the published index entries ``e`` of a non-empty match,
        and their parameters."""
        raise NotImplementedError

    def name_hit(self, match: Match) -> str:
        """The SQL of the text relevance: 1 when every query word is in the name, else 0.

        Relevance is this grade alone, in every backend (docs/decisions.md): within a tier the
        name matches come first, then distance decides. No score that needs the whole match set
        (bm25's and ts_rank's document frequencies), so ranking a tier reads that tier only."""
        raise NotImplementedError

    def count(self, cursor, match: Match, condition: str = "") -> int:
        """How many published firms match; ``condition`` is SQL on the index entry ``e``."""
        source, where, params = self.source(match)
        condition = f" AND {condition}" if condition else ""
        cursor.execute(f"SELECT COUNT(*) FROM {source} WHERE {where}{condition}", params)
        return cursor.fetchone()[0]

    def facets(self, cursor, match: Match) -> dict[str, dict[str, int]]:
        """Matches per CPV division (by the CPV index) and per size (by filter words)."""
        raise NotImplementedError

    def write(self, cursor, ids: list[int], documents: Sequence) -> None:
        """Bring the engine's full-text structures of these firms up to date (entries written)."""
        raise NotImplementedError

    def clear(self, cursor) -> None:
        """Empty the engine's own full-text structures, before a rebuild."""

    def tidy(self, cursor) -> None:
        """After a rebuild: statistics for the planner, which now faces tables of a new size."""
        for table in self.analysed:
            cursor.execute(f"ANALYZE {table}")

    # The shared search ------------------------------------------------------------------------

    def source(self, match: Match) -> tuple[str, str, list[object]]:
        """``FROM`` and ``WHERE`` of the matching published index entries ``e``, and their
        parameters."""
        if match.empty:
            return INDEX_ENTRIES, "e.published = %s", [True]
        return self.match_source(match)

    def search(self, cursor, query: SearchQuery, backend: str) -> SearchResult:
        """One page of the query's firms, ranked (DESIGN §4.1), with the counts it asks for;
        ``backend`` is the name the result gives."""
        context = Context.for_query(query)
        match = Match.for_query(query)
        code = cpv_index.single_code(match)
        if code is not None:
            # One CPV code, nothing else: its entries answer alone (cpv_index.py).
            by_cpv = cpv_index.CpvTiers(cursor, code, context, *self.tier_sql(context, "p"))
            total = by_cpv.total()
            tier_counts = tiers_counted(query, context, total, by_cpv.count)
            needed, offset = self.window(query, context, tier_counts)
            rows = by_cpv.page(needed, query.limit, offset) if needed or not context else []
        else:
            total = self.count(cursor, match)
            common = total > COMMON_MATCHES
            tier_counts = tiers_counted(
                query,
                context,
                total,
                lambda tier: self.tier_count(cursor, match, context, tier, common),
            )
            needed, offset = self.window(query, context, tier_counts)
            rows = []
            if needed or context is None:  # no tier needed: the page lies past the end
                page_match = self.page_match(match, context, needed, common)
                rows = self.page(cursor, page_match, context, needed, query.limit, offset)
        facets = self.facets(cursor, match) if query.facets else {}
        matched = matched_cpv(query, [row[0] for row in rows])
        hits = [
            Hit(
                firm_id=row[0],
                kvk_number=row[1],
                name=row[2],
                municipality_code=row[3],
                municipality_name=row[4],
                region_name=row[5],
                tier=Tier(row[6]) if context else None,
                distance_km=km_for_chord_squared(row[7]) if context else None,
                name_match=bool(row[8]),
                matched_cpv=matched.get(row[0], ()),
            )
            for row in rows
        ]
        return SearchResult(
            count=total,
            hits=hits,
            backend=backend,
            tier_counts={Tier(t): n for t, n in tier_counts.items() if n}
            if context and query.facets
            else {},
            facets=facets,
        )

    def tier_count(self, cursor, match: Match, context: Context, tier: Tier, common: bool) -> int:
        local, region = tag("m", context.code), tag("r", context.region_code)
        if tier == Tier.LOCAL:
            return self.count(cursor, match.also([local], text_last=common))
        if tier == Tier.REGION:
            return self.count(cursor, match.also([region], excluding=[local], text_last=common))
        return self.nearby_count(cursor, match, context)

    def nearby_count(self, cursor, match: Match, context: Context) -> int:
        local, region = tag("m", context.code), tag("r", context.region_code)
        if context.radius_km == DEFAULT_RADIUS_KM:
            # Index words say which firms lie within the default radius (Neighbourhoods).
            near = match.also([tag("d", context.code)], excluding=[local, region])
            return self.count(cursor, near)
        _tier, chord2 = self.tier_sql(context)
        radius = f"{chord2} <= {chord_squared_for_km(context.radius_km)!r}"
        cells = grid_cells_within(context.latitude, context.longitude, context.radius_km)
        if cells is not None:
            near = match.also([], any_of=cells, excluding=[local, region])
            return self.count(cursor, near, radius)
        outside = (
            f"e.municipality_code <> '{quote(context.code)}'"
            f" AND e.region_code <> '{quote(context.region_code)}'"
        )
        return self.count(cursor, match, f"{outside} AND {radius}")

    @staticmethod
    def window(query, context, tier_counts) -> tuple[list[int], int]:
        """The tiers the requested page falls in, and the offset within them."""
        if context is None:
            return [], query.offset
        needed, skipped, start = [], 0, 0
        for t in sorted(tier_counts):
            end = start + tier_counts[t]
            if end <= query.offset:
                skipped += tier_counts[t]
            elif start < query.offset + query.limit:
                needed.append(t)
            start = end
        return needed, query.offset - skipped

    @staticmethod
    def page_match(
        match: Match, context: Context | None, needed: list[int], common: bool = False
    ) -> Match:
        """The match narrowed to the places the needed tiers can be in."""
        if context is None or not needed or max(needed) == Tier.ELSEWHERE:
            return match
        places = [tag("m", context.code)]
        if max(needed) >= Tier.REGION:
            places.append(tag("r", context.region_code))
        if max(needed) == Tier.NEARBY and context.radius_km == DEFAULT_RADIUS_KM:
            places.append(tag("d", context.code))
        elif max(needed) == Tier.NEARBY:
            cells = grid_cells_within(context.latitude, context.longitude, context.radius_km)
            if cells is None:
                return match
            places += cells
        return match.also([], any_of=places, text_last=common and max(needed) <= Tier.REGION)

    def page(self, cursor, match: Match, context, needed: list[int], limit: int, offset: int):
        tier, chord2 = self.tier_sql(context)
        source, where, params = self.source(match)
        name_hit = self.name_hit(match) if match.words else "0"
        # Everything comes from the index entry: no join, however many rows a tier holds.
        sql = (
            f"SELECT e.firm_id, e.kvk_number, e.name, e.municipality_code,"
            f" e.municipality_name, e.region_name,"
            f" {tier} AS tier, {chord2} AS chord2, {name_hit} AS name_hit"
            f" FROM {source} WHERE {where}"
        )
        if context is not None and needed and len(needed) < len(Tier):
            sql += f" AND {tier} IN ({', '.join(str(t) for t in needed)})"
        order = ["tier", "name_hit DESC", "chord2"] if context is not None else ["name_hit DESC"]
        order += ["e.name", "e.kvk_number"]
        cursor.execute(
            f"{sql} ORDER BY {', '.join(order)} LIMIT %s OFFSET %s", [*params, limit, offset]
        )
        return cursor.fetchall()

    @staticmethod
    def tier_sql(context: Context | None, alias: str = "e") -> tuple[str, str]:
        """The SQL of the tier and of the squared chord to the context, on the columns of the
        index entry (or of another table with the same columns, by ``alias``)."""
        if context is None:
            return "NULL", "0"
        x, y, z = unit_vector(context.latitude, context.longitude)
        # Floats we computed ourselves, written as SQL literals to avoid repeating parameters.
        chord2 = (
            "("
            + " + ".join(
                f"({alias}.{axis} - {value!r}) * ({alias}.{axis} - {value!r})"
                for axis, value in (("x", x), ("y", y), ("z", z))
            )
            + ")"
        )
        radius = chord_squared_for_km(context.radius_km)
        tier = (
            f"(CASE WHEN {alias}.municipality_code = '{quote(context.code)}' THEN 0 "
            f"WHEN {alias}.region_code = '{quote(context.region_code)}' THEN 1 "
            f"WHEN {chord2} <= {radius!r} THEN 2 ELSE 3 END)"
        )
        return tier, chord2

    def division_counts(self, cursor, source: str, join: str, where: str, params) -> dict:
        """Matches per CPV division, from ``source`` joined to the CPV entries ``c``."""
        cursor.execute(
            f"SELECT c.code, COUNT(*) FROM {source}{join} WHERE {where}"
            " AND c.code LIKE %s GROUP BY c.code",
            [*params, DIVISIONS],
        )
        return dict(cursor.fetchall())
