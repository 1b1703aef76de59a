"""A tender's audit trail for its buying organisation: the words for tenders' actions, which events
it shows, and how their details read (issue 5 point 5, DESIGN §4.5)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace import formats
from marketplace.models import AuditEvent
from suppliers.models import Firm
from tenders.models import Procedure, Tender
from tenders.selectors.vault import vault_is_open

TENDER_OBJECT_TYPE = Tender._meta.label_lower

# The words for the actions tenders records (registered in TendersConfig.ready).
AUDIT_ACTION_LABELS = {
    "tender.created": _("Tender created"),
    "tender.updated": _("Tender changed"),
    "tender.published": _("Tender published"),
    "tender.cancelled": _("Tender cancelled"),
    "tender.extended": _("Deadline extended"),
    "tender.rectified": _("Tender rectified"),
    "tender.criteria_changed": _("Award criteria changed"),
    "tender.lots_changed": _("Lots changed"),
    "policy.changed": _("Procurement policy changed"),
    "tender.document_added": _("Document added"),
    "tender.document_deleted": _("Document removed"),
    "tender.followed": _("Tender followed"),
    "tender.unfollowed": _("Tender no longer followed"),
    "tender.question_asked": _("Question asked"),
    "tender.question_answered": _("Question answered"),
    "tender.answers_published": _("Answers published"),
    "tender.closed": _("Tender closed"),
    "procurement_policy.changed": _("Invitation and opening rules changed"),
    "invitation.proposed": _("Shortlist proposed"),
    "invitation.replaced": _("Invited firm replaced"),
    "invitation.added": _("Firm added to the invitations"),
    "invitation.removed": _("Firm removed from the invitations"),
    "invitation.sent": _("Invitations sent"),
    "quote.submitted": _("Quote submitted"),
    "quote.replaced": _("Quote replaced"),
    "quote.withdrawn": _("Quote withdrawn"),
    "quote.refused": _("Quote refused"),
    "vault.access_refused": _("Attempt to read sealed quotes refused"),
    "vault.opening_requested": _("Opening of the quotes requested"),
    "vault.opening_confirmed": _("Opening of the quotes confirmed"),
    "vault.opening_refused": _("Opening of the quotes refused"),
    "vault.opened": _("Quotes opened"),
    "quote.file_downloaded": _("Quote document downloaded"),
    "vault.quotes_viewed": _("Opened quotes viewed"),
    "evaluation.scored": _("Quotes scored"),
    "quote.excluded": _("Quote excluded"),
    "tender.awarded": _("Award decision taken"),
    "tender.completed": _("Contract recorded"),
    "tender.unsuccessful": _("Tender ended without award"),
}

# Audit actions about firms' quotes: recorded with the firm as organisation and the tender as
# object; shown to the buyer organisation only once the vault is opened (nobody may even count
# quotes before that, DESIGN §4.5).
SEALED_AUDIT_ACTIONS = ("quote.submitted", "quote.replaced", "quote.withdrawn")

# The words for the keys services put in ``details``; an unknown key reads as itself.
DETAIL_LABELS = {
    "reference": _("reference"),
    "title": _("title"),
    "reason": _("reason"),
    "previous_status": _("previous status"),
    "procedure": _("procedure"),
    "fields": _("fields"),
    "changed": _("changed"),
    "summary": _("summary"),
    "criteria": _("criteria"),
    "criterion": _("criterion"),
    "lots": _("lots"),
    "document": _("document"),
    "filename": _("file name"),
    "files": _("files"),
    "sha256": _("SHA-256"),
    "question": _("question"),
    "questions": _("questions"),
    "quote_deadline": _("deadline for quotes"),
    "question_deadline": _("deadline for questions"),
    "quote_deadline_before": _("previous deadline for quotes"),
    "question_deadline_before": _("previous deadline for questions"),
    "firm": _("firm"),
    "firms": _("firms"),
    "quotes": _("quotes"),
    "receipt": _("receipt number"),
    "replaces": _("replaces"),
    "four_eyes": _("four-eyes opening"),
    "requested_by": _("requested by"),
    "score": _("score"),
    "scores": _("scores"),
    "ranked": _("ranked"),
    "excluded": _("excluded"),
    "standstill_until": _("standstill period ends"),
    "value": _("value (excl. VAT)"),
    "start_date": _("start"),
    "end_date": _("end"),
    "signed_on": _("signed"),
    "page": _("page"),
    "passed_over": _("passed over (rotation)"),
    "emails": _("e-mails sent"),
    "url": _("link"),
    "tender": _("tender"),
    "limit": _("limit"),
    "file": _("file"),
    "what": _("what"),
    "organisation": _("organisation"),
    "number": _("number"),
    "old": _("before"),
    "new": _("after"),
    "length": _("length"),
    "deadline": _("deadline"),
    "at": _("at"),
    "winner": _("winner"),
    "suitable_for_local_smes": _("suitable for local SMEs"),
    "sent": _("sent"),
    "note": _("note"),
    "name": _("name"),
    "municipality": _("municipality"),
    "motivation": _("motivation"),
    "min_local": _("at least this many local firms"),
    "megabytes": _("megabytes"),
    "failed": _("failed"),
    "estimated_value": _("estimated value"),
    "errors": _("errors"),
    "description": _("description"),
    "count": _("count"),
    "contract_type": _("type of contract"),
    "contact_name": _("contact person"),
    "contact_email": _("contact e-mail"),
    "codes": _("codes"),
    "closed": _("closed"),
    "change": _("change"),
    "cancellation_reason": _("reason for cancelling"),
    "buyers_told": _("buyers told"),
    "blocked": _("blocked"),
    "bands": _("bands"),
    "award": _("award"),
    "additional_cpv": _("other CPV codes"),
    "place_of_performance": _("place of performance"),
    "problem": _("problem"),
    "previous": _("before"),
}
# Internal keys that mean nothing to a reader of the trail (kept in the record and the CSV).
HIDDEN_DETAILS = frozenset({"seed"})
# Keys whose values are lists of the tender's field names, shown as the fields' own labels.
FIELD_LIST_KEYS = frozenset({"fields", "changed"})
# Keys whose values are lists of KvK numbers, shown as the firms' names.
FIRM_LIST_KEYS = frozenset({"firms", "passed_over"})
PAGE_LABELS = {"quotes": _("opened quotes"), "evaluation": _("evaluation")}

_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def tender_audit_events(tender: Tender) -> QuerySet[AuditEvent]:
    """The tender's events, oldest first. Firms' quote events stay out until the vault is open:
    before that nobody may even count the quotes. Refused attempts always show."""
    events = (
        AuditEvent.objects.filter(object_type=TENDER_OBJECT_TYPE, object_id=str(tender.pk))
        .select_related("organisation", "actor")
        .order_by("created_at", "pk")
    )
    if not vault_is_open(tender):
        events = events.exclude(action__in=SEALED_AUDIT_ACTIONS)
    return events


def _moment_text(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(moment):
        return value
    return formats.moment(moment)


def detail_value_text(value: Any) -> str:
    """One value of an event's details in words: lists joined, moments as local times."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dict):
        return "; ".join(f"{key}: {detail_value_text(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, list | tuple) and len(item) == 2 for item in value):
            # Pairs such as the award criteria: [["Prijs", 40], ...] → "Prijs (40)".
            return ", ".join(f"{detail_value_text(a)} ({detail_value_text(b)})" for a, b in value)
        return ", ".join(detail_value_text(item) for item in value)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        return _moment_text(value)
    if isinstance(value, str) and _ISO_DAY.match(value):
        return formats.day(date.fromisoformat(value))
    return str(value)


def audit_details(details: dict[str, Any]) -> list[tuple[str, str]]:
    """An event's details as (label, text) pairs, in the order they were recorded."""
    if not isinstance(details, dict):
        return [("", detail_value_text(details))]
    return [
        (str(DETAIL_LABELS.get(key, key.replace("_", " "))), _value_text(key, value))
        for key, value in details.items()
        if key not in HIDDEN_DETAILS
    ]


def field_label(name: str) -> str:
    """A tender field's own label ("geschatte waarde (minimum)"), not its name in the code."""
    if name == "lots":
        return str(_("lots"))
    try:
        return str(Tender._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return str(DETAIL_LABELS.get(name, name.replace("_", " ")))


def _firm_names(kvk_numbers: list[str]) -> str:
    names = dict(
        Firm.objects.filter(kvk_number__in=kvk_numbers).values_list(
            "kvk_number", "organisation__name"
        )
    )
    return ", ".join(names.get(number, number) for number in kvk_numbers)


def _value_text(key: str, value: Any) -> str:
    if key in FIELD_LIST_KEYS and isinstance(value, list):
        return ", ".join(field_label(str(name)) for name in value) or "–"
    if key in FIRM_LIST_KEYS and isinstance(value, list):
        return _firm_names([str(number) for number in value]) or "–"
    if key == "procedure" and value in Procedure.values:
        return str(Procedure(value).label)
    if key == "page" and value in PAGE_LABELS:
        return str(PAGE_LABELS[value])
    if key == "firm" and isinstance(value, int):
        # Quote events record the firm by id; its name reads better (and may have changed).
        name = Firm.objects.filter(pk=value).values_list("organisation__name", flat=True).first()
        return name or str(value)
    if key == "value" and isinstance(value, int | float | str):
        try:
            return formats.euro(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    return detail_value_text(value)


def audit_details_text(details: dict[str, Any]) -> str:
    """An event's details on one line: "reason: ...; fields: title, description"."""
    return "; ".join(
        f"{label}: {text}" if label else text for label, text in audit_details(details)
    )


def audit_actor_text(event: AuditEvent, tender: Tender) -> str:
    """Who acted, as the buyer's trail shows it: a colleague by name, a person of another
    organisation (a firm) not by name or address — the organisation column says who it was."""
    if event.actor_id is None:
        return event.actor_label or gettext("system")
    if event.organisation_id not in (None, tender.buyer_id):
        return gettext("a member of this organisation")
    return event.actor.get_full_name() or event.actor_label
