"""State changes of the association's pages: RSVPs for events, the booklet's rebuild."""

from __future__ import annotations

from django.db import transaction

from cms.models import EventPage, Rsvp
from marketplace.models import Organisation, User


@transaction.atomic
def rsvp_create(*, event: EventPage, user: User, organisation: Organisation | None = None) -> Rsvp:
    """Sign the user up for the event: a place while there is one, else the waiting list.

    Signing up twice keeps the one RSVP (and its place in the queue)."""
    # Lock the event so two last-minute RSVPs cannot both take the final place.
    EventPage.objects.select_for_update().filter(pk=event.pk).first()
    rsvp = Rsvp.objects.filter(event=event, user=user).first()
    if rsvp is not None and rsvp.status != Rsvp.Status.CANCELLED:
        return rsvp
    attending = event.rsvps.filter(status=Rsvp.Status.ATTENDING).count()
    full = event.capacity is not None and attending >= event.capacity
    status = Rsvp.Status.WAITING if full else Rsvp.Status.ATTENDING
    if rsvp is None:
        return Rsvp.objects.create(event=event, user=user, organisation=organisation, status=status)
    rsvp.status = status
    rsvp.organisation = organisation
    rsvp.save(update_fields=["status", "organisation", "updated_at"])
    return rsvp


@transaction.atomic
def rsvp_cancel(*, event: EventPage, user: User) -> Rsvp | None:
    """Cancel the user's RSVP; a freed place goes to the first on the waiting list."""
    EventPage.objects.select_for_update().filter(pk=event.pk).first()
    rsvp = Rsvp.objects.filter(event=event, user=user).exclude(status=Rsvp.Status.CANCELLED).first()
    if rsvp is None:
        return None
    was_attending = rsvp.status == Rsvp.Status.ATTENDING
    rsvp.status = Rsvp.Status.CANCELLED
    rsvp.save(update_fields=["status", "updated_at"])
    if was_attending:
        first = event.rsvps.filter(status=Rsvp.Status.WAITING).order_by("created_at", "pk").first()
        if first is not None:
            first.status = Rsvp.Status.ATTENDING
            first.save(update_fields=["status", "updated_at"])
    return rsvp
