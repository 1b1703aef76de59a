"""SQLite: filter words live in the FTS5 table as ``_``-prefixed tokens (``_mgm0505``), which no
text word can be (text words are ``[a-z0-9]+``). Text and filter words then never meet without a
column filter, and column filters, which FTS5 checks position by position, are left for the name
match. The table is rebuilt from its own rows."""

from django.db import migrations

OLD_TOKENIZER = "unicode61 remove_diacritics 2"
NEW_TOKENIZER = "unicode61 remove_diacritics 2 tokenchars ''_''"
TRIGGER = (
    "CREATE TRIGGER suppliers_firm_fts_cleanup AFTER DELETE ON suppliers_firmindexentry"
    " BEGIN DELETE FROM suppliers_firm_fts WHERE rowid = old.firm_id; END"
)


def rebuild(tokenizer: str, tags_sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in [
            # The trigger names the table; SQLite checks triggers when tables come and go.
            "DROP TRIGGER IF EXISTS suppliers_firm_fts_cleanup",
            "CREATE TEMP TABLE suppliers_firm_fts_copy AS"
            " SELECT rowid AS id, name, body, tags FROM suppliers_firm_fts",
            "DROP TABLE suppliers_firm_fts",
            "CREATE VIRTUAL TABLE suppliers_firm_fts USING fts5(name, body, tags,"
            f" tokenize='{tokenizer}', prefix='2 3 4 5 6 7 8 9 10')",
            "INSERT INTO suppliers_firm_fts (rowid, name, body, tags)"
            f" SELECT id, name, body, {tags_sql} FROM suppliers_firm_fts_copy",
            "DROP TABLE suppliers_firm_fts_copy",
            TRIGGER,
        ]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0010_cpv_entry_locations")]

    operations = [
        migrations.RunPython(
            rebuild(NEW_TOKENIZER, "'_' || replace(tags, ' ', ' _')"),
            rebuild(OLD_TOKENIZER, "replace(tags, '_', '')"),
        ),
    ]
