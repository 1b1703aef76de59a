"""The shared nouns: places, classifications, people, organisations and the audit log."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    """Users are known by their e-mail address; there is no username."""

    def _create_user(self, email: str, password: str | None, **extra_fields: object) -> User:
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: object) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person; logs in with their e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    def __str__(self) -> str:
        return self.get_full_name() or self.email


# Places ------------------------------------------------------------------------------------------


class Region(models.Model):
    """A province, a COROP region or a named regional grouping such as the Drechtsteden."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        COROP = "corop", _("COROP region")
        GROUPING = "grouping", _("Regional grouping")

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A Dutch municipality (gemeente) with its location and regions."""

    code = models.CharField(_("code"), max_length=6, primary_key=True, help_text="GM0505")
    number = models.CharField(_("number"), max_length=4)
    name = models.CharField(_("name"), max_length=80, db_index=True)
    province = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="province_municipalities"
    )
    corop = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="corop_municipalities")
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("region"),
        help_text=_(
            "The region used for 'Regio' in search results: the named grouping the municipality "
            "belongs to, otherwise its COROP region."
        ),
    )
    region_configured = models.BooleanField(
        _("region set by hand"),
        default=False,
        help_text=_("When set, loading reference data leaves the region alone."),
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    pin_latitude = models.FloatField(_("map pin latitude"))
    pin_longitude = models.FloatField(_("map pin longitude"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A 4-digit postcode area with its centroid and the municipality it mostly lies in."""

    code = models.CharField(_("postcode"), max_length=4, primary_key=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="postcodes"
    )
    place = models.CharField(_("place"), max_length=80, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")

    def __str__(self) -> str:
        return f"{self.code} {self.place}".strip()


# Classifications ---------------------------------------------------------------------------------


UNKNOWN_CPV = _("Unknown CPV code: %(codes)s.")


class CpvCodeQuerySet(models.QuerySet["CpvCode"]):
    def known(self, codes: Iterable[str]) -> tuple[list[CpvCode], list[str]]:
        """The rows of these codes (eight digits, no check digit) and, sorted, the codes that
        are not in the vocabulary."""
        wanted = set(codes)
        found = list(self.filter(pk__in=wanted))
        return found, sorted(wanted - {code.pk for code in found})


class CpvCode(models.Model):
    """A Common Procurement Vocabulary code; the hierarchy follows the trailing zeros."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    check_digit = models.CharField(_("check digit"), max_length=1)
    label_nl = models.CharField(_("Dutch label"), max_length=400)
    label_en = models.CharField(_("English label"), max_length=400)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), help_text=_("1 division, 2 group, 3 class, 4 category, 5-7 finer.")
    )

    objects = CpvCodeQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")

    def __str__(self) -> str:
        return f"{self.full_code} {self.label_nl}"

    @property
    def full_code(self) -> str:
        return f"{self.code}-{self.check_digit}"

    @property
    def prefix(self) -> str:
        """The significant digits: every code in this code's subtree starts with them."""
        return cpv_prefix(self.code)


def cpv_prefix(code: str) -> str:
    """The significant part of an 8-digit CPV code (at least the 2-digit division)."""
    return code.rstrip("0").ljust(2, "0")


class SbiCode(models.Model):
    """A Standaard Bedrijfsindeling activity code, in the 2008 or the 2025 edition."""

    class Version(models.TextChoices):
        SBI_2008 = "2008", "SBI 2008"
        SBI_2025 = "2025", "SBI 2025"

    version = models.CharField(_("version"), max_length=4, choices=Version.choices)
    code = models.CharField(_("code"), max_length=10, help_text=_("As KvK writes it: digits only."))
    label_nl = models.CharField(_("Dutch label"), max_length=400)
    label_en = models.CharField(_("English label"), max_length=400, blank=True)
    level = models.CharField(_("level"), max_length=10)
    parent_code = models.CharField(_("parent code"), max_length=10, blank=True)

    class Meta:
        ordering = ["version", "code"]
        verbose_name = _("SBI code")
        verbose_name_plural = _("SBI codes")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="sbi_unique_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label_nl} (SBI {self.version})"


# Organisations and people ------------------------------------------------------------------------


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def for_member(self, user: User) -> OrganisationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class Organisation(models.Model):
    """A municipality's buying organisation or a firm."""

    class Kind(models.TextChoices):
        BUYER = "buyer", _("Municipality (buyer)")
        FIRM = "firm", _("Firm")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="buying_organisations",
        verbose_name=_("municipality"),
        help_text=_("For a buying organisation: the municipality it buys for."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="buyer") | Q(municipality__isnull=False),
                name="buyer_has_municipality",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_buyer(self) -> bool:
        return self.kind == self.Kind.BUYER

    @property
    def is_firm(self) -> bool:
        return self.kind == self.Kind.FIRM


class Role(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    BUYER_ADMIN = "buyer_admin", _("Buyer (administrator)")
    FIRM_MEMBER = "firm_member", _("Firm member")
    FIRM_ADMIN = "firm_admin", _("Firm administrator")


ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    Organisation.Kind.BUYER: (Role.BUYER, Role.BUYER_ADMIN),
    Organisation.Kind.FIRM: (Role.FIRM_MEMBER, Role.FIRM_ADMIN),
}
ADMIN_ROLES = (Role.BUYER_ADMIN, Role.FIRM_ADMIN)


class Membership(models.Model):
    """A person's role in an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES


# Audit log ---------------------------------------------------------------------------------------


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AuditLogIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")

    def for_organisation(self, organisation: Organisation) -> AuditEventQuerySet:
        return self.filter(organisation=organisation)


class AuditEvent(models.Model):
    """One thing that happened: who, for which organisation, what, on which object, when.

    Append-only: the model, its queryset and database triggers (migration 0002) refuse changes.
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("what"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # Django's related-object and deletion code uses the base manager: make it the guarded one.
        base_manager_name = "objects"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["organisation", "-created_at"], name="audit_org_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")


# The outbox (marketplace/outbox/): its model registers with this app from here.
from marketplace.outbox.models import Message  # noqa: E402, F401
