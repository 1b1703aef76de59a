"""What every step of the evaluation and award checks first: a buyer of the tender's
organisation, the tender row locked, and the quotes opened."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tenders.models import Status, Tender
from tenders.selectors.vault import vault_is_open
from tenders.services.guards import lock, require_buyer

__all__ = ["NOT_OPENED", "lock", "require_buyer", "require_opened"]

NOT_OPENED = _("This can only be done once the quotes are opened and before the award.")


def require_opened(tender: Tender) -> None:
    """ValidationError unless the tender is opened (and not yet awarded or ended)."""
    if tender.status != Status.OPENED or not vault_is_open(tender):
        raise ValidationError(NOT_OPENED, code="not_opened")
