"""Site furniture from the page tree: the footer's standard pages."""

from __future__ import annotations

from django import template
from django.core.cache import cache

from cms.models import StandardPage, on_site
from cms.signals import FOOTER_CACHE_KEY

register = template.Library()

FOOTER_CACHE_SECONDS = 300


def footer_links() -> list[tuple[str, str]]:
    """(title, url) of the footer's standard pages; cached, as every page shows them."""
    links = cache.get(FOOTER_CACHE_KEY)
    if links is None:
        pages = on_site(StandardPage.objects).filter(show_in_footer=True).order_by("path")
        links = [(page.title, page.url) for page in pages]
        cache.set(FOOTER_CACHE_KEY, links, FOOTER_CACHE_SECONDS)
    return links


@register.inclusion_tag("cms/includes/footer_pages.html")
def footer_pages() -> dict[str, object]:
    return {"footer_pages": footer_links()}
