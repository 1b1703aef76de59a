"""The tenders' notifications survive their move to the outbox (tenders migration 0010): every
row keeps its id, key, text and state, and its tender and change become its topic."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from marketplace.outbox.models import Message
from marketplace.outbox.services import message_write
from tenders.models import Procedure, TenderChange
from tests.factories import UserFactory
from tests.tenders.factories import TenderFactory

BEFORE = [("tenders", "0009_notification_claim"), ("marketplace", "0004_outbox_message")]
AFTER = [("tenders", "0010_notifications_to_outbox")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_rows_move_with_their_state_and_come_back(buyer_org):
    dana, erik = UserFactory(email="dana@firma.example"), UserFactory(email="erik@elders.example")
    tender = TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.NATIONAL)
    change = TenderChange.objects.create(tender=tender, kind="extended", summary="Verlengd.")
    sent_at = timezone.now() - timedelta(days=1)
    try:
        old = migrate(BEFORE).get_model("tenders", "Notification")
        old.objects.create(
            id=41, key="change:1:user:1", recipient_id=dana.pk, tender_id=tender.pk,
            change_id=change.pk, subject="Verlengd", body="Tekst", sent_at=sent_at, attempts=1,
        )  # fmt: skip
        old.objects.create(
            id=42, key="award:1:user:2", recipient_id=erik.pk, tender_id=tender.pk,
            subject="Gegund", body="Tekst", attempts=5, failed_at=sent_at, last_error="550",
        )  # fmt: skip
        old.objects.create(id=43, key="test:3", recipient_id=dana.pk, subject="Los", body="Tekst")

        migrate(AFTER)
        rows = {row.pk: row for row in Message.objects.all()}
        assert sorted(rows) == [41, 42, 43]
        assert (rows[41].topic, rows[41].recipient, rows[41].sent_at) == (
            f"tender:{tender.pk}/change:{change.pk}",
            dana,
            sent_at,
        )
        assert (rows[42].topic, rows[42].is_failed, rows[42].last_error) == (
            f"tender:{tender.pk}",
            True,
            "550",
        )
        assert (rows[43].topic, rows[43].key, rows[43].to_address) == ("", "test:3", "")
        assert list(Message.objects.pending()) == [rows[43]]
        # New rows get new ids after the copied ones (PostgreSQL's sequence was moved on).
        message_write(key="new", to_address="info@kwast.example", subject="s", body="b")
        assert Message.objects.get(key="new").pk > 43

        old = migrate(BEFORE).get_model("tenders", "Notification")
        back = {row.pk: row for row in old.objects.all()}
        assert sorted(back) == [41, 42, 43]  # the row to a plain address has no place there
        assert (back[41].tender_id, back[41].change_id) == (tender.pk, change.pk)
        assert (back[42].tender_id, back[42].change_id, back[42].attempts) == (tender.pk, None, 5)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
