"""Migration 0007 fills the filter words of existing index entries with a frozen copy of the code;
it must write exactly what the database backend writes today, or searches after an upgrade would
count tiers wrongly until someone rebuilds the index."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from marketplace.models import CpvCode, Municipality
from suppliers.models import Certification, FirmCpvEntry, FirmIndexEntry, FirmMatchEntry
from suppliers.search.database import DatabaseBackend
from suppliers.search.query import SearchQuery
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


def painters_indexed() -> tuple[list, DatabaseBackend]:
    """Two published painters (Dordrecht, Rotterdam) and a hidden one, indexed."""
    firms = []
    for name, code, published in [
        ("Schilder Dordt", "GM0505", True),
        ("Verf & Co", "GM0599", True),
        ("Verborgen Verf", "GM0505", False),
    ]:
        firm = FirmFactory(
            organisation__name=name,
            municipality=Municipality.objects.get(pk=code),
            published=published,
        )
        firm.cpv_codes.set(CpvCode.objects.filter(pk__in=["45442100"]))
        firms.append(firm)
    backend = DatabaseBackend()
    backend.index([firm.pk for firm in firms])
    return firms, backend


locations_migration = importlib.import_module("suppliers.migrations.0010_cpv_entry_locations")
LOCATION_COLUMNS = (
    "firm_id",
    "code",
    "own",
    "municipality_code",
    "region_code",
    "cell",
    "x",
    "y",
    "z",
    "name",
    "kvk_number",
)


@pytest.mark.django_db
def test_migration_0010_gives_cpv_entries_the_places_the_index_gives_them(reference_data):
    firms, backend = painters_indexed()
    expected = set(FirmCpvEntry.objects.values_list(*LOCATION_COLUMNS))
    assert {row[0] for row in expected} == {firms[0].pk, firms[1].pk}  # published firms only

    # As before the migration: every firm's codes, with no place.
    FirmCpvEntry.objects.update(
        municipality_code="", region_code="", cell="", x=0, y=0, z=0, name="", kvk_number=""
    )
    FirmCpvEntry.objects.create(firm=firms[2], code="45442100", own=True)
    locations_migration.fill_locations(apps, Editor())

    assert set(FirmCpvEntry.objects.values_list(*LOCATION_COLUMNS)) == expected
    found = backend.search(SearchQuery(near=firms[0].municipality, cpv=("45000000",)))
    assert [(hit.name, hit.tier_label) for hit in found.hits] == [
        ("Schilder Dordt", "Lokaal"),
        ("Verf & Co", "Dichtbij"),
    ]


fts_migration = importlib.import_module("suppliers.migrations.0011_fts_filter_words_apart")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_migration_0011_rebuilds_the_fts_table_both_ways(reference_data):
    firm = FirmFactory(organisation__name="Schilder Dordt")
    firm.cpv_codes.set(CpvCode.objects.filter(pk__in=["45442100"]))
    backend = DatabaseBackend()
    backend.index([firm.pk])
    query = SearchQuery(near=firm.municipality, text="schild", cpv=("45400000",))
    assert backend.search(query).count == 1

    def fts_tags() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tags FROM suppliers_firm_fts")
            return cursor.fetchone()[0]

    entry_tags = FirmIndexEntry.objects.get().tags
    assert fts_tags() == " ".join(f"_{word}" for word in entry_tags.split())

    fts_migration.rebuild(fts_migration.OLD_TOKENIZER, "replace(tags, '_', '')")(apps, Editor())
    assert fts_tags() == entry_tags

    fts_migration.rebuild(fts_migration.NEW_TOKENIZER, "'_' || replace(tags, ' ', ' _')")(
        apps, Editor()
    )
    assert fts_tags() == " ".join(f"_{word}" for word in entry_tags.split())
    assert backend.search(query).count == 1
    # The cleanup trigger is back: deleting the firm empties the FTS table.
    firm.delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM suppliers_firm_fts")
        assert cursor.fetchone()[0] == 0


match_migration = importlib.import_module("suppliers.migrations.0012_match_entry")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the match entries are PostgreSQL's")
def test_migration_0012_fills_the_match_entries_as_the_index_does(reference_data):
    firms, backend = painters_indexed()

    def entries():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT firm_id, words::text, tags::text FROM suppliers_firmmatchentry"
                " ORDER BY firm_id"
            )
            return cursor.fetchall()

    expected = entries()
    assert [row[0] for row in expected] == [firms[0].pk, firms[1].pk]  # published firms only
    assert "'mgm0505'" in expected[0][2] and "dgm" not in expected[0][2]  # no nearby words
    assert "'schilder'" in expected[0][1]

    FirmMatchEntry.objects.all().delete()
    Editor().execute(match_migration.FILL)

    assert entries() == expected
    found = backend.search(SearchQuery(near=firms[0].municipality, text="verf", limit=100))
    assert "Verf & Co" in [hit.name for hit in found.hits]
    assert found.count == len(found.hits)  # counted on the match entries: the hidden firm is not
