"""The database backend: SQLite FTS5 or PostgreSQL full-text search, with the same semantics.

Every query word must match a whole word of the firm's text; the last word may be a prefix. Tier,
distance (squared chord on the unit sphere) and the name match are computed in SQL so that ordering
and paging happen in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from marketplace.models import cpv_prefix
from suppliers.models import Firm, FirmCpvEntry, FirmIndexEntry, Size
from suppliers.search.base import (
    DEFAULT_RADIUS_KM,
    Context,
    Hit,
    Progress,
    SearchBackend,
    SearchQuery,
    SearchResult,
    Tier,
    chord_squared_for_km,
    chunked,
    grid_cells_within,
    km_for_chord_squared,
    tag,
    unit_vector,
)
from suppliers.search.documents import firm_documents

FTS_TABLE = "suppliers_firm_fts"
BATCH = 1000
_CPV_JOIN = " JOIN suppliers_firmcpventry c ON c.firm_id = e.firm_id"


def _quote(value: str) -> str:
    return value.replace("'", "''")


def _phrase(word: str) -> str:
    return f'"{word}"'


@dataclass(frozen=True)
class Match:
    """One full-text match: text words (the last one a prefix) AND every group of filter words
    (one of each group) AND NOT any of ``excluded``; written for FTS5 or as a tsquery."""

    words: tuple[str, ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    @classmethod
    def for_query(cls, query: SearchQuery) -> Match:
        groups: list[tuple[str, ...]] = []
        if query.cpv:
            codes = sorted({cpv_prefix(code.split("-")[0]).ljust(8, "0") for code in query.cpv})
            groups.append(tuple(tag("c", code) for code in codes))
        if query.sizes:
            groups.append(tuple(tag("s", size) for size in sorted(query.sizes)))
        if query.certifications:
            groups.append(tuple(tag("k", code) for code in sorted(query.certifications)))
        if query.open_to_partnerships:
            groups.append(("pyes",))
        return cls(tuple(query.words), tuple(groups))

    @property
    def empty(self) -> bool:
        return not self.words and not self.groups

    def also(self, every: list[str], *, any_of: list[str] = (), excluding: list[str] = ()) -> Match:
        groups = [*self.groups, *((word,) for word in every)]
        if any_of:
            groups.append(tuple(any_of))
        return Match(self.words, tuple(groups), (*self.excluded, *excluding))

    def text_fts(self) -> str:
        return " AND ".join([*(f'"{w}"' for w in self.words[:-1]), f'"{self.words[-1]}"*'])

    def fts(self, columns: str = "{name body}") -> str:
        parts = [f"{columns} : ({self.text_fts()})"] if self.words else []
        parts += [f"tags : ({' OR '.join(_phrase(w) for w in group)})" for group in self.groups]
        return " AND ".join(parts) + "".join(f' NOT tags : "{w}"' for w in self.excluded)

    def text_tsquery(self) -> str:
        return " & ".join([*self.words[:-1], f"{self.words[-1]}:*"])

    def tags_tsquery(self) -> str:
        parts = [f"({' | '.join(group)})" for group in self.groups]
        return " & ".join([*parts, *(f"!{w}" for w in self.excluded)])


class DatabaseBackend(SearchBackend):
    name = "database"

    # Searching --------------------------------------------------------------------------------
    #
    # A query is one full-text match: the text words (in the name and the description) and the
    # filters as filter words (FirmDocument.tags: municipality, region, grid cell, CPV codes…).
    # The tiers are counted by the full-text index too: local = match AND the municipality's word,
    # region = match AND the region's word, nearby = match AND a grid cell near the context (then
    # the exact distance on those few), elsewhere = the rest. Only the tiers the requested page
    # falls in are ranked.

    def search(self, query: SearchQuery) -> SearchResult:
        context = Context.for_query(query)
        match = Match.for_query(query)
        with connection.cursor() as cursor:
            tier_counts = self._tier_counts(cursor, match, context)
            needed, offset = self._window(query, context, tier_counts)
            page_match = self._page_match(match, context, needed)
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
            count=sum(tier_counts.values()),
            hits=hits,
            backend=self.name,
            tier_counts={Tier(t): n for t, n in tier_counts.items() if n} if context else {},
            facets=facets,
        )

    def _tier_counts(self, cursor, match: Match, context: Context | None) -> dict[int, int]:
        total = self._count(cursor, match)
        if context is None:
            return {Tier.ELSEWHERE: total}
        local, region = tag("m", context.code), tag("r", context.region_code)
        counts = {
            Tier.LOCAL: self._count(cursor, match.also([local])) if total else 0,
            Tier.REGION: self._count(cursor, match.also([region], excluding=[local]))
            if total
            else 0,
        }
        counts[Tier.NEARBY] = self._nearby_count(cursor, match, context) if total else 0
        counts[Tier.ELSEWHERE] = total - sum(counts.values())
        return counts

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
    def _page_match(match: Match, context: Context | None, needed: list[int]) -> Match:
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
        return match.also([], any_of=places)

    def _page(self, cursor, match: Match, context, needed: list[int], limit: int, offset: int):
        tier, chord2 = self._tier(context)
        source, where, params = self._source(match, ranked=True)
        name_hit, rank = self._relevance(match)
        # Everything comes from the index entry: no join, however many rows a tier holds.
        sql = (
            f"SELECT e.firm_id, e.kvk_number, e.name, e.municipality_code,"
            f" e.municipality_name, e.region_name,"
            f" {tier} AS tier, {chord2} AS chord2, {name_hit} AS name_hit, {rank} AS rank"
            f" FROM {source} WHERE {where}"
        )
        if context is not None and needed and len(needed) < len(Tier):
            sql += f" AND {tier} IN ({', '.join(str(t) for t in needed)})"
        order = ["tier"] if context is not None else []
        order += ["name_hit DESC", "rank DESC"]
        order += ["chord2"] if context is not None else []
        order += ["e.name", "e.kvk_number"]
        cursor.execute(
            f"{sql} ORDER BY {', '.join(order)} LIMIT %s OFFSET %s", [*params, limit, offset]
        )
        return cursor.fetchall()

    @staticmethod
    def _source(match: Match, *, ranked: bool = False) -> tuple[str, str, list[object]]:
        """``FROM`` and ``WHERE`` of the matching published index entries ``e``, and their
        parameters; with ``ranked`` on SQLite the FTS rows ``t`` carry ``bm`` (bm25)."""
        if match.empty:
            return "suppliers_firmindexentry e", "e.published = %s", [True]
        if connection.vendor == "postgresql":
            # Two GIN indexes: the text words and the filter words (a bitmap AND of both).
            where, params = ["e.published = %s"], [True]
            if match.words:
                where.append("e.vector @@ to_tsquery('simple', %s)")
                params.append(match.text_tsquery())
            if match.groups or match.excluded:
                where.append("e.tags_vector @@ to_tsquery('simple', %s)")
                params.append(match.tags_tsquery())
            return "suppliers_firmindexentry e", " AND ".join(where), params
        bm = f", bm25({FTS_TABLE}, 10.0, 1.0, 0.0) AS bm" if ranked else ""
        return (
            f"(SELECT rowid AS firm_id{bm} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) t"
            " JOIN suppliers_firmindexentry e ON e.firm_id = t.firm_id",
            "1 = 1",
            [match.fts()],
        )

    @staticmethod
    def _relevance(match: Match) -> tuple[str, str]:
        """The SQL of the name match and of the text rank (0 without query text)."""
        if not match.words:
            return "0", "0"
        if connection.vendor == "postgresql":
            text = match.text_tsquery()
            return (
                f"(e.name_vector @@ to_tsquery('simple', '{text}'))",
                f"ts_rank(e.vector, to_tsquery('simple', '{text}'))",
            )
        # Narrowed like the page itself, so that the name matches to look up are few.
        return (
            f"(e.firm_id IN (SELECT rowid FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH '{match.fts(columns='name')}'))",
            "(-t.bm)",
        )

    @staticmethod
    def _tier(context: Context | None) -> tuple[str, str]:
        """The SQL of the tier and of the squared chord to the context, on index entry columns."""
        if context is None:
            return "NULL", "0"
        x, y, z = unit_vector(context.latitude, context.longitude)
        # Floats we computed ourselves, written as SQL literals to avoid repeating parameters.
        chord2 = (
            "("
            + " + ".join(
                f"(e.{axis} - {value!r}) * (e.{axis} - {value!r})"
                for axis, value in (("x", x), ("y", y), ("z", z))
            )
            + ")"
        )
        radius = chord_squared_for_km(context.radius_km)
        tier = (
            f"(CASE WHEN e.municipality_code = '{_quote(context.code)}' THEN 0 "
            f"WHEN e.region_code = '{_quote(context.region_code)}' THEN 1 "
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
            own = set(doc.cpv_codes)
            cpv_entries += [
                FirmCpvEntry(firm_id=doc.firm_id, code=code, own=code in own)
                for code in doc.cpv_with_ancestors
            ]
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
            elif connection.vendor == "sqlite":
                placeholders = ", ".join(["%s"] * len(ids))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", ids)
                # Only published firms are searchable: counting needs no join then.
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, name, body, tags) VALUES (%s, %s, %s, %s)",
                    [
                        (d.firm_id, d.name_words, d.body_words, d.tags)
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
        done = 0
        for chunk in chunked(ids, BATCH):
            self.index(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
        return done
