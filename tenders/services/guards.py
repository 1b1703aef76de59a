"""The checks most tender services start with: who may act, the tender row held while a
deadline or a status is decided, and refusals that stay in the audit log although the
transaction that found them is rolled back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.models import UNKNOWN_CPV, CpvCode, Organisation, User
from marketplace.selectors import user_may_act_for
from marketplace.services import audit_record
from suppliers.models import Firm
from tenders.models import BUYER_ROLES, LotData, Tender


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


def require_known_cpv(codes: Iterable[CpvCode | str]) -> list[CpvCode]:
    """The rows of these CPV codes (given as codes or rows); a ValidationError on
    ``additional_cpv`` that names the unknown ones."""
    found, missing = CpvCode.objects.known(
        code.pk if isinstance(code, CpvCode) else str(code) for code in codes
    )
    if missing:
        error = ValidationError(UNKNOWN_CPV, params={"codes": ", ".join(missing)})
        raise ValidationError({"additional_cpv": error})
    return found


def require_valid_lots(lots: Sequence[LotData]) -> None:
    """A ValidationError with every problem of these lots (``LotData.problems``)."""
    if errors := LotData.problems(lots):
        raise ValidationError(errors)


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
