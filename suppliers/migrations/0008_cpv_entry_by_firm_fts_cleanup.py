"""The CPV-division facet reads a firm's codes from an index; and on SQLite, removing a firm's
index entry (a deleted firm, a flushed table) also removes its row from the FTS5 table, which
counting now relies on without a join."""

from django.db import migrations, models

SQLITE_TRIGGER = (
    "CREATE TRIGGER suppliers_firm_fts_cleanup AFTER DELETE ON suppliers_firmindexentry"
    " BEGIN DELETE FROM suppliers_firm_fts WHERE rowid = old.firm_id; END"
)


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)
        # Rows of entries that are already gone.
        schema_editor.execute(
            "DELETE FROM suppliers_firm_fts WHERE rowid NOT IN"
            " (SELECT firm_id FROM suppliers_firmindexentry WHERE published)"
        )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS suppliers_firm_fts_cleanup")


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0007_index_entry_tags")]

    operations = [
        migrations.AddIndex(
            model_name="firmcpventry",
            index=models.Index(fields=["firm", "code"], name="firm_cpv_entry_by_firm"),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
