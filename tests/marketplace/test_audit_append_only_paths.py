"""Every other path by which an audit event could be changed or deleted, refused (issue 5 point 5).

``test_audit_log.py`` covers ``save()`` again, ``delete()``, ``QuerySet.update/delete`` and raw SQL;
here: the ORM's side doors (bulk_update, upserts, update_or_create, the base manager, fixtures),
deleting what an event points at, and every URL of the site, the admin and the API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from marketplace.api import api
from marketplace.models import AuditEvent, AuditLogIsAppendOnly
from marketplace.services import audit_record
from tenders.models import Tender
from tests.tenders.factories import TenderFactory

pytestmark = pytest.mark.django_db

REFUSED = (AuditLogIsAppendOnly, DatabaseError)
WRITE_METHODS = ("post", "put", "patch", "delete")


@pytest.fixture
def event(buyer, buyer_org) -> AuditEvent:
    return audit_record(
        action="tender.published",
        actor=buyer,
        organisation=buyer_org,
        obj=buyer_org,
        details={"reference": "DORD-2026-0001"},
    )


def snapshot() -> list[tuple]:
    """Every audit event, every column, in a fixed order."""
    return list(
        AuditEvent.objects.order_by("pk").values_list(
            "pk",
            "created_at",
            "actor_id",
            "actor_label",
            "organisation_id",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "details",
        )
    )


def refused(attempt) -> None:
    """Run ``attempt`` in its own savepoint and demand that it is refused."""
    with pytest.raises(REFUSED), transaction.atomic():
        attempt()


# The ORM's side doors ----------------------------------------------------------------------------


def test_bulk_update_is_refused(event):
    before = snapshot()
    event.action = "nothing.happened"

    refused(lambda: AuditEvent.objects.bulk_update([event], ["action"]))

    assert snapshot() == before


def test_update_or_create_cannot_change_an_existing_event(event):
    before = snapshot()

    refused(lambda: AuditEvent.objects.update_or_create(pk=event.pk, defaults={"action": "x"}))

    assert snapshot() == before


@pytest.mark.parametrize(
    "options", [{"force_update": True}, {"update_fields": ["action"]}, {"force_insert": False}]
)
def test_saving_with_any_option_cannot_change_an_event(event, options):
    before = snapshot()
    event.action = "nothing.happened"

    refused(lambda: event.save(**options))

    assert snapshot() == before


def test_a_new_object_with_an_existing_id_cannot_overwrite_an_event(event, buyer_org):
    before = snapshot()
    impostor = AuditEvent(pk=event.pk, action="nothing.happened", organisation=buyer_org)

    refused(impostor.save)

    assert snapshot() == before


def test_an_upsert_cannot_overwrite_an_event(event, buyer_org):
    before = snapshot()
    impostor = AuditEvent(pk=event.pk, action="nothing.happened", organisation=buyer_org)

    refused(
        lambda: AuditEvent.objects.bulk_create(
            [impostor], update_conflicts=True, unique_fields=["id"], update_fields=["action"]
        )
    )

    assert snapshot() == before


def test_the_base_manager_cannot_change_an_event(event):
    """Django's plain base manager skips the queryset guard; the database still refuses."""
    before = snapshot()

    refused(lambda: AuditEvent._base_manager.filter(pk=event.pk).update(action="x"))

    assert snapshot() == before


def test_the_base_manager_cannot_delete_an_event(event):
    before = snapshot()

    refused(lambda: AuditEvent._base_manager.filter(pk=event.pk).delete())

    assert snapshot() == before


