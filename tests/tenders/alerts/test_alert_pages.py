"""The /alerts/ pages: saving a search from /tenders/, the live count, pause, delete, and other
firms refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.models import CpvCode
from tenders.alerts.models import Subscription
from tenders.alerts.services import subscription_save
from tests.tenders.factories import PAINTING

pytestmark = pytest.mark.django_db


@pytest.fixture
def painting_alert(firm, firm_user):
    return subscription_save(
        user=firm_user, firm=firm.organisation, name="Schilderwerk", query={"cpv": "45440000"}
    )


def test_the_list_offers_save_as_alert_with_the_chosen_filters(client, firm_user):
    client.force_login(firm_user)
    page = client.get("/tenders/?cpv=45440000&q=kozijn").content.decode()
    assert "Bewaar als melding" in page
    assert 'name="cpv" value="45440000"' in page


def test_saving_a_search_keeps_its_filters_and_shows_the_live_count(
    client, firm, firm_user, public
):
    public(main_cpv=CpvCode.objects.get(pk=PAINTING), title="Schilderwerk school")
    public(title="Advies inkoop")  # consulting: does not match
    client.force_login(firm_user)
    form = client.get(reverse("alerts:new") + "?cpv=45440000&procedure=national")
    assert "Bewaar als melding" in form.content.decode()
    response = client.post(
        reverse("alerts:new"),
        {"name": "Schilderwerk", "frequency": "daily", "query": "cpv=45440000"},
        follow=True,
    )
    page = response.content.decode()
    subscription = Subscription.objects.get(user=firm_user)
    assert subscription.query == {"cpv": "45440000"}
    assert subscription.frequency == "daily"
    assert "Schilderwerk" in page and "1 open opdracht" in page


def test_an_empty_search_is_refused_with_a_clear_message(client, firm_user):
    client.force_login(firm_user)
    response = client.post(reverse("alerts:new"), {"name": "Alles", "frequency": "instant"})
    assert "geen filters" in response.content.decode()
    assert not Subscription.objects.exists()


def test_pause_and_delete(client, firm_user, painting_alert):
    client.force_login(firm_user)
    client.post(reverse("alerts:pause", args=[painting_alert.pk]))
    painting_alert.refresh_from_db()
    assert painting_alert.paused
    assert "Gepauzeerd" in client.get(reverse("alerts:list")).content.decode()
    client.post(reverse("alerts:delete", args=[painting_alert.pk]))
    assert not Subscription.objects.exists()


def test_another_firms_member_cannot_see_edit_pause_or_delete_it(
    client, other_firm_user, painting_alert
):
    client.force_login(other_firm_user)
    assert "Schilderwerk" not in client.get(reverse("alerts:list")).content.decode()
    assert client.get(reverse("alerts:edit", args=[painting_alert.pk])).status_code == 404
    assert client.post(reverse("alerts:pause", args=[painting_alert.pk])).status_code == 404
    assert client.post(reverse("alerts:delete", args=[painting_alert.pk])).status_code == 404
    painting_alert.refresh_from_db()
    assert not painting_alert.paused


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(reverse("alerts:list")).status_code == 302
