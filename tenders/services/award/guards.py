"""What every step of the evaluation and award checks first: a buyer of the tender's
organisation, the tender row locked, and the quotes opened."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.models import User
from marketplace.selectors import user_may_act_for
from tenders.models import (
    BUYER_ROLES,
    Status,
    Tender,
)
from tenders.services.vault import vault_is_open

NOT_OPENED = _("This can only be done once the quotes are opened and before the award.")


def require_buyer(by: User, tender: Tender) -> None:
    """PermissionDenied unless ``by`` is a buyer of the tender's organisation."""
    if not user_may_act_for(by, tender.buyer, BUYER_ROLES):
        raise PermissionDenied


def lock(tender: Tender) -> None:
    """Re-read the tender under a row lock: its status is decided while holding it."""
    tender.refresh_from_db(from_queryset=Tender.objects.select_for_update())


def require_opened(tender: Tender) -> None:
    """ValidationError unless the tender is opened (and not yet awarded or ended)."""
    if tender.status != Status.OPENED or not vault_is_open(tender):
        raise ValidationError(NOT_OPENED, code="not_opened")


def enqueue_sending() -> None:
    """Send the outbox after commit."""
    from tenders.tasks import send_notifications

    send_notifications.enqueue()
