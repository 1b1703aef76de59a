"""The cached monitor pages: a page of figures sums every line of a municipality, so its body is
kept until the figures can have changed. A key holds the tender list's version (bumped by every
service that records or cancels a contract, ``tenders.caching``), the monitor's own version
(bumped by every import), the language and the query string."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from tenders import caching

PAGE_SECONDS = 600
VERSION_KEY = "tenders:monitor:version"


def monitor_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def monitor_changed() -> None:
    """Forget every cached monitor page: now and again after commit."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def page_key(page: str, scope: str, query: str) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    return (
        f"tenders:monitor:{page}:{scope}:{translation.get_language()}:"
        f"{caching.list_version()}:{monitor_version()}:{digest}"
    )
