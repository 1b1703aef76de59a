"""Tenders, their lots and award criteria (DESIGN §4.3)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import CpvCode, Municipality, Organisation, Role, User

VALUE_NEGATIVE = _("A value cannot be negative.")
VALUE_MAX_BELOW_MIN = _("The maximum value needs a minimum value and cannot be lower than it.")
QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE = _(
    "The deadline for questions must be before the deadline for quotes."
)
WEIGHT_OUT_OF_RANGE = _("A weight is a whole number from 1 to 100.")
LOT_TITLE_REQUIRED = _("Every lot needs a title.")

BUYER_ROLES = (Role.BUYER, Role.BUYER_ADMIN)

# Nothing a municipality tenders comes near this; an amount above it is a typing error.
MAX_AMOUNT = Decimal("10000000000")


class ContractType(models.TextChoices):
    WORKS = "works", _("Works")
    SUPPLIES = "supplies", _("Supplies")
    SERVICES = "services", _("Services")
    SOCIAL = "social", _("Social and other specific services")


class Procedure(models.TextChoices):
    """The procedures from light to heavy: the order of the members is their rank."""

    SINGLE = "single", _("Single-quote procedure")
    MULTIPLE = "multiple", _("Multiple-quote procedure")
    NATIONAL = "national", _("National open procedure")
    EUROPEAN = "european", _("European open procedure")

    @property
    def rank(self) -> int:
        """0 for the lightest procedure (single quote) up to 3 (European open)."""
        return list(type(self)).index(self)

    def is_lighter_than(self, other: str) -> bool:
        return self.rank < Procedure(other).rank

    @property
    def is_invite_only(self) -> bool:
        """Onderhands: only invited firms may quote, so only they may see the tender."""
        return self in (Procedure.SINGLE, Procedure.MULTIPLE)

    @property
    def needs_tenderned(self) -> bool:
        """Open procedures must also be announced on TenderNed (Aanbestedingswet 2012)."""
        return self in (Procedure.NATIONAL, Procedure.EUROPEAN)

    @classmethod
    def heaviest(cls, *procedures: str) -> Procedure:
        return max((cls(p) for p in procedures), key=lambda p: p.rank)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    OPENED = "opened", _("Opened")
    AWARDED = "awarded", _("Awarded")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")


PUBLIC_STATUSES = (
    Status.PUBLISHED,
    Status.CLOSED,
    Status.OPENED,
    Status.AWARDED,
    Status.COMPLETED,
    # Ended without award: the firms that quoted (and anyone, for open procedures) may read why.
    Status.UNSUCCESSFUL,
)
CANCELLABLE_STATUSES = (Status.DRAFT, Status.PUBLISHED, Status.CLOSED, Status.OPENED)


class AwardCriteriaType(models.TextChoices):
    LOWEST_PRICE = "lowest_price", _("Lowest price")
    PRICE_QUALITY = "price_quality", _("Best price-quality ratio")


class TenderQuerySet(models.QuerySet["Tender"]):
    def published(self) -> TenderQuerySet:
        """Published at some point and not cancelled; invite-only ones included (see
        ``Procedure.is_invite_only``: those are for the buyer and invited firms only)."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def for_buyer(self, user: User) -> TenderQuerySet:
        """The tenders of every buying organisation the user is a buyer of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            buyer__kind=Organisation.Kind.BUYER,
            buyer__memberships__user=user,
            buyer__memberships__role__in=BUYER_ROLES,
        )

    def open(self, now: datetime | None = None) -> TenderQuerySet:
        """Published and still taking quotes."""
        return self.filter(status=Status.PUBLISHED, quote_deadline__gt=now or timezone.now())

    def in_status(self, status: str, now: datetime | None = None) -> TenderQuerySet:
        """Tenders whose ``effective_status`` is ``status``, without any background job."""
        now = now or timezone.now()
        if status == Status.PUBLISHED:
            return self.open(now)
        if status == Status.CLOSED:
            return self.filter(
                Q(status=Status.CLOSED) | Q(status=Status.PUBLISHED, quote_deadline__lte=now)
            )
        return self.filter(status=status)


class Tender(models.Model):
    """An assignment a municipality puts out; every status change goes through tenders.services."""

    buyer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="tenders",
        limit_choices_to={"kind": Organisation.Kind.BUYER},
        verbose_name=_("buying organisation"),
    )
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, editable=False, help_text="DORD-2026-0042"
    )
    # The counter behind the reference, per prefix and year (see tenders.services.tender_create).
    reference_number = models.PositiveIntegerField(editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Plain text; Markdown is allowed.")
    )
    contract_type = models.CharField(
        _("contract type"), max_length=10, choices=ContractType.choices
    )
    main_cpv = models.ForeignKey(
        CpvCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="main_tenders",
        verbose_name=_("main CPV code"),
    )
    additional_cpv = models.ManyToManyField(
        CpvCode, blank=True, related_name="additional_tenders", verbose_name=_("other CPV codes")
    )
    place_of_performance = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenders",
        verbose_name=_("place of performance"),
    )
    estimated_value_min = models.DecimalField(
        _("estimated value (excl. VAT)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The value, or the lower end of a range."),
    )
    estimated_value_max = models.DecimalField(
        _("estimated value up to (excl. VAT)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only for a range; leave empty for a single value."),
    )
    procedure = models.CharField(
        _("procedure"), max_length=10, choices=Procedure.choices, blank=True
    )
    procedure_justification = models.TextField(
        _("why this procedure"),
        blank=True,
        help_text=_("Needed when you choose a lighter procedure than your policy asks for."),
    )
    award_criteria_type = models.CharField(
        _("award criteria"), max_length=20, choices=AwardCriteriaType.choices, blank=True
    )
    question_deadline = models.DateTimeField(_("deadline for questions"), null=True, blank=True)
    quote_deadline = models.DateTimeField(
        _("deadline for quotes"), null=True, blank=True, db_index=True
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    tenderned_reference = models.CharField(
        _("TenderNed reference"),
        max_length=40,
        blank=True,
        help_text=_("The publication number on TenderNed; needed for open procedures."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    unsuccessful_reason = models.TextField(_("why no award"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    # The opening rule is fixed when the tender is published (a later policy change cannot apply).
    four_eyes_opening = models.BooleanField(_("four-eyes opening"), default=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)

    objects = TenderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value_min__isnull=True) | Q(estimated_value_min__gte=0),
                name="tender_value_min_not_negative",
                violation_error_message=VALUE_NEGATIVE,
            ),
            models.CheckConstraint(
                condition=Q(estimated_value_max__isnull=True)
                | Q(
                    estimated_value_min__isnull=False,
                    estimated_value_max__gte=F("estimated_value_min"),
                ),
                name="tender_value_max_at_least_min",
                violation_error_message=VALUE_MAX_BELOW_MIN,
            ),
            models.CheckConstraint(
                condition=Q(question_deadline__isnull=True)
                | Q(quote_deadline__isnull=True)
                | Q(question_deadline__lt=F("quote_deadline")),
                name="tender_questions_before_quotes",
                violation_error_message=QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE,
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="tender_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "status"], name="tender_buyer_status"),
            # The public list counts and facets from this index alone (benchmark pages).
            models.Index(
                fields=["status", "procedure", "contract_type", "quote_deadline"],
                name="tender_list_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def estimated_value(self) -> Decimal | None:
        """The value that decides the procedure: the top of the range, else the single value."""
        if self.estimated_value_max is not None:
            return self.estimated_value_max
        return self.estimated_value_min

    @property
    def effective_status(self) -> str:
        """The status as of now: a published tender is closed once its quote deadline passed,
        whether or not a periodic job has recorded that yet (DESIGN §4.3)."""
        if (
            self.status == Status.PUBLISHED
            and self.quote_deadline is not None
            and self.quote_deadline <= timezone.now()
        ):
            return Status.CLOSED
        return self.status

    def get_effective_status_display(self) -> str:
        return str(Status(self.effective_status).label)

    @property
    def is_open(self) -> bool:
        """Taking quotes right now."""
        return self.effective_status == Status.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_invite_only(self) -> bool:
        return bool(self.procedure) and Procedure(self.procedure).is_invite_only

    @property
    def tenderned_url(self) -> str | None:
        """The announcement on TenderNed, when the reference is a publication number."""
        if self.tenderned_reference.isdigit():
            return f"https://www.tenderned.nl/aankondigingen/overzicht/{self.tenderned_reference}"
        return None


class Lot(models.Model):
    """A part of a tender that a firm can quote for on its own."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    estimated_value = models.DecimalField(
        _("estimated value (excl. VAT)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    suitable_for_local_smes = models.BooleanField(_("suitable for local SMEs"), default=False)

    class Meta:
        ordering = ["tender", "number"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="lot_number_unique"),
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0),
                name="lot_value_not_negative",
                violation_error_message=VALUE_NEGATIVE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass(frozen=True)
