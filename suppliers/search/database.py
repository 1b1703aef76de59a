"""The database backend: SQLite FTS5 or PostgreSQL full-text search, with the same semantics.

Every query word must match a whole word of the firm's text; the last word may be a prefix. Tier,
distance (squared chord on the unit sphere) and the name match are computed in SQL so that ordering
and paging happen in the database.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from marketplace.geo import chord_squared_for_km, km_for_chord_squared, unit_vector
from suppliers.models import Firm, FirmCpvEntry, FirmIndexEntry, FirmMatchEntry, Size
from suppliers.search import cpv_index
from suppliers.search.base import Hit, Progress, SearchBackend, SearchResult, Tier, chunked
from suppliers.search.documents import firm_documents
from suppliers.search.grid import grid_cells_within
from suppliers.search.match import Match, fts_tags, tiers_counted
from suppliers.search.query import DEFAULT_RADIUS_KM, Context, SearchQuery
from suppliers.search.text import tag

FTS_TABLE = "suppliers_firm_fts"
# More matches than this make a text "common" (see Match.text_last): a few percent of the firms.
COMMON_MATCHES = 2000
BATCH = 1000
# PostgreSQL: the narrow match entries (FirmMatchEntry) of published index entries; the nearby
# tier's words ("within 25 km", grid cells) stay on the index entry, which counts that tier.
MATCH_ENTRIES = (
    "INSERT INTO suppliers_firmmatchentry (firm_id, words, tags)"
    " SELECT firm_id, strip(vector),"
    " strip(to_tsvector('simple', regexp_replace(tags, '(^| )[dg][a-z0-9]*', '', 'g')))"
    " FROM suppliers_firmindexentry WHERE published"
)
_CPV_JOIN = " JOIN suppliers_firmcpventry c ON c.firm_id = e.firm_id"


def _quote(value: str) -> str:
    return value.replace("'", "''")


class DatabaseBackend(SearchBackend):
    name = "database"

    # Searching --------------------------------------------------------------------------------
    #
    # A query is one full-text match: the text words (in the name and the description) and the
    # filters as filter words (FirmDocument.tags: municipality, region, grid cell, CPV codes…).
    # The tiers are counted by the full-text index too: local = match AND the municipality's word,
    # region = match AND the region's word, nearby = match AND a grid cell near the context (then
    # the exact distance on those few), elsewhere = the rest; all of them only for the facets,
    # otherwise in order until the page is filled (tiers_counted). Only the tiers the requested
    # page falls in are ranked. One CPV code alone is answered from the CPV entries (cpv_index).

    def search(self, query: SearchQuery) -> SearchResult:
        context = Context.for_query(query)
        match = Match.for_query(query)
        with connection.cursor() as cursor:
            code = cpv_index.single_code(match)
            if code is not None:
                # One CPV code, nothing else: its entries answer alone (cpv_index.py).
                by_cpv = cpv_index.CpvTiers(cursor, code, context, *self._tier(context, "p"))
                total = by_cpv.total()
                tier_counts = tiers_counted(query, context, total, by_cpv.count)
                needed, offset = self._window(query, context, tier_counts)
                rows = by_cpv.page(needed, query.limit, offset) if needed or not context else []
            else:
                total = self._count(cursor, match)
                common = total > COMMON_MATCHES
                tier_counts = tiers_counted(
                    query,
                    context,
                    total,
                    lambda tier: self._tier_count(cursor, match, context, tier, common),
                )
                needed, offset = self._window(query, context, tier_counts)
                rows = []
                if needed or context is None:  # no tier needed: the page lies past the end
                    page_match = self._page_match(match, context, needed, common)
                    rows = self._page(cursor, page_match, context, needed, query.limit, offset)
            facets = self._facets(cursor, match) if query.facets else {}
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
            )
            for row in rows
        ]
        return SearchResult(
            count=total,
            hits=hits,
            backend=self.name,
            tier_counts={Tier(t): n for t, n in tier_counts.items() if n}
            if context and query.facets
            else {},
            facets=facets,
        )

    def _tier_count(self, cursor, match: Match, context: Context, tier: Tier, common: bool) -> int:
        local, region = tag("m", context.code), tag("r", context.region_code)
        if tier == Tier.LOCAL:
            return self._count(cursor, match.also([local], text_last=common))
        if tier == Tier.REGION:
            return self._count(cursor, match.also([region], excluding=[local], text_last=common))
        return self._nearby_count(cursor, match, context)

    def _count(self, cursor, match: Match, condition: str = "") -> int:
        """How many published firms match; ``condition`` is SQL on the index entry ``e``."""
        source, where, params = self._source(match)
        if not condition and connection.vendor == "sqlite":
            # The FTS table holds the published firms only: no join needed.
            if match.empty:
                cursor.execute(f"SELECT COUNT(*) FROM {FTS_TABLE}")
            else:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
                    [match.fts()],
                )
            return cursor.fetchone()[0]
        if not condition and not match.nearby_words:
            # PostgreSQL: count on the narrow match entries (FirmMatchEntry).
            cursor.execute(*match.narrow_count_sql())
            return cursor.fetchone()[0]
        condition = f" AND {condition}" if condition else ""
        cursor.execute(f"SELECT COUNT(*) FROM {source} WHERE {where}{condition}", params)
        return cursor.fetchone()[0]

    def _nearby_count(self, cursor, match: Match, context: Context) -> int:
        local, region = tag("m", context.code), tag("r", context.region_code)
        if context.radius_km == DEFAULT_RADIUS_KM:
            # Index words say which firms lie within the default radius (Neighbourhoods).
            near = match.also([tag("d", context.code)], excluding=[local, region])
            return self._count(cursor, near)
        _tier, chord2 = self._tier(context)
        radius = f"{chord2} <= {chord_squared_for_km(context.radius_km)!r}"
        cells = grid_cells_within(context.latitude, context.longitude, context.radius_km)
        if cells is not None:
            near = match.also([], any_of=cells, excluding=[local, region])
            return self._count(cursor, near, radius)
        outside = (
            f"e.municipality_code <> '{_quote(context.code)}'"
            f" AND e.region_code <> '{_quote(context.region_code)}'"
        )
        return self._count(cursor, match, f"{outside} AND {radius}")

    @staticmethod
    def _window(query, context, tier_counts) -> tuple[list[int], int]:
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
    def _page_match(
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

    def _page(self, cursor, match: Match, context, needed: list[int], limit: int, offset: int):
        tier, chord2 = self._tier(context)
        source, where, params = self._source(match)
        name_hit = self._name_hit(match)
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
    def _source(match: Match) -> tuple[str, str, list[object]]:
        """``FROM`` and ``WHERE`` of the matching published index entries ``e``, and their
        parameters."""
        if match.empty:
            return "suppliers_firmindexentry e", "e.published = %s", [True]
        if connection.vendor == "postgresql":
            # Two GIN indexes: the text words and the filter words (a bitmap AND of both).
            conditions, params = match.tsquery_conditions("e.vector", "e.tags_vector")
            where = " AND ".join(["e.published = %s", *conditions])
            return "suppliers_firmindexentry e", where, [True, *params]
        return (
            f"(SELECT rowid AS firm_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) t"
            " JOIN suppliers_firmindexentry e ON e.firm_id = t.firm_id",
            "1 = 1",
            [match.fts()],
        )

    @staticmethod
    def _name_hit(match: Match) -> str:
        """The SQL of the text relevance: 1 when every query word is in the name, else 0.

        Relevance is this grade alone, in every backend (docs/decisions.md): within a tier the
        name matches come first, then distance decides. No score that needs the whole match set
        (bm25's and ts_rank's document frequencies), so ranking a tier reads that tier only."""
        if not match.words:
            return "0"
        if connection.vendor == "postgresql":
            return f"(e.name_vector @@ to_tsquery('simple', '{match.text_tsquery()}'))"
        # The name's words, space-separated as the FTS table holds them, read on the rows being
        # ranked (words are [a-z0-9]+: nothing to escape). The last word may be a prefix.
        name = "(' ' || e.name_words || ' ')"
        found = [f"instr({name}, ' {word} ') > 0" for word in match.words[:-1]]
        found.append(f"instr({name}, ' {match.words[-1]}') > 0")
        return f"({' AND '.join(found)})"

    @staticmethod
    def _tier(context: Context | None, alias: str = "e") -> tuple[str, str]:
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
            f"(CASE WHEN {alias}.municipality_code = '{_quote(context.code)}' THEN 0 "
            f"WHEN {alias}.region_code = '{_quote(context.region_code)}' THEN 1 "
            f"WHEN {chord2} <= {radius!r} THEN 2 ELSE 3 END)"
        )
        return tier, chord2

    def _facets(self, cursor, match: Match) -> dict[str, dict[str, int]]:
        """Matches per CPV division (by the CPV index) and per size (by filter words)."""
        source, where, params = self._source(match)
        if connection.vendor == "sqlite" and not match.empty:
            # The FTS table holds the published firms only: join its rows to the codes directly.
            source = f"(SELECT rowid AS firm_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) t"
            where, params = "1 = 1", [match.fts()]
            cpv_join = " JOIN suppliers_firmcpventry c ON c.firm_id = t.firm_id"
        else:
            cpv_join = _CPV_JOIN
        cursor.execute(
            f"SELECT c.code, COUNT(*) FROM {source}{cpv_join} WHERE {where}"
            " AND c.code LIKE %s GROUP BY c.code",
            [*params, "__000000"],
        )
        divisions = dict(cursor.fetchall())
        if connection.vendor == "postgresql":
            # One pass over the matches: every extra count would visit their rows again.
            filters = ", ".join(
                f"COUNT(*) FILTER (WHERE e.tags_vector @@ to_tsquery('simple', '{tag('s', size)}'))"
                for size in Size.values
            )
            source, where, params = self._source(match)
            cursor.execute(f"SELECT {filters} FROM {source} WHERE {where}", params)
            sizes = dict(zip(Size.values, cursor.fetchone(), strict=True))
        else:
            sizes = {
                size: self._count(cursor, match.also([tag("s", size)])) for size in Size.values
            }
        return {"division": divisions, "size": {size: n for size, n in sizes.items() if n}}

    # Indexing ---------------------------------------------------------------------------------

    @transaction.atomic
    def index(self, firm_ids: Iterable[int]) -> None:
        ids = list(firm_ids)
        if not ids:
            return
        documents = firm_documents(ids)
        FirmIndexEntry.objects.filter(firm_id__in=ids).delete()
        FirmCpvEntry.objects.filter(firm_id__in=ids).delete()
        FirmMatchEntry.objects.filter(firm_id__in=ids).delete()
        entries = []
        cpv_entries = []
        for doc in documents:
            x, y, z = unit_vector(doc.latitude, doc.longitude)
            entries.append(
                FirmIndexEntry(
                    firm_id=doc.firm_id,
                    kvk_number=doc.kvk_number,
                    name=doc.name,
                    municipality_name=doc.municipality_name,
                    region_name=doc.region_name,
                    name_words=doc.name_words,
                    body_words=doc.body_words,
                    x=x,
                    y=y,
                    z=z,
                    municipality_code=doc.municipality_code,
                    region_code=doc.region_code,
                    published=doc.published,
                    tags=doc.tags,
                )
            )
            if doc.published:
                cpv_entries += cpv_index.entries(doc, (x, y, z))
        FirmIndexEntry.objects.bulk_create(entries, batch_size=BATCH)
        FirmCpvEntry.objects.bulk_create(cpv_entries, batch_size=BATCH)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "UPDATE suppliers_firmindexentry SET "
                    "vector = setweight(to_tsvector('simple', name_words), 'A')"
                    " || setweight(to_tsvector('simple', body_words), 'B'),"
                    " tags_vector = strip(to_tsvector('simple', tags)),"
                    " name_vector = to_tsvector('simple', name_words)"
                    " WHERE firm_id = ANY(%s)",
                    [ids],
                )
                cursor.execute(f"{MATCH_ENTRIES} AND firm_id = ANY(%s)", [ids])
            elif connection.vendor == "sqlite":
                placeholders = ", ".join(["%s"] * len(ids))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", ids)
                # Only published firms are searchable: counting needs no join then.
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, name, body, tags) VALUES (%s, %s, %s, %s)",
                    [
                        (d.firm_id, d.name_words, d.body_words, fts_tags(d.tags))
                        for d in documents
                        if d.published
                    ],
                )

    def rebuild(self, progress: Progress | None = None) -> int:
        ids = list(Firm.objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {FTS_TABLE}")
            FirmIndexEntry.objects.all().delete()
            FirmCpvEntry.objects.all().delete()
            FirmMatchEntry.objects.all().delete()
        done = 0
        for chunk in chunked(ids, BATCH):
            self.index(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # One FTS5 segment instead of the many that batch after batch left behind.
                cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
            # Statistics for the planner, which now faces tables of a new size.
            cursor.execute("ANALYZE suppliers_firmindexentry")
            cursor.execute("ANALYZE suppliers_firmcpventry")
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE suppliers_firmmatchentry")
        return done
