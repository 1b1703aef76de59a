"""The checks most tender services start with: who may act, the tender row held while a
deadline or a status is decided, and refusals that stay in the audit log although the
transaction that found them is rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.models import Organisation, User
from marketplace.selectors import user_may_act_for
from marketplace.services import audit_record
from suppliers.models import Firm
from tenders.models import BUYER_ROLES, Tender


def require_buyer(by: User, tender: Tender) -> None:
    """PermissionDenied unless ``by`` is a buyer of the tender's organisation."""
    if not user_may_act_for(by, tender.buyer, BUYER_ROLES):
        raise PermissionDenied


def require_firm_member(by: User, firm: Firm) -> None:
    """PermissionDenied unless ``by`` acts for this firm."""
    if firm.organisation.kind != Organisation.Kind.FIRM or not user_may_act_for(
        by, firm.organisation
    ):
        raise PermissionDenied


def lock(tender: Tender) -> None:
    """Re-read the tender under a row lock, held until the transaction ends."""
    tender.refresh_from_db(from_queryset=Tender.objects.select_for_update())


class AuditedRefusal(Exception):
    """A refusal that is audited although the transaction that found it is rolled back."""

    def __init__(self, error: ValidationError, audit: dict) -> None:
        super().__init__(error)
        self.error, self.audit = error, audit


@contextmanager
def refusals_audited() -> Iterator[None]:
    """Around a service's transaction: record an ``AuditedRefusal`` once the transaction that
    found it was rolled back, then raise its ValidationError."""
    try:
        yield
    except AuditedRefusal as refusal:
        audit_record(**refusal.audit)
        raise refusal.error from None
