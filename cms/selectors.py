"""Reads with rules for the association's pages: who is coming to an event."""

from __future__ import annotations

from typing import Any

from cms.models import EventPage, Rsvp
from marketplace.models import User


def event_attending_count(event: EventPage) -> int:
    return event.rsvps.filter(status=Rsvp.Status.ATTENDING).count()


def rsvp_of(event: EventPage, user: User) -> Rsvp | None:
    """The user's RSVP for the event, if they gave one (None for anonymous visitors)."""
    if not user.is_authenticated:
        return None
    return event.rsvps.filter(user=user).exclude(status=Rsvp.Status.CANCELLED).first()


def event_rsvp_summary(*, event: EventPage, user: User) -> dict[str, Any]:
    """What the event page shows about places: taken, left, and the visitor's own RSVP."""
    attending = event_attending_count(event)
    places_left = None if event.capacity is None else max(event.capacity - attending, 0)
    return {
        "attending": attending,
        "places_left": places_left,
        "is_full": places_left == 0,
        "my_rsvp": rsvp_of(event, user),
    }
