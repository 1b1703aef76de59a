"""The supplier index (DESIGN §5): one small interface, a database and an Elasticsearch backend.

Views call ``search_firms``; services call ``index_after_commit``. Which backend answers is a
setting (``SUPPLIER_SEARCH_BACKEND``), never a view's business. The database index is always kept
up to date, because it is where search falls back to when Elasticsearch is down.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from suppliers.search.base import Hit, SearchBackend, SearchResult, SearchUnavailable, Tier
from suppliers.search.query import SearchQuery

__all__ = [
    "Hit",
    "SearchBackend",
    "SearchQuery",
    "SearchResult",
    "SearchUnavailable",
    "Tier",
    "database_backend",
    "get_backend",
    "index_after_commit",
    "index_firms",
    "search_firms",
]

logger = logging.getLogger(__name__)


@cache
def get_backend() -> SearchBackend:
    """The configured backend (settings.SUPPLIER_SEARCH_BACKEND, a dotted path)."""
    path = settings.SUPPLIER_SEARCH_BACKEND
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImportError(
            f"SUPPLIER_SEARCH_BACKEND {path!r} cannot be imported: {error}"
        ) from error
    return backend_class()


@cache
def database_backend() -> SearchBackend:
    """The database backend: the fallback, and always kept up to date."""
    from suppliers.search.database import DatabaseBackend

    configured = get_backend()
    return configured if isinstance(configured, DatabaseBackend) else DatabaseBackend()


def search_firms(query: SearchQuery) -> SearchResult:
    """Search the supplier index; falls back to the database when the configured engine fails."""
    backend = get_backend()
    try:
        return backend.search(backend.check_query(query))
    except SearchUnavailable as error:
        logger.warning("Supplier search fell back to the database: %s", error)
        fallback = database_backend()
        result = fallback.search(fallback.check_query(query))
        result.fallback = True
        return result


def index_firms(firm_ids: Iterable[int]) -> None:
    """Update the index entries of these firms; never raises (a save must not fail on it)."""
    ids = list(firm_ids)
    backends = {database_backend(), get_backend()}
    for backend in backends:
        try:
            backend.index(ids)
        except Exception:  # noqa: BLE001 - indexing must never fail a save; rebuild repairs drift
            logger.exception("Indexing firms %s in %s failed", ids[:10], backend.name)


def index_after_commit(firm_ids: Iterable[int]) -> None:
    """Index these firms once the current transaction has committed."""
    ids = list(firm_ids)
    transaction.on_commit(lambda: index_firms(ids))
