"""The database backend: SQLite FTS5 or PostgreSQL full-text search, with the same semantics.

Every query word must match a whole word of the firm's text; the last word may be a prefix. The
backend chooses its engine once, by the connection's vendor: the search both share is
``engine.py``, each engine's own SQL ``sqlite.py`` and ``postgres.py``; a search for one CPV code
alone is ``cpv_index.py``. The index entries themselves are written here, the same on both.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from marketplace.geo import unit_vector
from suppliers.models import Firm, FirmCpvEntry, FirmIndexEntry, FirmMatchEntry
from suppliers.search.base import Progress, SearchBackend, SearchResult, chunked
from suppliers.search.database import cpv_index
from suppliers.search.database.engine import Engine
from suppliers.search.database.postgres import PostgresEngine
from suppliers.search.database.sqlite import SqliteEngine
from suppliers.search.documents import firm_documents
from suppliers.search.query import SearchQuery

BATCH = 1000
ENGINES: dict[str, type[Engine]] = {
    engine.vendor: engine for engine in (SqliteEngine, PostgresEngine)
}


def engine_for(vendor: str) -> Engine:
    """The engine of a database vendor ("sqlite", "postgresql")."""
    try:
        return ENGINES[vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"The database search backend needs SQLite or PostgreSQL, not {vendor!r}."
        ) from None


class DatabaseBackend(SearchBackend):
    name = "database"

    def __init__(self) -> None:
        self.engine = engine_for(connection.vendor)

    def search(self, query: SearchQuery) -> SearchResult:
        with connection.cursor() as cursor:
            return self.engine.search(cursor, query, self.name)

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
            self.engine.write(cursor, ids, documents)

    def rebuild(self, progress: Progress | None = None) -> int:
        ids = list(Firm.objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            with connection.cursor() as cursor:
                self.engine.clear(cursor)
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
            self.engine.tidy(cursor)
        return done
