"""What the vault records (DESIGN §4.5: every access and every attempt before the opening is
logged and visible to the buyer organisation)."""

from __future__ import annotations

from marketplace.models import User
from marketplace.services import audit_record
from tenders.models import Tender


def vault_access_record(*, tender: Tender, by: User, page: str) -> None:
    """Record that a buyer read the opened quotes on ``page`` (every access is logged)."""
    audit_record(
        action="vault.quotes_viewed",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"page": page},
    )


def vault_refusal_record(*, tender: Tender, by: User, what: str) -> None:
    """Record an attempt to read the quotes of a tender whose vault is not open."""
    audit_record(
        action="vault.access_refused",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"what": what},
    )
