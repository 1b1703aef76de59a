"""Firm profiles: who a firm is, where it is established and what it does."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import CpvCode, Municipality, Organisation, Postcode, Role, SbiCode

kvk_validator = RegexValidator(r"^\d{8}$", _("A KvK number has exactly 8 digits."))
establishment_validator = RegexValidator(
    r"^\d{12}$", _("An establishment number (vestigingsnummer) has exactly 12 digits.")
)


class Size(models.TextChoices):
    """Firm size by employees (EU SME definition, headcount only)."""

    MICRO = "micro", _("Micro (under 10)")
    SMALL = "small", _("Small (10–49)")
    MEDIUM = "medium", _("Medium (50–249)")
    LARGE = "large", _("Large (250 or more)")


SIZE_LIMITS = [(Size.MICRO, 10), (Size.SMALL, 50), (Size.MEDIUM, 250)]


def size_for(employees: int | None) -> str | None:
    """The size class for a headcount; None when the headcount is unknown."""
    if employees is None:
        return None
    for size, limit in SIZE_LIMITS:
        if employees < limit:
            return size
    return Size.LARGE


def size_range(size: str) -> tuple[int, int | None]:
    """The headcount range of a size class: lower bound included, upper bound excluded."""
    low = 0
    for name, limit in SIZE_LIMITS:
        if name == size:
            return low, limit
        low = limit
    if size == Size.LARGE:
        return low, None
    raise ValueError(f"Unknown size class: {size!r}")


class Certification(models.Model):
    """A certificate firms can hold, such as VCA or ISO 9001."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.name


class FirmQuerySet(models.QuerySet["Firm"]):
    def published(self) -> FirmQuerySet:
        return self.filter(published=True)


