"""User-written text as safe HTML: Markdown (Python-Markdown) cleaned by an allowlist (nh3).

Buyers write tender descriptions in plain text or Markdown; whatever they type, the page gets only
paragraphs, lists, emphasis, headings, quotes, code and http(s)/mailto links — never scripts,
styles, images from elsewhere or event handlers (CSP would block them too)."""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "blockquote", "code", "pre", "a", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that is safe to show, links marked ``rel="nofollow noopener"``."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by the allowlist above
