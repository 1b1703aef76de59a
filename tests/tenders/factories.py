"""factory_boy factories for tenders.

``TenderFactory`` writes rows directly, for tests that need a tender in some state; tests about
creating or publishing go through tenders.services. ``publishable_fields`` gives what
``tender_create`` needs for a draft that ``tender_publish`` accepts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from marketplace.models import CpvCode
from tenders.models import (
    AwardCriteriaType,
    AwardCriterion,
    ContractType,
    Lot,
    Procedure,
    Question,
    Status,
    Tender,
    TenderChange,
    TenderDocument,
)
from tests.factories import BuyerOrganisationFactory, FirmFactory

PAINTING = "45442100"  # Schilderwerk (works)
CONSULTING = "79400000"  # Advies (services)

AMSTERDAM_TIME = ZoneInfo("Europe/Amsterdam")
# The standing clock of the ``monday_morning`` fixture (tests/tenders/conftest.py).
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM_TIME)


def publishable_fields(**overrides: Any) -> dict[str, Any]:
    """Fields for ``tender_create``: a € 40.000 single-quote services job, deadlines ahead."""
    now = timezone.now()
    return {
        "title": "Advies over het inkoopbeleid",
        "description": "We zoeken een adviseur voor ons nieuwe inkoopbeleid.",
        "contract_type": ContractType.SERVICES,
        "main_cpv": CpvCode.objects.get(pk=CONSULTING),
        "estimated_value_min": Decimal("40000"),
        "procedure": Procedure.SINGLE,
        "award_criteria_type": AwardCriteriaType.LOWEST_PRICE,
        "question_deadline": now + timedelta(days=7),
        "quote_deadline": now + timedelta(days=14),
        **overrides,
    }


class TenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tender
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )

    buyer = factory.SubFactory(BuyerOrganisationFactory)
    reference_number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda o: f"TEST-2026-{o.reference_number:04d}")
    title = factory.Sequence(lambda n: f"Opdracht {n}")
    description = "Een opdracht om te testen."
    contract_type = ContractType.SERVICES
    main_cpv = factory.LazyFunction(lambda: CpvCode.objects.get(pk=CONSULTING))
    place_of_performance = factory.LazyAttribute(lambda o: o.buyer.municipality)
    estimated_value_min = Decimal("40000")
    procedure = Procedure.SINGLE
    award_criteria_type = AwardCriteriaType.LOWEST_PRICE
    question_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    quote_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    contact_name = "Alice"
    contact_email = "alice@dordrecht.example"


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    tender = factory.SubFactory(TenderFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Perceel {n}")


class AwardCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardCriterion

    tender = factory.SubFactory(TenderFactory, award_criteria_type=AwardCriteriaType.PRICE_QUALITY)
    name = factory.Sequence(lambda n: f"Criterium {n}")
    weight = 50
    position = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    """An unanswered question; ``answered=True`` adds an answer, ``published=True`` publishes it."""

    class Meta:
        model = Question

    class Params:
        answered = factory.Trait(
            answer=factory.Sequence(lambda n: f"Antwoord {n}."),
            answered_at=factory.LazyFunction(timezone.now),
        )
        published = factory.Trait(answered=True, published_at=factory.LazyFunction(timezone.now))

    tender = factory.SubFactory(TenderFactory, published=True)
    number = factory.Sequence(lambda n: n + 1)
    firm = factory.SubFactory(FirmFactory)
    text = factory.Sequence(lambda n: f"Vraag {n}?")


class TenderChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenderChange

    tender = factory.SubFactory(TenderFactory, published=True)
    kind = TenderChange.Kind.EXTENDED
    summary = "De deadline voor offertes is verlengd."


class TenderDocumentFactory(factory.django.DjangoModelFactory):
    """A document row whose file name points nowhere: for tests that list documents. Tests that
    download one upload it through tenders.services."""

    class Meta:
        model = TenderDocument

    tender = factory.SubFactory(TenderFactory, published=True)
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.Sequence(lambda n: f"tenders/factory/{n}.pdf")
    filename = factory.Sequence(lambda n: f"document-{n}.pdf")
    size = 1024
    sha256 = "0" * 64


class InvitationFactory(factory.django.DjangoModelFactory):
    """A firm invited to an (invite-only) tender."""

    class Meta:
        model = "tenders.Invitation"

    tender = factory.SubFactory(TenderFactory, published=True)
    firm = factory.SubFactory(FirmFactory)
    reason = "Lokaal bedrijf"
