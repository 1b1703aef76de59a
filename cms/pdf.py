"""The speerpuntenboekje: every published speerpunt in one tagged PDF (PDF/UA-1), via WeasyPrint.

Cover, foreword, a table of contents whose page numbers WeasyPrint fills in (``target-counter``),
one chapter per live speerpunt in the index's order with its live figures, and a colophon. The
built PDF is kept in the shared cache with the state it was built from; publishing or
unpublishing a speerpunt enqueues ``booklet_rebuild`` (cms.tasks), and a request whose state
differs from the cached one builds it afresh: a draft or withdrawn page is never served.
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from cms.models import SpeerpuntenIndexPage
from tenders.pdf import FONT_DIR, STATIC_DIR, StaticOnlyFetcher, page_counter_css

PDF_LANGUAGE = "nl"
PDF_VARIANT = "pdf/ua-1"
CACHE_SECONDS = 7 * 24 * 3600


def booklet_cache_key(index: SpeerpuntenIndexPage) -> str:
    return f"cms:booklet:{index.pk}"


def booklet_state(index: SpeerpuntenIndexPage) -> str:
    """What the booklet shows, in a few bytes: which pages in which order, as last published, and
    the day (its figures and colophon are of a day)."""
    rows = index.speerpunten().values_list("pk", "path", "last_published_at")
    parts = [str(timezone.localdate()), str(index.last_published_at), index.title]
    parts += [f"{pk}:{path}:{published}" for pk, path, published in rows]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def absolute_links(html: str) -> str:
    """Site-relative links made absolute: in a PDF a link must lead to the site."""
    return re.sub(r'href="/(?!/)', f'href="{settings.SITE_URL}/', html)


def booklet_render(index: SpeerpuntenIndexPage) -> bytes:
    """The booklet as PDF bytes, built now."""
    with translation.override(PDF_LANGUAGE):
        context: dict[str, Any] = {
            "index": index,
            "speerpunten": list(index.speerpunten().specific()),
            "built_on": timezone.localdate(),
            "site_url": settings.SITE_URL,
            "font_regular": (FONT_DIR / "DejaVuSans.ttf").as_uri(),
            "font_bold": (FONT_DIR / "DejaVuSans-Bold.ttf").as_uri(),
            "page_counter": page_counter_css(),
        }
        html = absolute_links(render_to_string("cms/pdf/booklet.html", context))
    document = HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticOnlyFetcher()
    )
    return document.write_pdf(font_config=FontConfiguration(), pdf_variant=PDF_VARIANT)


def booklet_rebuild(*, index: SpeerpuntenIndexPage) -> dict[str, Any]:
    """Build the booklet and keep it in the cache with its state and how long the build took."""
    state = booklet_state(index)
    started = time.perf_counter()
    pdf = booklet_render(index)
    entry = {
        "state": state,
        "pdf": pdf,
        "seconds": time.perf_counter() - started,
        "built_at": timezone.now(),
    }
    cache.set(booklet_cache_key(index), entry, CACHE_SECONDS)
    return entry


def booklet_is_current(index: SpeerpuntenIndexPage) -> bool:
    """True when the cached booklet shows what is published now."""
    entry = cache.get(booklet_cache_key(index))
    return entry is not None and entry["state"] == booklet_state(index)


def booklet_for_request(index: SpeerpuntenIndexPage) -> bytes:
    """The booklet for a visitor: the cached one while it is current, else built afresh."""
    entry = cache.get(booklet_cache_key(index))
    if entry is not None and entry["state"] == booklet_state(index):
        return entry["pdf"]
    return booklet_rebuild(index=index)["pdf"]
