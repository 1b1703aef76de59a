"""What each role's dashboard starts with: the next thing to do (DESIGN §2). Buyers: questions to
answer, openings due, awards to decide, drafts to finish; firms: invitations to answer and
deadlines of the tenders they follow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from marketplace.models import Organisation
from suppliers.models import Firm
from tenders.models import Follow, Invitation, Quote, Status, Tender

DASHBOARD_ORDER = [
    Status.DRAFT,
    Status.PUBLISHED,
    Status.CLOSED,
    Status.OPENED,
    Status.AWARDED,
    Status.COMPLETED,
    Status.UNSUCCESSFUL,
    Status.CANCELLED,
]
SOON = timedelta(days=7)


@dataclass
class BuyerOverview:
    """A buyer's tenders by status and what waits for them, most urgent first."""

    groups: list[dict] = field(default_factory=list)
    questions: list[Tender] = field(default_factory=list)
    openings_due: list[Tender] = field(default_factory=list)
    awards_due: list[Tender] = field(default_factory=list)
    drafts: list[Tender] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(group["tenders"]) for group in self.groups)

    @property
    def waiting(self) -> int:
        return sum(tender.unanswered for tender in self.questions)

    @property
    def has_next_steps(self) -> bool:
        return bool(self.questions or self.openings_due or self.awards_due or self.drafts)


def _by_deadline(tender: Tender) -> datetime:
    return tender.quote_deadline or timezone.now().replace(year=9999)


def buyer_overview(organisations: list[Organisation]) -> BuyerOverview:
    """The organisations' tenders grouped by status, with the next things to do."""
    tenders = list(
        Tender.objects.filter(buyer__in=organisations)
        .select_related("buyer")
        .annotate(unanswered=Count("questions", filter=Q(questions__answered_at__isnull=True)))
        .order_by("-created_at", "-pk")
    )
    by_status: dict[str, list[Tender]] = {status: [] for status in DASHBOARD_ORDER}
    for tender in tenders:
        by_status[tender.effective_status].append(tender)
    for status in (Status.PUBLISHED, Status.CLOSED):
        by_status[status].sort(key=_by_deadline)
    return BuyerOverview(
        groups=[
            {"status": status, "label": Status(status).label, "tenders": rows}
            for status, rows in by_status.items()
            if rows
        ],
        questions=sorted((t for t in tenders if t.unanswered), key=_by_deadline),
        openings_due=by_status[Status.CLOSED],
        awards_due=by_status[Status.OPENED],
        drafts=by_status[Status.DRAFT],
    )


@dataclass(frozen=True)
class FirmNextStep:
    """A tender the firm may still quote for, and why it is on the list."""

    tender: Tender
    invited: bool
    closes_soon: bool


def firm_next_steps(firm: Firm, *, now: datetime | None = None) -> list[FirmNextStep]:
    """Open tenders the firm was invited to or follows and has not quoted for, soonest first."""
    now = now or timezone.now()
    quoted = set(Quote.objects.filter(firm=firm).values_list("tender_id", flat=True))
    invited = set(
        Invitation.objects.filter(firm=firm, sent_at__isnull=False).values_list(
            "tender_id", flat=True
        )
    )
    followed = set(Follow.objects.filter(firm=firm).values_list("tender_id", flat=True))
    tenders = (
        Tender.objects.filter(pk__in=(invited | followed) - quoted, status=Status.PUBLISHED)
        .filter(quote_deadline__gt=now)
        .select_related("buyer")
        .order_by("quote_deadline", "pk")
    )
    return [
        FirmNextStep(
            tender=tender,
            invited=tender.pk in invited,
            closes_soon=tender.quote_deadline - now <= SOON,
        )
        for tender in tenders
    ]
