"""Tenders with opened quotes, for the evaluation and award tests.

Quotes are written directly with their sealed contents (``sealed_contents``), and the vault is
opened by a ``VaultOpening`` row, as the opening service would leave it. Prices are read back only
through ``tenders.selectors.vault.quote_contents``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import uuid4

from django.utils import timezone

from marketplace.models import Role, User
from suppliers.models import Firm
from tenders.models import (
    AwardCriteriaType,
    Procedure,
    Quote,
    Status,
    Tender,
    VaultOpening,
)
from tenders.selectors.vault import QuoteContents, sealed_contents
from tests.factories import FirmFactory, MembershipFactory, UserFactory
from tests.tenders.factories import AwardCriterionFactory, TenderFactory


def opened_tender(
    *,
    buyer_org,
    criteria: tuple[tuple[str, int], ...] = (),
    procedure: str = Procedure.NATIONAL,
    opened_by: User | None = None,
    opened_at: datetime | None = None,
    **fields,
) -> Tender:
    """A tender past its deadline whose quotes are opened; ``criteria`` makes it price-quality."""
    now = opened_at or timezone.now()
    tender = TenderFactory(
        buyer=buyer_org,
        status=Status.OPENED,
        published_at=now - timedelta(days=30),
        question_deadline=now - timedelta(days=10),
        quote_deadline=now - timedelta(days=1),
        procedure=procedure,
        award_criteria_type=(
            AwardCriteriaType.PRICE_QUALITY if criteria else AwardCriteriaType.LOWEST_PRICE
        ),
        **fields,
    )
    for position, (name, weight) in enumerate(criteria):
        AwardCriterionFactory(tender=tender, name=name, weight=weight, position=position)
    VaultOpening.objects.create(
        tender=tender,
        requested_by=opened_by or UserFactory(),
        four_eyes=False,
        requested_at=now,
        opened_at=now,
    )
    return tender


def bidder(name: str, *, municipality=None, members: int = 1) -> tuple[Firm, list[User]]:
    """A firm and its members (the first one its administrator)."""
    extra = {"municipality": municipality} if municipality is not None else {}
    firm = FirmFactory(organisation__name=name, **extra)
    users = []
    for index in range(members):
        user = UserFactory(first_name=f"{name} {index}")
        role = Role.FIRM_ADMIN if index == 0 else Role.FIRM_MEMBER
        MembershipFactory(user=user, organisation=firm.organisation, role=role)
        users.append(user)
    return firm, users


def quote_for(
    tender: Tender,
    firm: Firm,
    total: str | Decimal,
    *,
    lots: dict[int, str] | None = None,
    note: str = "",
    received_at: datetime | None = None,
    excluded_reason: str = "",
) -> Quote:
    """A current quote with sealed contents."""
    contents = QuoteContents(
        total=Decimal(total),
        lots={number: Decimal(amount) for number, amount in (lots or {}).items()},
        note=note,
    )
    return Quote.objects.create(
        tender=tender,
        firm=firm,
        receipt_code=uuid4().hex[:16].upper(),
        received_at=received_at or tender.quote_deadline - timedelta(hours=1),
        sealed=sealed_contents(tender=tender, firm_id=firm.pk, contents=contents),
        excluded_reason=excluded_reason,
    )
