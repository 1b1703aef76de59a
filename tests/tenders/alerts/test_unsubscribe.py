"""One-click unsubscribe (RFC 8058) and what a delivery would hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.models import CpvCode
from tenders.alerts.models import AlertMatch, Event
from tenders.alerts.selectors import subscription_pending, subscription_unsubscribe_url
from tenders.alerts.services import subscription_save
from tests.tenders.factories import PAINTING

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(firm, firm_user):
    return subscription_save(
        user=firm_user, firm=firm.organisation, name="Schilderwerk", query={"cpv": "45440000"}
    )


def test_the_url_is_absolute_https(alert):
    url = subscription_unsubscribe_url(alert)
    assert url.startswith("https://") and url.endswith(f"/alerts/unsubscribe/{alert.token}/")


def test_get_asks_and_changes_nothing(alert):
    page = Client().get(f"/alerts/unsubscribe/{alert.token}/")
    alert.refresh_from_db()
    assert not alert.paused
    assert "Wil je „Schilderwerk” niet meer ontvangen?" in page.content.decode()


def test_post_without_session_or_csrf_token_stops_it(alert):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/alerts/unsubscribe/{alert.token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    alert.refresh_from_db()
    assert alert.paused
    assert "je krijgt „Schilderwerk” niet meer" in response.content.decode()


def test_a_tampered_token_changes_nothing_and_says_so(alert):
    response = Client().post(f"/alerts/unsubscribe/{alert.token}x/")
    assert response.status_code == 404
    assert "er is niets veranderd" in response.content.decode()
    alert.refresh_from_db()
    assert not alert.paused


def test_pending_keeps_updates_apart_and_lists_the_last_chance(alert, public):
    soon = public(
        main_cpv=CpvCode.objects.get(pk=PAINTING),
        quote_deadline=timezone.now() + timedelta(days=3),
    )
    later = public(
        main_cpv=CpvCode.objects.get(pk=PAINTING),
        quote_deadline=timezone.now() + timedelta(days=30),
    )
    AlertMatch.objects.create(subscription=alert, tender=soon, event=Event.PUBLISHED)
    AlertMatch.objects.create(subscription=alert, tender=later, event=Event.PUBLISHED)
    AlertMatch.objects.create(
        subscription=alert, tender=later, event=Event.EXTENDED, event_key="1", is_update=True
    )
    AlertMatch.objects.create(
        subscription=alert,
        tender=later,
        event=Event.RECTIFIED,
        event_key="2",
        delivered_at=timezone.now(),
    )
    pending = subscription_pending(alert)
    assert [m.tender for m in pending["new"]] == [soon, later]
    assert [m.event for m in pending["updates"]] == [Event.EXTENDED]
    assert {m.tender for m in pending["last_chance"]} == {soon}
