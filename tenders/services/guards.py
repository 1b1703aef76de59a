"""The checks most tender services start with: who may act, and the tender row held while a
deadline or a status is decided."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from marketplace.models import Organisation, User
from marketplace.selectors import user_may_act_for
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
