"""The boundary from Wagtail's publishing signals to background work: enqueue, nothing more."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

FOOTER_CACHE_KEY = "cms:footer-pages"


def pages_changed(sender, instance, **kwargs) -> None:
    """A page was published or unpublished: forget the footer's links (a standard page), or
    rebuild the booklet after commit (a speerpunt or its index)."""
    from cms.models import SpeerpuntenIndexPage, SpeerpuntPage, StandardPage
    from cms.tasks import rebuild_booklet

    page = instance.specific
    if isinstance(page, StandardPage):
        cache.delete(FOOTER_CACHE_KEY)
        return
    if isinstance(page, SpeerpuntPage):
        index = page.get_parent()
    elif isinstance(page, SpeerpuntenIndexPage):
        index = page
    else:
        return
    if index is not None:
        transaction.on_commit(lambda: rebuild_booklet.enqueue(index.pk))
