from django.db import migrations, models

# PostgreSQL: counting matches by tier reads these columns from the index alone (index-only scan)
# instead of the wide rows holding the words and tsvectors.
COVERING = (
    "CREATE INDEX suppliers_firmindexentry_tier_cover ON suppliers_firmindexentry (firm_id)"
    " INCLUDE (municipality_code, region_code, x, y, z, published)"
)


# Fill the copies for entries that already exist (portable SQL: SQLite and PostgreSQL).
FILL = (
    "UPDATE suppliers_firmindexentry SET"
    " municipality_code = (SELECT f.municipality_id FROM suppliers_firm f"
    " WHERE f.organisation_id = suppliers_firmindexentry.firm_id),"
    " region_code = (SELECT m.region_id FROM suppliers_firm f JOIN marketplace_municipality m"
    " ON m.code = f.municipality_id WHERE f.organisation_id = suppliers_firmindexentry.firm_id),"
    " published = (SELECT f.published FROM suppliers_firm f"
    " WHERE f.organisation_id = suppliers_firmindexentry.firm_id)"
)


def covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COVERING)


def drop_covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS suppliers_firmindexentry_tier_cover")


class Migration(migrations.Migration):
    """Copy the tier inputs into the search index entry (services keep them current)."""

    dependencies = [
        ("marketplace", "0001_initial"),
        ("suppliers", "0005_firm_invitations"),
    ]

    operations = [
        migrations.AddField(
            model_name="firmindexentry",
            name="municipality_code",
            field=models.CharField(default="", max_length=6),
        ),
        migrations.AddField(
            model_name="firmindexentry",
            name="region_code",
            field=models.CharField(default="", max_length=40),
        ),
        migrations.AddField(
            model_name="firmindexentry",
            name="published",
            field=models.BooleanField(default=True),
        ),
        migrations.AddIndex(
            model_name="firmindexentry",
            index=models.Index(fields=["municipality_code"], name="firm_index_municipality"),
        ),
        migrations.AddIndex(
            model_name="firmindexentry",
            index=models.Index(fields=["region_code"], name="firm_index_region"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.RunPython(covering_index, drop_covering_index),
    ]
