"""A public tender's deadlines as iCalendar, parsed with the icalendar package."""

from __future__ import annotations

import icalendar
import pytest

from tenders.models import Procedure
from tests.tenders.factories import AMSTERDAM_TIME, TenderFactory

pytestmark = pytest.mark.django_db


def test_agenda_has_both_deadlines_in_amsterdam_time_with_stable_uids(client, public):
    tender = public(title="Schilderwerk, school; fase 2")
    first = client.get(f"/tenders/{tender.pk}/agenda.ics")
    assert first["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(first.content)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {
        f"tender-{tender.pk}-questions@dichtbij",
        f"tender-{tender.pk}-quotes@dichtbij",
    }
    quotes = events[f"tender-{tender.pk}-quotes@dichtbij"]
    start = quotes.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Amsterdam"
    assert start == tender.quote_deadline.astimezone(AMSTERDAM_TIME).replace(microsecond=0)
    assert str(quotes["SUMMARY"]) == "Deadline offertes: Schilderwerk, school; fase 2"
    again = icalendar.Calendar.from_ical(client.get(f"/tenders/{tender.pk}/agenda.ics").content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)


def test_invite_only_tenders_have_no_agenda(client, buyer_org):
    secret = TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.SINGLE)
    assert client.get(f"/tenders/{secret.pk}/agenda.ics").status_code == 404
