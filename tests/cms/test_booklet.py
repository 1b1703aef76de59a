"""The speerpuntenboekje: a real PDF, read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from cms.pdf import booklet_cache_key, booklet_is_current
from tests.cms.conftest import figure_block, make_speerpunt
from tests.factories import FirmFactory

pytestmark = pytest.mark.django_db


def booklet(client) -> PdfReader:
    response = client.get("/speerpunten/boekje.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def page_of(texts: list[str], heading: str) -> int:
    """The 1-based number of the page on which a chapter starts."""
    for number, text in enumerate(texts, start=1):
        if text.lstrip().startswith(heading):
            return number
    raise AssertionError(f"no page starts with {heading!r}")


@pytest.fixture
def three_speerpunten(speerpunten_index, dordrecht):
    FirmFactory.create_batch(2, municipality=dordrecht)
    long_text = "<p>" + "Ondernemers in de regio werken samen aan werk dichtbij. " * 60 + "</p>"
    make_speerpunt(
        speerpunten_index,
        "Lokaal inkopen",
        body=[
            {"type": "paragraph", "value": long_text},
            {"type": "paragraph", "value": long_text},
            figure_block("firms_region", "bedrijven in de Drechtsteden", region="drechtsteden"),
        ],
    )
    make_speerpunt(
        speerpunten_index,
        "Bereikbaarheid",
        body=[figure_block("local_share", "blijft in de regio", municipality="GM0505", year=2025)],
    )
    make_speerpunt(speerpunten_index, "Duurzaam ondernemen")
    make_speerpunt(speerpunten_index, "Nog een concept", live=False)
    return speerpunten_index


def test_the_booklet_has_cover_foreword_chapters_in_order_and_colophon(client, three_speerpunten):
    texts = page_texts(booklet(client))
    everything = "\n".join(texts)

    assert "Speerpuntenboekje" in texts[0]
    assert "Een woord vooraf van het bestuur." in everything
    assert page_of(texts, "1. Lokaal inkopen") < page_of(texts, "2. Bereikbaarheid")
    assert page_of(texts, "2. Bereikbaarheid") < page_of(texts, "3. Duurzaam ondernemen")
    assert "Colofon" in texts[-1]
    assert "Nog een concept" not in everything


def test_the_table_of_contents_gives_the_real_page_numbers(client, three_speerpunten):
    texts = page_texts(booklet(client))
    contents = next(text for text in texts if text.lstrip().startswith("Inhoud"))

    for heading in ("1. Lokaal inkopen", "2. Bereikbaarheid", "3. Duurzaam ondernemen"):
        match = re.search(rf"{re.escape(heading)}[ .]*?(\d+)\s*$", contents, re.M)
        assert match, contents
        assert int(match.group(1)) == page_of(texts, heading)
    # The first chapter runs over two pages, so the numbers are not simply consecutive.
    assert page_of(texts, "2. Bereikbaarheid") - page_of(texts, "1. Lokaal inkopen") >= 2


def test_live_figures_are_filled_in_and_missing_data_says_so(client, three_speerpunten):
    everything = "\n".join(page_texts(booklet(client)))

    assert re.search(r"\b2\s*bedrijven in de Drechtsteden", everything)
    assert "nog geen gegevens" in everything


def test_the_booklet_is_a_tagged_pdf_with_title_language_bookmarks_and_links(
    client, three_speerpunten
):
    reader = booklet(client)
    catalog = reader.trailer["/Root"]
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    links = [
        annotation.get_object().get("/A", {}).get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", []) or []
    ]

    assert reader.metadata.title == "Speerpuntenboekje – Dichtbij"
    assert catalog["/Lang"] == "nl"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert "1. Lokaal inkopen" in bookmarks and "Colofon" in bookmarks
    assert any(link and link.endswith("/speerpunten/lokaal-inkopen/") for link in links)


def test_a_current_booklet_is_served_from_the_cache(client, three_speerpunten):
    first = client.get("/speerpunten/boekje.pdf").content
    entry = cache.get(booklet_cache_key(three_speerpunten))

    second = client.get("/speerpunten/boekje.pdf").content

    assert entry is not None and entry["pdf"] == first
    assert second == first
    assert booklet_is_current(three_speerpunten)


def test_publishing_a_speerpunt_rebuilds_the_booklet_after_commit(
    client, three_speerpunten, django_capture_on_commit_callbacks
):
    client.get("/speerpunten/boekje.pdf")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_speerpunt(three_speerpunten, "Vakmensen en onderwijs")

    assert callbacks, "publishing enqueued no rebuild"
    assert booklet_is_current(three_speerpunten)
    assert "Vakmensen en onderwijs" in "\n".join(page_texts(booklet(client)))


def test_an_unpublished_speerpunt_leaves_the_booklet_at_once(client, three_speerpunten):
    client.get("/speerpunten/boekje.pdf")
    page = three_speerpunten.speerpunten().get(title="Bereikbaarheid")

    page.unpublish()  # even without the rebuild task the stale booklet is never served

    assert "Bereikbaarheid" not in "\n".join(page_texts(booklet(client)))


def test_there_is_no_booklet_without_a_speerpunten_index(client, home):
    assert client.get("/speerpunten/boekje.pdf").status_code == 404
