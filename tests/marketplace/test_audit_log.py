"""The audit log: who did what for which organisation, visible to that organisation only, and
impossible to change afterwards."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext_lazy

from marketplace.audit import audit_action_label, audit_actions_register
from marketplace.csv_export import csv_download
from marketplace.models import AuditEvent, AuditLogIsAppendOnly
from marketplace.services import audit_record
from marketplace.views import AUDIT_PAGE_SIZE
from tests.factories import OrganisationFactory


def events_for(organisation, count: int, *, prefix: str = "Opdracht") -> None:
    for n in range(count):
        AuditEvent.objects.create(
            organisation=organisation,
            action="firm.updated",
            actor_label="alice@dordrecht.example",
            object_repr=f"{prefix} {n:02d}",
        )


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


# Recording ----------------------------------------------------------------------------------------


def test_audit_record_keeps_who_for_whom_what_on_which_object_and_details(buyer, buyer_org):
    event = audit_record(
        action="organisation.created",
        actor=buyer,
        organisation=buyer_org,
        obj=buyer_org,
        details={"reason": "test"},
    )

    event.refresh_from_db()
    assert event.actor == buyer
    assert event.actor_label == "alice@dordrecht.example"
    assert event.organisation == buyer_org
    assert event.action == "organisation.created"
    assert event.object_type == "marketplace.organisation"
    assert event.object_id == str(buyer_org.pk)
    assert event.object_repr == "Gemeente Dordrecht"
    assert event.details == {"reason": "test"}
    assert event.created_at is not None


def test_an_event_without_a_person_is_recorded_as_the_system(buyer_org):
    event = audit_record(action="organisation.created", organisation=buyer_org)

    assert event.actor is None
    assert event.actor_label == ""
    assert event.object_type == ""
    assert event.details == {}


def test_the_recorded_name_stays_when_the_person_changes_their_address(buyer, buyer_org):
    event = audit_record(action="organisation.created", actor=buyer, organisation=buyer_org)

    buyer.email = "alice.nieuw@dordrecht.example"
    buyer.save()

    event.refresh_from_db()
    assert event.actor_label == "alice@dordrecht.example"


# The audit trail page and CSV ---------------------------------------------------------------------


def test_the_audit_trail_shows_the_own_organisations_events_only(
    client, buyer, other_buyer, buyer_org, other_buyer_org
):
    audit_record(action="organisation.created", actor=buyer, organisation=buyer_org, obj=buyer_org)
    audit_record(
        action="organisation.created",
        actor=other_buyer,
        organisation=other_buyer_org,
        obj=other_buyer_org,
    )
    client.force_login(buyer)

    response = client.get(f"/organisations/{buyer_org.slug}/audit/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "alice@dordrecht.example" in content
    assert "Organisatie aangemaakt" in content
    assert "charlie@zwijndrecht.example" not in content
    assert "Gemeente Zwijndrecht" not in content


def test_an_empty_audit_trail_says_nothing_happened_yet(client, buyer, buyer_org):
    client.force_login(buyer)

    response = client.get(f"/organisations/{buyer_org.slug}/audit/")

    assert "Er is nog niets gebeurd." in response.content.decode()


def test_the_organisation_page_shows_recent_activity(client, buyer, buyer_org):
    audit_record(action="membership.added", actor=buyer, organisation=buyer_org, obj=buyer_org)
    client.force_login(buyer)

    response = client.get(f"/organisations/{buyer_org.slug}/")

    content = response.content.decode()
    assert "Lid toegevoegd" in content
    assert f'href="/organisations/{buyer_org.slug}/audit/"' in content


def test_every_apps_actions_read_as_dutch_words_in_the_trail(client, buyer, buyer_org):
    for action in ("membership.added", "firm.updated", "tender.published", "vault.opened"):
        audit_record(action=action, actor=buyer, organisation=buyer_org, obj=buyer_org)
    client.force_login(buyer)

    content = client.get(f"/organisations/{buyer_org.slug}/audit/").content.decode()

    labels = (
        "Lid toegevoegd",
        "Bedrijfsprofiel bijgewerkt",
        "Opdracht gepubliceerd",
        "Offertes geopend",
    )
    for label in labels:
        assert label in content
    assert "vault.opened" not in content


def test_an_action_nobody_registered_reads_as_itself():
    assert audit_action_label("alerts.sent") == "alerts.sent"


def test_an_app_cannot_rename_another_apps_action():
    with pytest.raises(ImproperlyConfigured, match="tender.published"):
        audit_actions_register({"tender.published": gettext_lazy("Published")})

    assert audit_action_label("tender.published") == "Opdracht gepubliceerd"


def test_a_long_audit_trail_is_split_into_pages_newest_first(client, buyer, buyer_org):
    events_for(buyer_org, AUDIT_PAGE_SIZE + 1)
    client.force_login(buyer)

    first = client.get(f"/organisations/{buyer_org.slug}/audit/").content.decode()
    second = client.get(f"/organisations/{buyer_org.slug}/audit/?page=2").content.decode()

    assert AUDIT_PAGE_SIZE == 50
    assert first.count("<time ") == 50
    assert 'href="?page=2"' in first
    assert "Pagina 1 van 2" in first
    assert f"Opdracht {AUDIT_PAGE_SIZE:02d}" in first
    assert "Opdracht 00" not in first
    assert second.count("<time ") == 1
    assert "Opdracht 00" in second
    assert 'href="?page=1"' in second
    assert "Pagina 2 van 2" in second


def test_a_short_audit_trail_has_no_page_links(client, buyer, buyer_org):
    events_for(buyer_org, 3)
    client.force_login(buyer)

    content = client.get(f"/organisations/{buyer_org.slug}/audit/").content.decode()

    assert content.count("<time ") == 3
    assert "?page=" not in content


def test_the_csv_export_has_a_header_and_only_the_own_events(
    client, buyer, other_buyer, buyer_org, other_buyer_org
):
    audit_record(
        action="organisation.created",
        actor=buyer,
        organisation=buyer_org,
        obj=buyer_org,
        details={"note": "eerste"},
    )
    audit_record(action="organisation.created", actor=other_buyer, organisation=other_buyer_org)
    client.force_login(buyer)

    response = client.get(f"/organisations/{buyer_org.slug}/audit.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="audit-{buyer_org.slug}.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["time", "who", "action", "object_type", "object_id", "object", "details"]
    assert len(rows) == 2
    assert rows[1][1:6] == [
        "alice@dordrecht.example",
        "organisation.created",
        "marketplace.organisation",
        str(buyer_org.pk),
        "Gemeente Dordrecht",
    ]
    assert json.loads(rows[1][6]) == {"note": "eerste"}


def test_the_csv_export_cannot_smuggle_a_formula_into_a_spreadsheet(client, buyer, buyer_org):
    audit_record(
        action="firm.updated",
        actor=buyer,
        organisation=buyer_org,
        obj=None,
        details={"name": '=HYPERLINK("http://evil.example")'},
    )
    evil = OrganisationFactory(name="=1+2", slug="evil")
    audit_record(action="organisation.created", actor=buyer, organisation=buyer_org, obj=evil)
    client.force_login(buyer)

    rows = csv_rows(client.get(f"/organisations/{buyer_org.slug}/audit.csv"))

    objects = [row[5] for row in rows[1:]]
    assert "'=1+2" in objects
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


def test_the_csv_export_holds_every_event_not_only_the_first_page(client, buyer, buyer_org):
    events_for(buyer_org, AUDIT_PAGE_SIZE + 10)
    client.force_login(buyer)

    rows = csv_rows(client.get(f"/organisations/{buyer_org.slug}/audit.csv"))

    assert len(rows) == 1 + AUDIT_PAGE_SIZE + 10


# Append-only --------------------------------------------------------------------------------------


def test_an_audit_event_cannot_be_changed_by_saving_it_again(buyer_org):
    event = audit_record(action="organisation.created", organisation=buyer_org)
    event.action = "nothing.happened"

    with pytest.raises(AuditLogIsAppendOnly):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).action == "organisation.created"


def test_an_audit_event_cannot_be_deleted(buyer_org):
    event = audit_record(action="organisation.created", organisation=buyer_org)

    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_events_cannot_be_changed_or_deleted_in_bulk(buyer_org):
    audit_record(action="organisation.created", organisation=buyer_org)

    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(organisation=buyer_org).update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(organisation=buyer_org).delete()

    assert AuditEvent.objects.get(organisation=buyer_org).action == "organisation.created"


def test_the_database_refuses_a_raw_update_of_the_audit_log(buyer_org):
    event = audit_record(action="organisation.created", organisation=buyer_org)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE marketplace_auditevent SET action = 'x'")

    assert AuditEvent.objects.get(pk=event.pk).action == "organisation.created"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Only PostgreSQL refuses DELETE in the database: SQLite test flushes empty tables with "
    "DELETE, so there the model and queryset guards refuse it (migration 0002).",
)
def test_the_database_refuses_a_raw_delete_from_the_audit_log(buyer_org):
    event = audit_record(action="organisation.created", organisation=buyer_org)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM marketplace_auditevent")

    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+31 78 123", "'+31 78 123"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-2+3", "'-2+3"),
        ("-250,00", "-250,00"),  # a credit note stays a number
        ("1.234,56", "1.234,56"),
        ("Schilder", "Schilder"),
        (42, 42),
    ],
)
def test_every_csv_cell_goes_through_one_guard(cell, written):
    response = csv_download(["a"], [[cell]], filename="x.csv")
    body = b"".join(response.streaming_content).decode()
    [_header, row] = list(csv.reader(io.StringIO(body)))
    assert row == [str(written)]
