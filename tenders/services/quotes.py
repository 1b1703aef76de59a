"""Sealed quotes: submitting, replacing and withdrawing until the deadline (DESIGN §4.5).

Everything a firm submits — prices, note, files, file names — is sealed (``tenders.vault``)
before it reaches the database or the disk; only ``tenders.selectors.vault`` unseals it, after
the opening. What stays readable is what the receipt needs: who, when, the SHA-256 and size of each
file. A refusal at the deadline is audited even though nothing else is stored.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace import formats
from marketplace.models import User
from marketplace.services import audit_record
from suppliers.models import Firm
from tenders import vault
from tenders.models import (
    MAX_AMOUNT,
    QUOTE_MAX_FILES,
    QUOTE_NOTE_MAX_LENGTH,
    Quote,
    QuoteFile,
    Status,
    Tender,
    pdf_validate,
)
from tenders.selectors.quotes import accepts_quotes, firm_may_quote
from tenders.selectors.vault import QuoteContents, sealed_contents
from tenders.services.guards import AuditedRefusal, lock, refusals_audited, require_firm_member
from tenders.services.receipts import receipt_send, withdrawal_send

CENT = Decimal("0.01")

NOT_INVITED = _("Only invited firms can send a quote for this tender.")
TENDER_NOT_OPEN = _("This tender does not take quotes.")
DEADLINE_PASSED = _(
    "The deadline for quotes was %(deadline)s. Quotes can no longer be sent, replaced or withdrawn."
)
PRICE_REQUIRED = _("Give your price excl. VAT.")
PRICE_NOT_POSITIVE = _("A price must be more than € 0.")
PRICE_TOO_PRECISE = _("A price has at most two decimals (cents).")
PRICE_TOO_HIGH = _("This price is too high.")
LOT_PRICE_REQUIRED = _("Give a price for at least one lot.")
UNKNOWN_LOT = _("This tender has no lot %(number)s.")
LOTS_NOT_EXPECTED = _("This tender has no lots: give one total price.")
FILES_REQUIRED = _("Add at least one PDF document.")
TOO_MANY_FILES = _("Add at most %(limit)s documents.")
FILE_PROBLEM = _("“%(name)s”: %(problem)s")
NOTE_TOO_LONG = _("Keep the note under %(limit)s characters (it has %(length)s).")
NOTHING_TO_WITHDRAW = _("Your firm has no quote for this tender to withdraw.")


def _require_may_quote(tender: Tender, firm: Firm) -> None:
    if not firm_may_quote(tender, firm):
        raise PermissionDenied(str(NOT_INVITED))


def _check_open(tender: Tender, firm: Firm, by: User, now: datetime, what: str) -> None:
    """Refuse (audited) when the tender no longer takes quotes."""
    if tender.status == Status.PUBLISHED and not accepts_quotes(tender, now):
        deadline = formats.moment(tender.quote_deadline)
        error = ValidationError(
            DEADLINE_PASSED, code="deadline_passed", params={"deadline": deadline}
        )
        audit = {
            "action": "quote.refused",
            "actor": by,
            "organisation": firm.organisation,
            "obj": tender,
            "details": {
                "firm": firm.pk,
                "what": what,
                "at": now.isoformat(),
                "quote_deadline": tender.quote_deadline.isoformat(),
            },
        }
        raise AuditedRefusal(error, audit)
    if not accepts_quotes(tender, now):
        raise ValidationError(TENDER_NOT_OPEN, code="not_open")


def _amount(value: Decimal | None, field: str) -> Decimal:
    if value is None:
        raise ValidationError({field: ValidationError(PRICE_REQUIRED, code="required")})
    value = Decimal(value)
    if value <= 0:
        raise ValidationError({field: ValidationError(PRICE_NOT_POSITIVE, code="not_positive")})
    if value != value.quantize(CENT):
        raise ValidationError({field: ValidationError(PRICE_TOO_PRECISE, code="precision")})
    if value > MAX_AMOUNT:
        raise ValidationError({field: ValidationError(PRICE_TOO_HIGH, code="too_high")})
    return value.quantize(CENT)


def _prices(
    tender: Tender, total: Decimal | None, lots: dict[int, Decimal | None] | None
) -> tuple[Decimal, dict[int, Decimal]]:
    """The checked prices: per lot when the tender has lots (total = their sum), else a total."""
    lot_numbers = set(tender.lots.values_list("number", flat=True))
    given = {int(n): amount for n, amount in (lots or {}).items() if amount is not None}
    if not lot_numbers:
        if given:
            raise ValidationError(LOTS_NOT_EXPECTED, code="no_lots")
        return _amount(total, "total"), {}
    for number in given:
        if number not in lot_numbers:
            raise ValidationError(UNKNOWN_LOT, code="unknown_lot", params={"number": number})
    if not given:
        raise ValidationError(LOT_PRICE_REQUIRED, code="lots_required")
    checked = {n: _amount(amount, f"lot_{n}") for n, amount in sorted(given.items())}
    return sum(checked.values(), Decimal("0.00")), checked


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > QUOTE_NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": ValidationError(
                    NOTE_TOO_LONG,
                    code="max_length",
                    params={"limit": QUOTE_NOTE_MAX_LENGTH, "length": len(note)},
                )
            }
        )
    return note


def _checked_files(files: Sequence[File]) -> list[tuple[File, str]]:
    """Each upload with its SHA-256, after the content check of ``pdf_validate``."""
    files = [f for f in files or () if f is not None]
    if not files:
        raise ValidationError({"files": ValidationError(FILES_REQUIRED, code="required")})
    if len(files) > QUOTE_MAX_FILES:
        raise ValidationError(
            {
                "files": ValidationError(
                    TOO_MANY_FILES, code="too_many", params={"limit": QUOTE_MAX_FILES}
                )
            }
        )
    checked, problems = [], []
    for upload in files:
        try:
            checked.append((upload, pdf_validate(upload)))
        except ValidationError as error:
            for problem in error.messages:
                problems.append(
                    ValidationError(
                        FILE_PROBLEM,
                        code="file",
                        params={"name": _display_name(upload), "problem": problem},
                    )
                )
    if problems:
        raise ValidationError({"files": problems})
    return checked


def _display_name(upload: File) -> str:
    return str(upload.name or "").replace("\\", "/").rsplit("/", 1)[-1] or "document.pdf"


def _read(upload: File) -> bytes:
    upload.seek(0)
    data = b"".join(upload.chunks())
    upload.seek(0)
    return data


def _current_locked(tender: Tender, firm: Firm) -> Quote | None:
    """The firm's current quote, under a row lock until the transaction ends."""
    return (
        Quote.objects.select_for_update()
        .filter(tender=tender, firm=firm, status=Quote.Status.SUBMITTED)
        .first()
    )


