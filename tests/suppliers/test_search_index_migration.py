"""Migration 0007 fills the filter words of existing index entries with a frozen copy of the code;
it must write exactly what the database backend writes today, or searches after an upgrade would
count tiers wrongly until someone rebuilds the index."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from marketplace.models import CpvCode, Municipality
from suppliers.models import Certification, FirmIndexEntry
from suppliers.search.base import SearchQuery
from suppliers.search.database import DatabaseBackend
from tests.factories import FirmFactory

migration = importlib.import_module("suppliers.migrations.0007_index_entry_tags")


class Editor:
    """What fill_tags uses of a schema editor (SQLite's refuses to open inside a test's
    transaction): the connection and ``execute``."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.mark.django_db
def test_the_migration_writes_the_same_filter_words_as_the_index(reference_data):
    firms = []
    for code, employees in [("GM0505", 3), ("GM0642", 40), ("GM0599", None), ("GM0363", 300)]:
        municipality = Municipality.objects.get(pk=code)
        firm = FirmFactory(municipality=municipality, place=municipality.name, employees=employees)
        firm.cpv_codes.set(CpvCode.objects.filter(pk__in=["45442100", "79400000"]))
        firms.append(firm)
    firms[0].certifications.set(Certification.objects.all()[:2])
    firms[1].open_to_partnerships = True
    firms[1].save()
    backend = DatabaseBackend()
    backend.index([firm.pk for firm in firms])
    expected = dict(FirmIndexEntry.objects.values_list("firm_id", "tags"))
    assert all(" dgm0505" in expected[f.pk] for f in firms[:2])  # Dordrecht, Zwijndrecht

    FirmIndexEntry.objects.update(tags="")
    migration.fill_tags(apps, Editor())

    assert dict(FirmIndexEntry.objects.values_list("firm_id", "tags")) == expected
    dordrecht = Municipality.objects.get(pk="GM0505")
    found = backend.search(SearchQuery(near=dordrecht, cpv=("45442100",), limit=10))
    assert found.count == 4


display_migration = importlib.import_module("suppliers.migrations.0009_index_entry_display_columns")
DISPLAY_COLUMNS = ("firm_id", "kvk_number", "name", "municipality_name", "region_name")


@pytest.mark.django_db
def test_migration_0009_fills_the_display_columns_as_the_index_does(reference_data):
    firms = [
        FirmFactory(organisation__name=name, municipality=Municipality.objects.get(pk=code))
        for name, code in [("Schilder Dordt", "GM0505"), ("Verf & Co", "GM0599")]
    ]
    backend = DatabaseBackend()
    backend.index([firm.pk for firm in firms])
    expected = set(FirmIndexEntry.objects.values_list(*DISPLAY_COLUMNS))
    assert ("Schilder Dordt", "Dordrecht") in {(row[2], row[3]) for row in expected}

    FirmIndexEntry.objects.update(kvk_number="", name="", municipality_name="", region_name="")
    display_migration.fill_display_columns(apps, Editor())

    assert set(FirmIndexEntry.objects.values_list(*DISPLAY_COLUMNS)) == expected
    found = backend.search(SearchQuery(near=firms[0].municipality, text="schilder", limit=10))
    assert [(hit.name, hit.municipality_name) for hit in found.hits] == [
        ("Schilder Dordt", "Dordrecht"),
        ("Verf & Co", "Rotterdam"),  # its description says "Schilderwerk"
    ]
