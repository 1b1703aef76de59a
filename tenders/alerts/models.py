"""A firm member's saved tender search (``Subscription``) and what it caught (``AlertMatch``).

The filter is stored twice: ``query`` keeps the tender list's parameters as the user chose them,
and the columns and ``SubscriptionCpv``/``SubscriptionKeyword`` rows hold them in a form the
database can look up from the tender side (DESIGN §4.8; ``tenders.alerts.matching``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import Municipality, Organisation, Region


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    INSTANT = "instant", _("Instant")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    FEED = "feed", _("Feed only")


class Event(models.TextChoices):
    PUBLISHED = "published", _("Published")
    ANNOUNCED = "announced", _("Announced")
    EXTENDED = "extended", _("Deadline extended")
    RECTIFIED = "rectified", _("Rectified")
    CANCELLED = "cancelled", _("Cancelled")
    AWARDED = "awarded", _("Awarded")


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    firm = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="subscriptions")
    name = models.CharField(_("name"), max_length=120)
    query = models.JSONField(_("search"), default=dict, blank=True)
    has_cpv = models.BooleanField(default=False, db_index=True)
    has_keywords = models.BooleanField(default=False, db_index=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    near = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The centre of the radius, usually the firm's own municipality."),
    )
    radius_km = models.FloatField(_("radius (km)"), null=True, blank=True)
    # The centre as a unit vector, so the radius is a sum of squares in SQL (marketplace/geo.py).
    near_x = models.FloatField(null=True, blank=True)
    near_y = models.FloatField(null=True, blank=True)
    near_z = models.FloatField(null=True, blank=True)
    near_chord_squared = models.FloatField(null=True, blank=True)
    procedures = models.CharField(
        max_length=200, blank=True, help_text="',open,rfq,' or empty for every procedure"
    )
    value_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.INSTANT
    )
    paused = models.BooleanField(_("paused"), default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [
            models.Index(fields=["paused", "municipality"]),
            models.Index(fields=["paused", "region"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_place(self) -> bool:
        return bool(self.municipality_id or self.region_id or self.near_id)


class SubscriptionCpv(models.Model):
    """One CPV subtree of a subscription, by its significant prefix ('4544' for 45440000)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="cpvs")
    code = models.CharField(max_length=8)
    prefix = models.CharField(max_length=8, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "code"], name="one_cpv_per_sub")
        ]

    def __str__(self) -> str:
        return self.code


class SubscriptionKeyword(models.Model):
    """One keyword, folded as the search folds words (suppliers/search/text.py)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="keywords"
    )
    word = models.CharField(max_length=60, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "word"], name="one_word_per_sub")
        ]

    def __str__(self) -> str:
        return self.word


class AlertMatch(models.Model):
    """One event of one tender that one subscription caught: the durable, deduplicated record
    a delivery (instant mail, digest, feed) is made from."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="matches")
    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=12, choices=Event.choices)
    event_key = models.CharField(max_length=40, blank=True, default="")
    reasons = models.JSONField(default=list)
    is_update = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "tender", "event", "event_key"], name="one_match_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} · {self.tender_id} · {self.event}"