class Firm(models.Model):
    """A firm's public profile in the supplier index."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="firm"
    )
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, unique=True, validators=[kvk_validator]
    )
    establishment_number = models.CharField(
        _("establishment number"),
        max_length=12,
        blank=True,
        validators=[establishment_validator],
        help_text=_("The 12-digit vestigingsnummer, if the firm has more than one establishment."),
    )
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    place = models.CharField(_("place"), max_length=80, blank=True)
    postcode_area = models.ForeignKey(
        Postcode, on_delete=models.SET_NULL, null=True, blank=True, related_name="firms"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="firms", verbose_name=_("municipality")
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    cpv_codes = models.ManyToManyField(
        CpvCode, blank=True, related_name="firms", verbose_name=_("activities (CPV)")
    )
    sbi_codes = models.ManyToManyField(
        SbiCode, blank=True, related_name="firms", verbose_name=_("activities (SBI)")
    )
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="firms", verbose_name=_("certifications")
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    open_to_partnerships = models.BooleanField(_("open to partnerships"), default=False)
    published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FirmQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("firm")
        verbose_name_plural = _("firms")

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def size(self) -> str | None:
        return size_for(self.employees)


# The database backend's index (suppliers/search/database/) -----------------------------------


class FirmIndexEntry(models.Model):
    """A firm as the database search backend sees it: folded words and a position on the sphere.

    Written after commit by suppliers.search (never by save() or a signal);
    ``rebuild_supplier_index`` repairs any drift. On PostgreSQL the tsvector columns carry GIN
    indexes (migration 0004); on SQLite an FTS5 table mirrors ``name_words``, ``body_words`` and
    ``tags`` of the published firms (migration 0007).
    """

    firm = models.OneToOneField(
        Firm, on_delete=models.CASCADE, primary_key=True, related_name="index_entry"
    )
    name_words = models.TextField()
    body_words = models.TextField()
    x = models.FloatField()
    y = models.FloatField()
    z = models.FloatField()
    # Copies of what the tier, the order and a hit need, so counting, ranking and showing
    # matches never join other tables (DESIGN §4.1: … distance, name, KvK number).
    kvk_number = models.CharField(max_length=8, default="")
    name = models.CharField(max_length=200, default="")
    municipality_name = models.CharField(max_length=100, default="")
    region_name = models.CharField(max_length=200, default="")
    municipality_code = models.CharField(max_length=6, default="")
    region_code = models.CharField(max_length=40, default="")
    published = models.BooleanField(default=True)
    # Filter words (municipality, region, grid cell, CPV codes, size…), see FirmDocument.tags.
    tags = models.TextField(default="")
    vector = SearchVectorField(null=True)
    name_vector = SearchVectorField(null=True)
    tags_vector = SearchVectorField(null=True)  # PostgreSQL: the filter words, GIN-indexed

    class Meta:
        indexes = [
            models.Index(fields=["municipality_code"], name="firm_index_municipality"),
            models.Index(fields=["region_code"], name="firm_index_region"),
        ]
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")

    def __str__(self) -> str:
        return self.name_words


class FirmMatchEntry(models.Model):
    """PostgreSQL only: a published firm's words and filter words (without the "within 25 km" and
    grid-cell words) as stripped tsvectors, alone in a narrow table. A GIN index cannot count: the
    table row of every match is visited, and these rows are a quarter the size of the index
    entry's, so counting reads a fraction of the pages. Written from the index entry by
    ``DatabaseBackend.index``; on SQLite the FTS5 table counts and this table stays empty."""

    firm = models.OneToOneField(
        Firm, on_delete=models.CASCADE, primary_key=True, related_name="match_entry"
    )
    words = SearchVectorField(null=True)
    tags = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("search match entry")
        verbose_name_plural = _("search match entries")

    def __str__(self) -> str:
        return str(self.firm_id)


# What ranking a tier of CPV entries reads: position, name, KvK number and the firm.
RANKED = ["x", "y", "z", "name", "kvk_number", "firm"]


class FirmCpvEntry(models.Model):
    """A published firm's CPV code or one of its ancestors, so a subtree filter is an equality
    test; with where the firm is and what a hit is ordered by, so that a search for one CPV code
    counts and ranks each tier from these rows' indexes alone
    (``suppliers/search/database/cpv_index.py``).
    """

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="cpv_entries")
    code = models.CharField(max_length=8)
    own = models.BooleanField(default=False, help_text="The firm's own code, not an ancestor.")
    municipality_code = models.CharField(max_length=6, default="")
    region_code = models.CharField(max_length=40, default="")
    cell = models.CharField(max_length=20, default="", help_text="Grid cell, as the index word.")
    x = models.FloatField(default=0.0)
    y = models.FloatField(default=0.0)
    z = models.FloatField(default=0.0)
    name = models.CharField(max_length=200, default="")
    kvk_number = models.CharField(max_length=8, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "firm"], name="firm_cpv_entry_unique")
        ]
        indexes = [
            # The CPV-division facet reads a firm's codes from this index alone.
            models.Index(fields=["firm", "code"], name="firm_cpv_entry_by_firm"),
            # A tier of one code (local, region, the grid cells of "nearby"), counted and
            # ranked from the index alone: each carries what the tier and the order read.
            models.Index(
                fields=["code", "municipality_code", *RANKED], name="firm_cpv_entry_local"
            ),
            models.Index(
                fields=["code", "region_code", "municipality_code", *RANKED],
                name="firm_cpv_entry_region",
            ),
            models.Index(
                fields=["code", "cell", "municipality_code", "region_code", *RANKED],
                name="firm_cpv_entry_cell",
            ),
        ]

    def __str__(self) -> str:
        return self.code


# Invitations to join a firm ------------------------------------------------------------------

INVITATION_VALID_FOR = timedelta(days=14)
FIRM_ROLES = [
    (Role.FIRM_MEMBER.value, Role.FIRM_MEMBER.label),
    (Role.FIRM_ADMIN.value, Role.FIRM_ADMIN.label),
]


class FirmInvitationQuerySet(models.QuerySet["FirmInvitation"]):
    def pending(self) -> FirmInvitationQuerySet:
        """Not accepted and not expired."""
        return self.filter(
            accepted_at__isnull=True, created_at__gt=timezone.now() - INVITATION_VALID_FOR
        )


class FirmInvitation(models.Model):
    """An invitation by e-mail to join a firm; whoever logs in with that address may accept it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="firm_invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=FIRM_ROLES)
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = FirmInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("firm invitation")
        verbose_name_plural = _("firm invitations")

    def __str__(self) -> str:
        return f"{self.email} · {self.organisation}"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + INVITATION_VALID_FOR

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None