def _wipe(quote: Quote) -> None:
    """Remove a quote's sealed contents; its files go from the disk once this is committed."""
    quote.sealed = b""
    names = []
    for quote_file in quote.files.all():
        if quote_file.file.name:
            names.append((quote_file.file.storage, quote_file.file.name))
    quote.files.update(sealed_name=b"")

    def delete() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def quote_submit(
    *,
    tender: Tender,
    firm: Firm,
    by: User,
    total: Decimal | None,
    lots: dict[int, Decimal | None] | None,
    note: str,
    files: Sequence[File],
    now: datetime | None = None,
) -> Quote:
    """Submit (or replace) the firm's sealed quote before the deadline; returns the new quote,
    whose receipt goes to the submitter by e-mail."""
    require_firm_member(by, firm)
    _require_may_quote(tender, firm)
    with refusals_audited(), transaction.atomic():
        # The deadline is judged while holding the tender's row lock, on the recorded status.
        lock(tender)
        now = now or timezone.now()
        _check_open(tender, firm, by, now, "submit")
        total, lot_prices = _prices(tender, total, lots)
        note = _note(note)
        checked = _checked_files(files)
        previous = _current_locked(tender, firm)
        if previous is not None:
            previous.status = Quote.Status.REPLACED
            _wipe(previous)
            previous.save(update_fields=["status", "sealed"])
        quote = Quote.objects.create(
            tender=tender,
            firm=firm,
            receipt_code=_receipt_code(),
            submitted_by=by,
            received_at=now,
            sealed=sealed_contents(
                tender=tender,
                firm_id=firm.pk,
                contents=QuoteContents(total=total, lots=lot_prices, note=note),
            ),
        )
        stored: list[QuoteFile] = []
        try:
            for position, (upload, sha256) in enumerate(checked, start=1):
                stored.append(_store_file(quote, position, upload, sha256))
            if previous is not None:
                previous.replaced_by = quote
                previous.save(update_fields=["replaced_by"])
            audit_record(
                action="quote.replaced" if previous is not None else "quote.submitted",
                actor=by,
                organisation=firm.organisation,
                obj=tender,
                details={
                    "firm": firm.pk,
                    "receipt": quote.receipt_code,
                    "files": len(stored),
                    **({"replaces": previous.receipt_code} if previous is not None else {}),
                },
            )
            receipt_send(quote=quote, by=by, files=stored)
        except BaseException:
            for quote_file in stored:
                quote_file.file.storage.delete(quote_file.file.name)
            raise
    return quote


def _store_file(quote: Quote, position: int, upload: File, sha256: str) -> QuoteFile:
    """Write an upload sealed under a random name; its original name is sealed too."""
    quote_file = QuoteFile(
        quote=quote,
        position=position,
        sealed_name=vault.seal(_display_name(upload).encode()),
        size=upload.size,
        sha256=sha256,
    )
    quote_file.file.save("quote.sealed", ContentFile(vault.seal(_read(upload))), save=False)
    try:
        quote_file.save()
    except BaseException:
        quote_file.file.storage.delete(quote_file.file.name)
        raise
    return quote_file


def _receipt_code() -> str:
    """A random receipt number like ``7F3A-91C2-0B44-D1E8``."""
    while True:
        raw = secrets.token_hex(8).upper()
        code = "-".join(raw[i : i + 4] for i in range(0, 16, 4))
        if not Quote.objects.filter(receipt_code=code).exists():
            return code


def quote_withdraw(*, tender: Tender, firm: Firm, by: User, now: datetime | None = None) -> Quote:
    """Withdraw the firm's current quote before the deadline; its sealed contents are removed."""
    require_firm_member(by, firm)
    _require_may_quote(tender, firm)
    with refusals_audited(), transaction.atomic():
        lock(tender)
        now = now or timezone.now()
        _check_open(tender, firm, by, now, "withdraw")
        quote = _current_locked(tender, firm)
        if quote is None:
            raise ValidationError(NOTHING_TO_WITHDRAW, code="nothing")
        quote.status = Quote.Status.WITHDRAWN
        quote.withdrawn_at = now
        quote.withdrawn_by = by
        _wipe(quote)
        quote.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "sealed"])
        audit_record(
            action="quote.withdrawn",
            actor=by,
            organisation=firm.organisation,
            obj=tender,
            details={"firm": firm.pk, "receipt": quote.receipt_code},
        )
        withdrawal_send(quote=quote, by=by)
    return quote
