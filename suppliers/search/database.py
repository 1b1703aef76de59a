"""The database backend: SQLite FTS5 or PostgreSQL full-text search, with the same semantics.

Every query word must match a whole word of the firm's text; the last word may be a prefix. Tier,
distance (squared chord on the unit sphere) and the name match are computed in SQL so that ordering
and paging happen in the database.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from marketplace.models import cpv_prefix
from suppliers.models import Firm, FirmCpvEntry, FirmIndexEntry, Size, size_range
from suppliers.search.base import (
    Context,
    Hit,
    Progress,
    SearchBackend,
    SearchQuery,
    SearchResult,
    Tier,
    chord_squared_for_km,
    chunked,
    km_for_chord_squared,
    unit_vector,
)
from suppliers.search.documents import firm_documents

FTS_TABLE = "suppliers_firm_fts"
BATCH = 1000


class DatabaseBackend(SearchBackend):
    name = "database"

    # Searching --------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        context = Context.for_query(query)
        tier, chord2 = self._tier(context)
        count_joins, page_joins, where, params, name_hit, rank, needs_firm = self._filters(query)
        conditions = " AND ".join(where)
        # Counting needs only the index entry: no display columns, no ranking, no joins.
        counted = "suppliers_firmindexentry e " + (
            "JOIN suppliers_firm f ON f.organisation_id = e.firm_id " if needs_firm else ""
        )
        base = (
            f"SELECT f.organisation_id, f.kvk_number, o.name, m.code, m.name, r.name,"
            f" {tier} AS tier, {chord2} AS chord2, {name_hit} AS name_hit, {rank} AS rank"
            " FROM suppliers_firm f "
            "JOIN marketplace_organisation o ON o.id = f.organisation_id "
            "JOIN marketplace_municipality m ON m.code = f.municipality_id "
            "JOIN marketplace_region r ON r.code = m.region_id "
            "JOIN suppliers_firmindexentry e ON e.firm_id = f.organisation_id "
            f"{' '.join(page_joins)} WHERE {conditions}"
        )
        order = ["tier"] if context is not None else []
        order += ["name_hit DESC", "rank DESC"]
        order += ["chord2"] if context is not None else []
        order += ["o.name", "f.kvk_number"]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {tier} AS tier, COUNT(*) FROM {counted}{' '.join(count_joins)}"
                f" WHERE {conditions} GROUP BY 1",
                params,
            )
            tier_counts = dict(cursor.fetchall())
            window, offset = self._window(query, context, tier, tier_counts)
            cursor.execute(
                f"{base}{window} ORDER BY {', '.join(order)} LIMIT %s OFFSET %s",
                [*params, query.limit, offset],
            )
            rows = cursor.fetchall()
            facets = self._facets(cursor, base, params) if query.facets else {}
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
            tier_counts={Tier(t): n for t, n in tier_counts.items()} if context else {},
            facets=facets,
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
        code = context.code.replace("'", "''")
        region = context.region_code.replace("'", "''")
        tier = (
            f"(CASE WHEN e.municipality_code = '{code}' THEN 0 "
            f"WHEN e.region_code = '{region}' THEN 1 "
            f"WHEN {chord2} <= {radius!r} THEN 2 ELSE 3 END)"
        )
        return tier, chord2

    @staticmethod
    def _window(query, context, tier, tier_counts) -> tuple[str, int]:
        """Rank only the tiers the requested page falls in: ranking follows the number of rows
        ranked, and the first page near a municipality is usually all local or regional."""
        if context is None:
            return "", query.offset
        needed, skipped, start = [], 0, 0
        for t in sorted(tier_counts):
            end = start + tier_counts[t]
            if end <= query.offset:
                skipped += tier_counts[t]
            elif start < query.offset + query.limit:
                needed.append(t)
            start = end
        if not needed:
            return "", query.offset
        window = f" AND {tier} IN ({', '.join(str(t) for t in needed)})"
        code = context.code.replace("'", "''")
        region = context.region_code.replace("'", "''")
        if max(needed) == Tier.LOCAL:
            window += f" AND e.municipality_code = '{code}'"
        elif max(needed) == Tier.REGION:
            window += f" AND (e.municipality_code = '{code}' OR e.region_code = '{region}')"
        return window, query.offset - skipped

    @staticmethod
    def _facets(cursor, base: str, params: list[object]) -> dict[str, dict[str, int]]:
        cursor.execute(
            f"SELECT c.code, COUNT(*) FROM ({base}) hits JOIN suppliers_firmcpventry c"
            " ON c.firm_id = hits.organisation_id WHERE c.code LIKE %s GROUP BY c.code",
            [*params, "__000000"],
        )
        divisions = dict(cursor.fetchall())
        bounds = [(size, *size_range(size)) for size in Size.values]
        cases = " ".join(
            f"WHEN f.employees >= {low} AND f.employees < {high} THEN '{size}'"
            if high is not None
            else f"WHEN f.employees >= {low} THEN '{size}'"
            for size, low, high in bounds
        )
        cursor.execute(
            f"SELECT CASE {cases} END AS size, COUNT(*) FROM ({base}) hits"
            " JOIN suppliers_firm f ON f.organisation_id = hits.organisation_id"
            " WHERE f.employees IS NOT NULL GROUP BY size",
            params,
        )
        return {"division": divisions, "size": dict(cursor.fetchall())}

    def _filters(self, query: SearchQuery):
        """Joins (for counting, for the page), conditions and parameters, and the SQL of the name
        match and of the rank. Conditions use the index entry ``e`` and, when ``needs_firm``,
        the firm ``f``."""
        count_joins: list[str] = []
        page_joins: list[str] = []
        where = ["e.published = %s"]
        params: list[object] = [True]
        needs_firm = False
        name_hit, rank = "0", "0"
        text_words = query.words
        if text_words:
            name_hit, rank = self._text(text_words, count_joins, page_joins, where, params)
        if query.cpv:
            codes = sorted({cpv_prefix(code.split("-")[0]).ljust(8, "0") for code in query.cpv})
            # Driven by the (code, firm) index, not probed once per firm.
            where.append(
                "e.firm_id IN (SELECT c.firm_id FROM suppliers_firmcpventry c"
                f" WHERE c.code IN ({', '.join(['%s'] * len(codes))}))"
            )
            params += codes
        if query.sizes:
            needs_firm = True
            ranges = []
            for size in query.sizes:
                low, high = size_range(size)
                ranges.append(
                    "(f.employees >= %s AND f.employees < %s)"
                    if high is not None
                    else "(f.employees >= %s)"
                )
                params += [low, high] if high is not None else [low]
            where.append(f"({' OR '.join(ranges)})")
        if query.certifications:
            table = Firm.certifications.through._meta.db_table
            where.append(
                f"EXISTS (SELECT 1 FROM {table} fc WHERE fc.firm_id = e.firm_id"
                f" AND fc.certification_id IN ({', '.join(['%s'] * len(query.certifications))}))"
            )
            params += list(query.certifications)
        if query.open_to_partnerships:
            needs_firm = True
            where.append("f.open_to_partnerships = %s")
            params.append(True)
        return count_joins, page_joins, where, params, name_hit, rank, needs_firm

    def _text(self, text_words, count_joins, page_joins, where, params):
        """Join or filter for the text; returns the SQL of the name match and of the rank."""
        if connection.vendor == "postgresql":
            tsquery = " & ".join([*text_words[:-1], f"{text_words[-1]}:*"])
            # The rank and name match reuse the same tsquery; parameters come before WHERE's.
            where.append("e.vector @@ to_tsquery('simple', %s)")
            params.append(tsquery)
            quoted = tsquery.replace("'", "")
            return (
                f"(e.name_vector @@ to_tsquery('simple', '{quoted}'))",
                f"ts_rank(e.vector, to_tsquery('simple', '{quoted}'))",
            )
        match = " ".join([*(f'"{w}"' for w in text_words[:-1]), f'"{text_words[-1]}"*'])
        count_joins.append(
            f"JOIN (SELECT rowid AS firm_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH '{match}') t"
            " ON t.firm_id = e.firm_id"
        )
        page_joins.append(
            f"JOIN (SELECT rowid AS firm_id, bm25({FTS_TABLE}, 10.0, 1.0) AS bm FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH '{match}') t ON t.firm_id = e.firm_id"
        )
        return (
            f"(e.firm_id IN (SELECT rowid FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH 'name : ({match})'))",
            "(-t.bm)",
        )

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
                    name_words=doc.name_words,
                    body_words=doc.body_words,
                    x=x,
                    y=y,
                    z=z,
                    municipality_code=doc.municipality_code,
                    region_code=doc.region_code,
                    published=doc.published,
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
                    " name_vector = to_tsvector('simple', name_words)"
                    " WHERE firm_id = ANY(%s)",
                    [ids],
                )
            elif connection.vendor == "sqlite":
                placeholders = ", ".join(["%s"] * len(ids))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", ids)
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, name, body) VALUES (%s, %s, %s)",
                    [(d.firm_id, d.name_words, d.body_words) for d in documents],
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
