"""Make the audit log append-only in the database itself, not only through the ORM.

UPDATE is refused on SQLite and PostgreSQL; DELETE is refused on PostgreSQL. (Test databases are
emptied with TRUNCATE on PostgreSQL, which these row triggers do not see; SQLite empties tables with
DELETE, so there the ORM guards alone refuse deletion.)
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION marketplace_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER marketplace_auditevent_append_only
    BEFORE UPDATE OR DELETE ON marketplace_auditevent
    FOR EACH ROW EXECUTE FUNCTION marketplace_audit_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS marketplace_auditevent_append_only ON marketplace_auditevent;
DROP FUNCTION IF EXISTS marketplace_audit_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER marketplace_auditevent_no_update BEFORE UPDATE ON marketplace_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS marketplace_auditevent_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
