"""A tender's releases in order, before their contents are built: at publication, at each recorded
change, and once more when the tender reached a state no change records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tenders.models import Status, Tender, TenderChange
from tenders.ocds.codes import CHANGE_STATUS, CHANGE_TAG, TENDER_STATUS
from tenders.ocds.fields import ocid


@dataclass(frozen=True)
class ReleaseEvent:
    """When a release happened and what it says, before its contents are built."""

    id: str
    date: datetime
    tag: str
    status: str
    change: TenderChange | None = None


def release_events(tender: Tender) -> list[ReleaseEvent]:
    """The tender's releases in order (uses the prefetched ``changes`` when there)."""
    prefix = ocid(tender)
    events = [ReleaseEvent(f"{prefix}-tender", tender.published_at, "tender", "active")]
    for change in sorted(tender.changes.all(), key=lambda c: (c.created_at, c.pk)):
        if change.kind == TenderChange.Kind.PUBLISHED:
            continue  # the "tender" release is the publication
        status = CHANGE_STATUS.get(change.kind, "active")
        tag = CHANGE_TAG.get(change.kind, "tenderUpdate")
        events.append(
            ReleaseEvent(f"{prefix}-change-{change.pk}", change.created_at, tag, status, change)
        )
    current = TENDER_STATUS[Status(tender.status)]
    if current != events[-1].status:
        reached = tender.cancelled_at if tender.cancelled_at else tender.updated_at
        date = max(reached, events[-1].date)
        tag = "tenderCancellation" if current == "cancelled" else "tenderUpdate"
        events.append(ReleaseEvent(f"{prefix}-{current}", date, tag, current))
    return events