def test_loading_a_fixture_cannot_overwrite_an_event(event, tmp_path):
    """``manage.py loaddata`` saves raw, past ``AuditEvent.save``; the database still refuses."""
    before = snapshot()
    fixture = tmp_path / "rewrite.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "marketplace.auditevent",
                    "pk": event.pk,
                    "fields": {
                        "created_at": (event.created_at - timedelta(days=365)).isoformat(),
                        "actor_label": "niemand@example.org",
                        "action": "nothing.happened",
                        "details": {},
                    },
                }
            ]
        )
    )

    refused(lambda: call_command("loaddata", str(fixture), verbosity=0))

    assert snapshot() == before


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("created_at", "2000-01-01 00:00:00"),
        ("actor_label", "niemand@example.org"),
        ("details", "{}"),
        ("organisation_id", None),
    ],
)
def test_the_database_refuses_a_raw_update_of_any_column_of_one_event(event, column, value):
    before = snapshot()

    def attempt():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE marketplace_auditevent SET {column} = %s WHERE id = %s",  # noqa: S608
                [value, event.pk],
            )

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        attempt()

    assert snapshot() == before


# What an event points at -------------------------------------------------------------------------


def test_the_organisation_of_an_event_cannot_be_deleted(event, buyer_org):
    before = snapshot()

    with pytest.raises(ProtectedError), transaction.atomic():
        buyer_org.delete()

    assert snapshot() == before


def test_the_person_of_an_event_cannot_be_deleted(event, buyer):
    before = snapshot()

    with pytest.raises(ProtectedError), transaction.atomic():
        buyer.delete()

    assert snapshot() == before


def test_deleting_a_tender_leaves_its_audit_trail(buyer, buyer_org):
    tender = TenderFactory(buyer=buyer_org)
    audit_record(action="tender.created", actor=buyer, organisation=buyer_org, obj=tender)
    before = snapshot()

    Tender.objects.filter(pk=tender.pk).delete()

    assert snapshot() == before


# URLs, the admin and the API ----------------------------------------------------------------------


def all_routes(patterns=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """Every URL pattern of the site with its full route."""
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes.extend(all_routes(entry.url_patterns, route))
        else:
            routes.append((route, entry))
    return routes


def test_the_only_audit_urls_are_the_four_read_only_pages():
    audit_routes = sorted(route for route, _pattern in all_routes() if "audit" in route.lower())

    assert audit_routes == [
        "organisations/<slug:slug>/audit.csv",
        "organisations/<slug:slug>/audit/",
        "tenders/<int:pk>/audit.csv",
        "tenders/<int:pk>/audit/",
    ]


def test_the_tender_audit_pages_refuse_every_writing_method(client, buyer, event):
    tender = TenderFactory(buyer=event.organisation)
    audit_record(action="tender.created", organisation=event.organisation, obj=tender)
    client.force_login(buyer)
    before = snapshot()

    for name in ("tenders:audit", "tenders:audit_csv"):
        url = reverse(name, args=[tender.pk])
        for method in WRITE_METHODS:
            assert getattr(client, method)(url).status_code == 405, (name, method)

    assert snapshot() == before


def test_the_organisation_audit_pages_refuse_every_writing_method(client, buyer, buyer_org, event):
    client.force_login(buyer)
    before = snapshot()

    for name in ("organisation_audit", "organisation_audit_csv"):
        url = reverse(name, args=[buyer_org.slug])
        for method in WRITE_METHODS:
            response = getattr(client, method)(url, {"action": "x", "id": event.pk})
            assert response.status_code == 405, (name, method)

    assert snapshot() == before


def test_the_django_admin_is_not_installed():
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert not apps.is_installed("django.contrib.admin")


def test_the_wagtail_admin_offers_no_audit_events(client, reference_data):
    from wagtail.admin.viewsets import viewsets
    from wagtail.snippets.models import get_snippet_models

    from tests.factories import UserFactory

    admin = UserFactory(email="root@dichtbij.example", is_staff=True, is_superuser=True)
    client.force_login(admin)

    assert AuditEvent not in get_snippet_models()
    assert all(getattr(viewset, "model", None) is not AuditEvent for viewset in viewsets.viewsets)
    assert client.get("/admin/snippets/marketplace/auditevent/").status_code == 404
    assert client.get("/admin/marketplace/auditevent/").status_code == 404


def test_the_api_has_no_audit_endpoint():
    paths = api.get_openapi_schema()["paths"]

    assert paths
    assert not [path for path in paths if "audit" in path.lower()]
