"""The award decision: to the quote ranked first, with a motivation, the standstill period,
and an e-mail to every bidder (the winner that it won, the others their own rank and points and
the winner's, never another bidder's name)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace import formats
from marketplace.models import User
from marketplace.services import audit_record
from tenders import caching
from tenders.alerts.models import Event
from tenders.alerts.services import alert_matches_write
from tenders.models import (
    Award,
    Quote,
    Status,
    Tender,
    TenderChange,
)
from tenders.notifications import notification_rows, notifications_queue, notifications_write
from tenders.selectors.award import ranking_snapshot, standstill_end, tender_ranking
from tenders.selectors.memberships import firm_members
from tenders.services.award.guards import lock, require_buyer, require_opened

SCORES_MISSING = _("Give every quote a score on every quality criterion before the award.")
NO_VALID_QUOTES = _("There is no valid quote to award.")
NOT_RANKED_FIRST = _(
    "Only the quote ranked first can be awarded. If it cannot win, exclude it with a reason."
)
MOTIVATION_REQUIRED = _("Give the motivation of the award; every bidder will read it.")
AWARDED_SUMMARY = _("Awarded to %(firm)s for %(value)s (excl. VAT).")
STANDSTILL_SUMMARY = _("The standstill period ends %(date)s.")
AWARD_WON_SUBJECT = _("%(reference)s: your quote wins the award")
AWARD_LOST_SUBJECT = _("%(reference)s: award decision")


@transaction.atomic
def tender_award(
    *, tender: Tender, by: User, quote: Quote, motivation: str, now: datetime | None = None
) -> Award:
    """Award an opened tender to the quote ranked first and tell every bidder the outcome."""
    require_buyer(by, tender)
    lock(tender)
    require_opened(tender)
    now = now or timezone.now()
    motivation = (motivation or "").strip()
    if not motivation:
        raise ValidationError({"motivation": ValidationError(MOTIVATION_REQUIRED)})
    with translation.override(settings.LANGUAGE_CODE):
        ranking = tender_ranking(tender)  # the formula kept in the site's language
    if not ranking.rows:
        raise ValidationError(NO_VALID_QUOTES, code="no_quotes")
    if ranking.missing:
        raise ValidationError(SCORES_MISSING, code="scores_missing")
    first = ranking.first
    if first.bid.quote_id != quote.pk:
        raise ValidationError(NOT_RANKED_FIRST, code="not_first")
    quote = Quote.objects.select_related("firm__organisation").get(pk=quote.pk)
    award = Award.objects.create(
        tender=tender,
        quote=quote,
        firm=quote.firm,
        value=first.price,
        motivation=motivation,
        ranking=ranking_snapshot(ranking),
        formula=ranking.formula,
        decided_by=by,
        decided_at=now,
        standstill_until=standstill_end(tender, now),
    )
    tender.status = Status.AWARDED
    tender.save(update_fields=["status", "updated_at"])
    alert_matches_write(tender=tender, event=Event.AWARDED)
    caching.list_changed()
    audit_record(
        action="tender.awarded",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={
            "firm": quote.firm.name,
            "receipt": quote.receipt_code,
            "ranked": len(ranking.rows),
            "excluded": len(ranking.excluded),
            "standstill_until": award.standstill_until.isoformat()
            if award.standstill_until
            else None,
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            gettext(AWARDED_SUMMARY) % {"firm": quote.firm.name, "value": formats.euro(award.value)}
        ]
        if award.standstill_until:
            lines.append(
                gettext(STANDSTILL_SUMMARY) % {"date": formats.moment(award.standstill_until)}
            )
    change = TenderChange.objects.create(
        tender=tender,
        kind=TenderChange.Kind.AWARDED,
        summary=" ".join(lines),
        created_by=by,
        created_at=now,
    )
    bidders = _tell_bidders_of_award(award)
    notifications_write(change=change, exclude=bidders)  # the bidders got their own e-mail
    return award


def _tell_bidders_of_award(award: Award) -> set[int]:
    """One e-mail to each member of every bidding firm: the winner that it won, the others their
    own rank and points and the winner's (never another bidder's name). Returns who was told."""
    tender = award.tender
    url = settings.SITE_URL.rstrip("/") + reverse("tenders:detail", args=[tender.pk])
    ranking = award.ranking
    winner = next(row for row in ranking if row["quote"] == award.quote_id)
    ranked = sum(1 for row in ranking if row["rank"] is not None)
    members = firm_members(row["firm"] for row in ranking)
    notifications, told = [], set()
    with translation.override(settings.LANGUAGE_CODE):
        for row in ranking:
            won = row["quote"] == award.quote_id
            context = {
                "tender": tender,
                "award": award,
                "own": row,
                "winner": winner,
                "ranked": ranked,
                "url": url,
            }
            template = "award_won.txt" if won else "award_lost.txt"
            body = render_to_string(f"tenders/email/{template}", context)
            subject = (AWARD_WON_SUBJECT if won else AWARD_LOST_SUBJECT) % {
                "reference": tender.reference
            }
            users = members[row["firm"]]
            told.update(user.pk for user in users)
            notifications += notification_rows(
                key=f"award:{award.pk}", users=users, tender=tender, subject=subject, body=body
            )
    notifications_queue(rows=notifications)
    return told
