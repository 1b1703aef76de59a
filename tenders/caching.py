"""The cached part of the public tender list (benchmark pages: the list costs some 30–50 ms to
build, a cached one a few).

The body of the list (filters, results, facets) is cached per visitor scope (anonymous, or the
user: buyers and invited firms see more), language and query string. A key also holds:

- the list version, bumped by every service that changes what the list shows: a tender, its lots
  or its invitations (``list_changed``, called by the services themselves rather than by
  ``post_save`` handlers, which ``.update()`` and ``bulk_create`` skip);
- the next quote deadline still ahead, so a tender is shown closed from the second its deadline
  passes (DESIGN §4.3: state that depends on time is right on every read);
- the current minute, so "nog 5 minuten" is never more than a minute old.

With several server processes and the default per-process cache, another process sees a change
within a minute; configure a shared cache (``CACHES``) to make it immediate everywhere.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.http import HttpRequest
from django.utils import translation

from tenders.models import Status, Tender

LIST_SECONDS = 60
VERSION_KEY = "tenders:list:version"


def list_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def list_changed() -> None:
    """Forget every cached list body: now (this transaction reads its own change) and again
    after commit (another request may have cached the old rows in between)."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def next_deadline(now: datetime, version: int) -> str:
    """The first quote deadline still ahead: when it passes, the list must look different.
    Remembered per list version (a new or extended deadline bumps the version) until it passes."""
    key = f"tenders:list:next-deadline:{version}"
    remembered = cache.get(key)
    if remembered is not None and (remembered == "-" or remembered > now.isoformat()):
        return remembered
    moment = Tender.objects.filter(status=Status.PUBLISHED, quote_deadline__gt=now).aggregate(
        first=Min("quote_deadline")
    )["first"]
    value = moment.astimezone(UTC).isoformat() if moment else "-"
    cache.set(key, value, LIST_SECONDS)
    return value


def list_key(request: HttpRequest, now: datetime) -> str:
    scope = f"u{request.user.pk}" if request.user.is_authenticated else "anonymous"
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    minute = int(now.timestamp() // 60)
    version = list_version()
    return ":".join(
        [
            "tenders:list",
            str(version),
            next_deadline(now, version),
            str(minute),
            translation.get_language() or "",
            scope,
            query,
        ]
    )
