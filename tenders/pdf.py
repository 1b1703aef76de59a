"""The one boundary to WeasyPrint: a tender's PDFs, rendered from templates/tenders/pdf/.

Every PDF is Dutch (DESIGN §6), A4 with page numbers, and uses only the fonts shipped in
tenders/static/tenders/fonts: nothing is fetched from the network or the rest of the disk, so
every machine renders the same document (DESIGN §8: no external hosts at run time).
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from tenders.models import AwardCriteriaType, Procedure, Tender
from tenders.selectors.award import award_of, award_summary

STATIC_DIR = (Path(__file__).resolve().parent / "static" / "tenders").resolve()
FONT_DIR = STATIC_DIR / "fonts"
PDF_LANGUAGE = "nl"


class StaticOnlyFetcher(URLFetcher):
    """Serves ``file:`` URLs under tenders/static/tenders and refuses everything else."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = static_path(url)
        if path is None:
            raise URLFetchingError(f"Refused {url}: PDFs only load files under {STATIC_DIR}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            content_type = "font/ttf"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_path(url: str) -> Path | None:
    """The file a ``file:`` URL names when it lies under the static dir, else None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        return None
    return path


def render_notice_pdf(tender: Tender) -> bytes:
    """The tender notice (aankondiging): what is bought, by whom, how and until when."""
    with translation.override(PDF_LANGUAGE):
        context = notice_context(tender)
        return _render("tenders/pdf/notice.html", tender, context)


def render_clarification_pdf(tender: Tender) -> bytes:
    """The nota van inlichtingen: every published answer, numbered, never naming who asked."""
    with translation.override(PDF_LANGUAGE):
        questions = list(
            tender.questions.published()
            .only("number", "text", "answer", "published_at")
            .order_by("number")
        )
        context = {
            "questions": questions,
            "nota_date": max((q.published_at for q in questions), default=None),
        }
        return _render("tenders/pdf/clarifications.html", tender, context)


def render_award_pdf(tender: Tender) -> bytes:
    """The award notice (gunning): the decision, its motivation and the contract, if signed."""
    with translation.override(PDF_LANGUAGE):
        context = {**notice_context(tender), **award_summary(award_of(tender))}
        return _render("tenders/pdf/gunning.html", tender, context)


def notice_context(tender: Tender) -> dict[str, Any]:
    """What the notice shows besides the tender itself."""
    cpv_codes = [tender.main_cpv] if tender.main_cpv else []
    cpv_codes += [c for c in tender.additional_cpv.order_by("code") if c != tender.main_cpv]
    price_quality = tender.award_criteria_type == AwardCriteriaType.PRICE_QUALITY
    return {
        "cpv_codes": cpv_codes,
        "lots": list(tender.lots.order_by("number")),
        "procedure": Procedure(tender.procedure).label if tender.procedure else "",
        "criteria": list(tender.award_criteria.order_by("position", "pk")) if price_quality else [],
        "documents": list(tender.documents.order_by("uploaded_at", "pk")),
    }


def page_counter_css() -> str:
    """The translated "Page {page} of {pages}" as a CSS ``content`` value with counters."""
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", gettext("Page {page} of {pages}")):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


PDF_VARIANT = "pdf/ua-1"


def css_string(text: str) -> str:
    """A quoted CSS string that cannot end early or break out of the style sheet."""
    escaped = re.sub(r"[\\\"<>\n\r]", lambda m: f"\\{ord(m.group()):x} ", text)
    return f'"{escaped}"'


def _render(template: str, tender: Tender, context: dict[str, Any]) -> bytes:
    html = render_to_string(
        template,
        {
            "tender": tender,
            "font_regular": (FONT_DIR / "DejaVuSans.ttf").as_uri(),
            "font_bold": (FONT_DIR / "DejaVuSans-Bold.ttf").as_uri(),
            "page_counter": page_counter_css(),
            **context,
        },
    )
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    # Tagged (PDF/UA-1): a screen reader reads the structure, the title and the language.
    return document.write_pdf(font_config=FontConfiguration(), pdf_variant=PDF_VARIANT)
