"""The tenders' notifications move to the shared outbox (marketplace.Message, issue 16 point 3).

Create-copy-delete: every row is copied with its id, key and state (so nothing is sent twice or
lost), its tender and change become the topic ``tender:<id>`` or ``tender:<id>/change:<id>``,
then the old table goes. Backwards copies the rows addressed to a user back."""

from django.core.management.color import no_style
from django.db import migrations

BATCH = 1000
STATE_FIELDS = (
    "id",
    "key",
    "subject",
    "body",
    "created_at",
    "sent_at",
    "attempts",
    "next_attempt_at",
    "last_error",
    "claim",
    "claimed_at",
    "failed_at",
)


def _reset_sequence(schema_editor, model) -> None:
    """Rows were written with their ids: the next id must come after them (PostgreSQL)."""
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    Notification = apps.get_model("tenders", "Notification")
    Message = apps.get_model("marketplace", "Message")
    alias = schema_editor.connection.alias
    rows = Notification.objects.using(alias).order_by("pk").values(
        *STATE_FIELDS, "recipient_id", "tender_id", "change_id"
    )
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        topic = ""
        if row["tender_id"] is not None:
            topic = f"tender:{row['tender_id']}"
            if row["change_id"] is not None:
                topic += f"/change:{row['change_id']}"
        batch.append(
            Message(
                **{name: row[name] for name in STATE_FIELDS},
                recipient_id=row["recipient_id"],
                topic=topic,
                language="nl",
            )
        )
        if len(batch) >= BATCH:
            Message.objects.using(alias).bulk_create(batch)
            batch = []
    Message.objects.using(alias).bulk_create(batch)
    _reset_sequence(schema_editor, Message)


def backwards(apps, schema_editor):
    Notification = apps.get_model("tenders", "Notification")
    Message = apps.get_model("marketplace", "Message")
    Tender = apps.get_model("tenders", "Tender")
    TenderChange = apps.get_model("tenders", "TenderChange")
    alias = schema_editor.connection.alias
    tenders = set(Tender.objects.using(alias).values_list("pk", flat=True))
    changes = set(TenderChange.objects.using(alias).values_list("pk", flat=True))
    batch = []
    rows = Message.objects.using(alias).filter(recipient__isnull=False).order_by("pk")
    for row in rows.values(*STATE_FIELDS, "recipient_id", "topic").iterator(chunk_size=BATCH):
        if len(row["key"]) > 120:
            continue  # the old table's keys were shorter: only the outbox can hold this one
        parts = dict(part.split(":", 1) for part in row["topic"].split("/") if ":" in part)
        tender = int(parts["tender"]) if parts.get("tender", "").isdigit() else None
        change = int(parts["change"]) if parts.get("change", "").isdigit() else None
        batch.append(
            Notification(
                **{name: row[name] for name in STATE_FIELDS},
                recipient_id=row["recipient_id"],
                tender_id=tender if tender in tenders else None,
                change_id=change if change in changes else None,
            )
        )
    Notification.objects.using(alias).bulk_create(batch, batch_size=BATCH)
    Message.objects.using(alias).all().delete()
    _reset_sequence(schema_editor, Notification)


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0009_notification_claim"),
        ("marketplace", "0004_outbox_message"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="Notification"),
    ]
