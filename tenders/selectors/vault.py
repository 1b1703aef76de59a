"""Reading sealed quotes: the only place that unseals (DESIGN §4.5), and the sealed form it reads.

A quote's contents are readable only once its tender's vault is opened (``VaultOpening.opened_at``
is set, which ``tenders.services.opening`` does after the deadline, with four eyes by default).
Before that every function here raises ``VaultSealed``; callers record the attempt in the audit
log (``tenders.services.vault``). There is deliberately no function that counts or lists the
quotes of an unopened tender.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tenders import vault
from tenders.models import Quote, QuoteFile, Tender, VaultOpening

VAULT_SEALED = _("The quotes stay sealed until the vault is opened after the deadline.")


class VaultSealed(Exception):
    """Raised on any attempt to read a quote before its tender's vault is opened."""


@dataclass(frozen=True)
class QuoteContents:
    """What a firm submitted, unsealed."""

    total: Decimal
    lots: dict[int, Decimal] = field(default_factory=dict)
    note: str = ""


def vault_is_open(tender: Tender) -> bool:
    """True once the tender's quotes have been opened (re-read from the database)."""
    return VaultOpening.objects.filter(tender_id=tender.pk, opened_at__isnull=False).exists()


def _require_open(tender_id: int) -> None:
    if not VaultOpening.objects.filter(tender_id=tender_id, opened_at__isnull=False).exists():
        raise VaultSealed(str(VAULT_SEALED))


def sealed_contents(*, tender: Tender, firm_id: int, contents: QuoteContents) -> bytes:
    """The sealed form of a quote's contents, bound to its tender and firm."""
    return vault.seal_json(
        {
            "tender": tender.pk,
            "firm": firm_id,
            "total": str(contents.total),
            "lots": {str(number): str(amount) for number, amount in contents.lots.items()},
            "note": contents.note,
        }
    )


def quote_contents(quote: Quote) -> QuoteContents:
    """The unsealed price(s) and note of a current quote of an opened tender."""
    _require_open(quote.tender_id)
    if not quote.sealed:
        raise VaultSealed("This quote was replaced or withdrawn; its contents are gone.")
    data = vault.unseal_json(quote.sealed)
    if data.get("tender") != quote.tender_id or data.get("firm") != quote.firm_id:
        # A sealed value copied from another quote: refuse rather than show the wrong price.
        raise vault.VaultKeyError("Sealed contents do not belong to this quote.")
    return QuoteContents(
        total=Decimal(data["total"]),
        lots={int(number): Decimal(amount) for number, amount in data.get("lots", {}).items()},
        note=data.get("note", ""),
    )


def quote_file_name(quote_file: QuoteFile) -> str:
    """The original name of a quote's file, once the vault is open."""
    _require_open(quote_file.quote.tender_id)
    return vault.unseal(quote_file.sealed_name).decode()


def quote_file_content(quote_file: QuoteFile) -> bytes:
    """The PDF itself, once the vault is open."""
    _require_open(quote_file.quote.tender_id)
    with quote_file.file.open("rb") as handle:
        return vault.unseal(handle.read())
