"""Events: RSVP for signed-in users with places and a waiting list, and an iCalendar file."""

from __future__ import annotations

import pytest

from cms.models import Rsvp
from tests.cms.conftest import make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def rsvp(client, event, **data):
    return client.post(f"{event.url}aanmelden/", data, follow=True)


def test_a_signed_in_firm_user_signs_up_and_is_told(client, event_index, firm_user, firm):
    event = make_event(event_index, "Netwerkavond")
    client.force_login(firm_user)

    response = rsvp(client, event)

    content = response.content.decode()
    saved = Rsvp.objects.get(event=event, user=firm_user)
    assert "Je bent aangemeld: tot dan!" in content
    assert saved.status == Rsvp.Status.ATTENDING
    assert saved.organisation == firm.organisation


def test_rsvp_twice_is_one_rsvp(client, event_index, firm_user):
    event = make_event(event_index, "Netwerkavond")
    client.force_login(firm_user)

    rsvp(client, event)
    rsvp(client, event)

    assert Rsvp.objects.filter(event=event, user=firm_user).count() == 1


def test_a_full_event_puts_the_next_rsvp_on_the_waiting_list_and_says_so(client, event_index):
    event = make_event(event_index, "Klein ontbijt", capacity=1)
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    rsvp(client, event)
    client.force_login(second)

    response = rsvp(client, event)

    assert "je staat op de wachtlijst" in response.content.decode()
    assert Rsvp.objects.get(user=second).status == Rsvp.Status.WAITING
    assert "Vol: je kunt op de wachtlijst" in client.get(event.url).content.decode()


def test_a_cancelled_place_goes_to_the_first_on_the_waiting_list(client, event_index):
    event = make_event(event_index, "Klein ontbijt", capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    for user in (first, second, third):
        client.force_login(user)
        rsvp(client, event)

    client.force_login(first)
    rsvp(client, event, cancel="1")

    statuses = dict(Rsvp.objects.values_list("user_id", "status"))
    assert statuses[first.pk] == Rsvp.Status.CANCELLED
    assert statuses[second.pk] == Rsvp.Status.ATTENDING
    assert statuses[third.pk] == Rsvp.Status.WAITING


def test_an_anonymous_visitor_is_asked_to_log_in_and_nothing_is_saved(client, event_index):
    event = make_event(event_index, "Netwerkavond")

    response = client.post(f"{event.url}aanmelden/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not Rsvp.objects.exists()
    assert "Log in om je aan te melden" in client.get(event.url).content.decode()


def test_rsvp_by_get_is_refused(client, event_index, firm_user):
    event = make_event(event_index, "Netwerkavond")
    client.force_login(firm_user)

    assert client.get(f"{event.url}aanmelden/").status_code == 405
    assert not Rsvp.objects.exists()


def test_the_event_has_an_icalendar_file(client, event_index):
    event = make_event(event_index, "Netwerkavond, met borrel")

    response = client.get(f"{event.url}agenda.ics")

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Netwerkavond\\, met borrel\r\n" in body
    assert f"DTSTART:{event.start.strftime('%Y%m%dT%H%M%S')}Z" in body
    assert "LOCATION:Villa Augustus\\, Dordrecht\\, Oranjelaan 7" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_an_unpublished_event_has_no_page_and_no_calendar_file(client, event_index):
    event = make_event(event_index, "Afgelast")
    url = event.url
    event.unpublish()

    assert client.get(url).status_code == 404
    assert client.get(f"{url}agenda.ics").status_code == 404