class LotData:
    """One lot as the buyer describes it; lots are numbered in the order given."""

    title: str
    description: str = ""
    estimated_value: Decimal | None = None
    suitable_for_local_smes: bool = False

    @staticmethod
    def problems(lots: Sequence[LotData]) -> list[str]:
        """What is wrong with a list of lots, each message once (an empty list: nothing)."""
        errors = []
        if any(not lot.title.strip() for lot in lots):
            errors.append(LOT_TITLE_REQUIRED)
        if any(lot.estimated_value is not None and lot.estimated_value < 0 for lot in lots):
            errors.append(VALUE_NEGATIVE)
        return errors


class AwardCriterion(models.Model):
    """One weighted criterion of a price-quality award; a tender's weights add up to 100
    (checked by tenders.policy.award_criteria_check, not by the database)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="award_criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["tender", "position", "id"]
        verbose_name = _("award criterion")
        verbose_name_plural = _("award criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="award_criterion_weight_range",
                violation_error_message=WEIGHT_OUT_OF_RANGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"

    @property
    def is_price(self) -> bool:
        """The price criterion ("Prijs", "Price …") gets its points from the prices, never from
        a buyer's score (see tenders.evaluation)."""
        name = self.name.strip().casefold()
        return name.startswith("prijs") or name.startswith("price")


def reference_prefix(municipality_name: str) -> str:
    """The first four letters of the municipality's name, upper case: Dordrecht → DORD,
    's-Hertogenbosch → SHER, Súdwest-Fryslân → SUDW."""
    ascii_name = unicodedata.normalize("NFKD", municipality_name).encode("ascii", "ignore")
    letters = "".join(ch for ch in ascii_name.decode() if ch.isalpha())
    return letters[:4].upper() or "TEND"
