"""Filter words in the database search index, so that tiers and filters are counted by the
full-text index itself (issue 3 benchmark): a ``tags`` column on the index entry, a third column in
the SQLite FTS5 table (published firms only), and a GIN-indexed tsvector of them on PostgreSQL."""

import math
import re
import unicodedata

import django.contrib.postgres.search
from django.db import migrations, models

SQLITE_FORWARD = [
    "DROP TABLE IF EXISTS suppliers_firm_fts",
    "CREATE VIRTUAL TABLE suppliers_firm_fts USING fts5("
    "name, body, tags, tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5 6 7 8 9 10')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS suppliers_firm_fts",
    "CREATE VIRTUAL TABLE suppliers_firm_fts USING fts5("
    "name, body, tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO suppliers_firm_fts (rowid, name, body)"
    " SELECT firm_id, name_words, body_words FROM suppliers_firmindexentry",
]
POSTGRES_VECTOR = (
    "UPDATE suppliers_firmindexentry SET tags_vector = strip(to_tsvector('simple', tags))"
)
POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS suppliers_firmindexentry_tags_vector_gin"
    " ON suppliers_firmindexentry USING gin (tags_vector)"
)

# A frozen copy of suppliers.search (tag, grid_cell, size_for) as of this migration.
WORD_RE = re.compile(r"[a-z0-9]+")


def _tag(kind, value):
    decomposed = unicodedata.normalize("NFKD", str(value))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return kind + "".join(WORD_RE.findall(folded))


def _size(employees):
    if employees is None:
        return None
    for size, limit in (("micro", 10), ("small", 50), ("medium", 250)):
        if employees < limit:
            return size
    return "large"


def _unit(latitude, longitude):
    lat, lon = math.radians(latitude), math.radians(longitude)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


RADIUS = (2 * math.sin(25.0 / (2 * 6371.0088))) ** 2  # the default radius, as a squared chord


def _near(point, municipalities):
    x, y, z = point
    return sorted(
        code
        for code, (cx, cy, cz) in municipalities
        if (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= RADIUS
    )


def fill_tags(apps, schema_editor):
    Municipality = apps.get_model("marketplace", "Municipality")
    municipalities = [
        (code, _unit(lat, lon))
        for code, lat, lon in Municipality.objects.values_list("code", "latitude", "longitude")
    ]
    Firm = apps.get_model("suppliers", "Firm")
    FirmIndexEntry = apps.get_model("suppliers", "FirmIndexEntry")
    FirmCpvEntry = apps.get_model("suppliers", "FirmCpvEntry")
    connection = schema_editor.connection
    ids = list(FirmIndexEntry.objects.values_list("firm_id", flat=True))
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        codes = {}
        for firm_id, code in FirmCpvEntry.objects.filter(firm_id__in=chunk).values_list(
            "firm_id", "code"
        ):
            codes.setdefault(firm_id, []).append(code)
        entries = []
        for firm in Firm.objects.filter(pk__in=chunk).select_related("municipality"):
            size = _size(firm.employees)
            row = math.floor(firm.latitude / 0.1)
            column = math.floor(firm.longitude / 0.15)
            words = [
                _tag("m", firm.municipality_id),
                _tag("r", firm.municipality.region_id),
                f"g{row}x{column}".replace("-", "n"),
                *(_tag("c", code) for code in sorted(codes.get(firm.pk, []))),
                *([_tag("s", size)] if size else []),
                *(_tag("k", c.pk) for c in firm.certifications.all()),
                *(["pyes"] if firm.open_to_partnerships else []),
                *(
                    _tag("d", code)
                    for code in _near(_unit(firm.latitude, firm.longitude), municipalities)
                ),
            ]
            entries.append(FirmIndexEntry(firm_id=firm.pk, tags=" ".join(words)))
        FirmIndexEntry.objects.bulk_update(entries, ["tags"])
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_VECTOR)
        # Deferred foreign-key checks of the updates must run before an index can be built.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(POSTGRES_INDEX)
    elif connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
        schema_editor.execute(
            "INSERT INTO suppliers_firm_fts (rowid, name, body, tags)"
            " SELECT firm_id, name_words, body_words, tags FROM suppliers_firmindexentry"
            " WHERE published"
        )


def drop_tags(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0006_index_entry_tier_columns")]

    operations = [
        migrations.AddField(
            model_name="firmindexentry", name="tags", field=models.TextField(default="")
        ),
        migrations.AddField(
            model_name="firmindexentry",
            name="tags_vector",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.RunPython(fill_tags, drop_tags),
    ]
