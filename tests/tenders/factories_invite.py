"""Helpers for the invitation assistant's tests: firms that paint, found by the supplier index,
invite-only drafts, and invitations this buyer sent before (the history the rules look at)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from marketplace.models import CpvCode, Municipality, Organisation
from suppliers.models import Firm
from suppliers.search import index_firms
from tenders.models import ContractType, Invitation, Procedure, Tender
from tests.factories import FirmFactory
from tests.tenders.factories import PAINTING, TenderFactory

DORDRECHT, ZWIJNDRECHT, PAPENDRECHT, ROTTERDAM = "GM0505", "GM0642", "GM0590", "GM0599"
PLASTERING = "45410000"  # Pleisterwerk: the same group (454) as painting, another subtree
CARPENTRY = "45421000"
CONSULTING = "79400000"


def painter(
    name: str,
    code: str = DORDRECHT,
    *,
    cpv: str = PAINTING,
    published: bool = True,
    km_north: float = 0.0,
) -> Firm:
    """A firm in municipality ``code`` doing ``cpv`` work, ``km_north`` of the town's centre,
    in the supplier index."""
    municipality = Municipality.objects.get(pk=code)
    firm = FirmFactory(
        organisation__name=name,
        municipality=municipality,
        latitude=municipality.latitude + km_north / 111.19,
        longitude=municipality.longitude,
        published=published,
    )
    firm.cpv_codes.add(CpvCode.objects.get(pk=cpv))
    index_firms([firm.pk])
    return firm


def invite_only_draft(buyer: Organisation, procedure: str = Procedure.MULTIPLE, **fields) -> Tender:
    """A draft painting job that is ready to publish except for its invitations."""
    return TenderFactory(
        buyer=buyer,
        title=fields.pop("title", "Schilderwerk gemeentehuis"),
        contract_type=ContractType.WORKS,
        main_cpv=CpvCode.objects.get(pk=fields.pop("cpv", PAINTING)),
        estimated_value_min=Decimal("60000"),
        procedure=procedure,
        **fields,
    )


def invited_before(
    buyer: Organisation, firm: Firm, *, days_ago: int = 30, cpv: str = PAINTING, times: int = 1
) -> list[Invitation]:
    """``times`` invitations this buyer sent ``firm`` ``days_ago`` days ago, for ``cpv`` work."""
    sent_at = timezone.now() - timedelta(days=days_ago)
    return [
        Invitation.objects.create(
            tender=TenderFactory(
                buyer=buyer,
                published=True,
                main_cpv=CpvCode.objects.get(pk=cpv),
                published_at=sent_at,
            ),
            firm=firm,
            sent_at=sent_at,
        )
        for _ in range(times)
    ]
