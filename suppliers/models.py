"""Firm profiles: who a firm is, where it is established and what it does."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.models import CpvCode, Municipality, Organisation, Postcode

kvk_validator = RegexValidator(r"^\d{8}$", _("A KvK number has exactly 8 digits."))


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
