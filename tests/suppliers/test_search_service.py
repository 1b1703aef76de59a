"""How the rest of Dichtbij uses the supplier index: indexing after commit, fallback, rebuild."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from marketplace.models import Municipality
from suppliers.models import Firm
from suppliers.search import SearchQuery, get_backend, search_firms
from suppliers.services import FirmData, firm_upsert

PAINTER = FirmData(
    kvk_number="12345678",
    name="Schilderij De Penseel",
    postcode="3311 AB",
    cpv_codes=["45442100"],
)


def names(result) -> list[str]:
    return [hit.name for hit in result.hits]


def test_a_saved_firm_is_findable_as_soon_as_the_save_commits(
    reference_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        firm_upsert(data=PAINTER)
        assert names(search_firms(SearchQuery(text="penseel"))) == []  # not before commit

    for callback in callbacks:
        callback()
    result = search_firms(SearchQuery(text="penseel", near=Municipality.objects.get(pk="GM0505")))
    assert names(result) == ["Schilderij De Penseel"]
    assert result.hits[0].tier_label == "Lokaal"


@pytest.fixture
def elasticsearch_down(settings):
    """Elasticsearch configured, but nothing listens there (a closed local port)."""
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.ELASTICSEARCH_TIMEOUT = 0.5
    settings.SUPPLIER_SEARCH_BACKEND = "suppliers.search.elasticsearch.ElasticsearchBackend"
    get_backend.cache_clear()


def test_when_elasticsearch_is_down_saving_still_works_and_search_falls_back(
    reference_data, elasticsearch_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        firm, created = firm_upsert(data=PAINTER)

    assert created and Firm.objects.filter(pk=firm.pk).exists()
    result = search_firms(SearchQuery(text="penseel"))
    assert result.backend == "database"
    assert result.fallback is True
    assert names(result) == ["Schilderij De Penseel"]


def test_a_backend_path_that_cannot_be_imported_is_named_in_the_error(settings):
    settings.SUPPLIER_SEARCH_BACKEND = "suppliers.search.nowhere.Backend"
    get_backend.cache_clear()

    with pytest.raises(ImportError, match="suppliers.search.nowhere.Backend"):
        get_backend()


def test_rebuild_supplier_index_reports_what_it_indexed(reference_data, firm, other_firm):
    out = io.StringIO()

    call_command("rebuild_supplier_index", stdout=out, verbosity=0)

    lines = out.getvalue().splitlines()
    assert "database: 2 firms indexed" in lines
    assert search_firms(SearchQuery(text="kwast")).count == 1
