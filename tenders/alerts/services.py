"""State changes of subscriptions and alert matches (``<noun>_<verb>``, keyword-only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.geo import chord_squared_for_km, unit_vector
from marketplace.models import Municipality, Organisation, Region, User, cpv_prefix
from suppliers.search.query import cpv_subtree
from suppliers.search.text import words
from tenders.alerts.matching import TenderFacts, match_reasons, matching_subscriptions
from tenders.alerts.models import (
    AlertMatch,
    Frequency,
    Subscription,
    SubscriptionCpv,
    SubscriptionKeyword,
)
from tenders.filters import TenderFilter
from tenders.models import Tender

EMPTY_FILTER = _(
    "This search has no filters yet, so it would alert you to every tender. Choose at least "
    "an activity (CPV), a keyword, a place or a procedure."
)
CONFLICTING_FILTERS = _("Choose a municipality or a region, not both: together they never match.")
NAME_REQUIRED = _("Give the alert a name.")
NOT_YOURS = _("This alert belongs to someone else.")
FILTER_KEYS = ("q", "cpv", "municipality", "region", "procedure", "value_min", "value_max")


def _require_firm_member(user: User, firm: Organisation) -> None:
    if not firm.is_firm or not firm.memberships.filter(user=user).exists():
        raise PermissionDenied(NOT_YOURS)


def _clean_query(query: Mapping[str, Any]) -> dict[str, Any]:
    """The tender list's filters as ``TenderFilter`` cleans them (one set of rules)."""
    data = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        value = query.get(key)
        if isinstance(value, list | tuple):
            data.setlist(key, [str(item) for item in value])
        elif value not in (None, ""):
            data[key] = str(value)
    form = TenderFilter(data, queryset=Tender.objects.none()).form
    if not form.is_valid():
        raise ValidationError(form.errors)
    return {key: form.cleaned_data.get(key) for key in FILTER_KEYS}


def subscription_save(
    *,
    user: User,
    firm: Organisation,
    name: str,
    query: Mapping[str, Any],
    frequency: str = Frequency.INSTANT,
    near: Municipality | None = None,
    radius_km: float | None = None,
    subscription: Subscription | None = None,
) -> Subscription:
    """Create or change a subscription from the tender list's filters. Nothing that was already
    published is matched: matches are only written when a tender changes afterwards."""
    _require_firm_member(user, firm)
    if subscription is not None and subscription.user_id != user.pk:
        raise PermissionDenied(NOT_YOURS)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    cleaned = _clean_query(query)
    keywords = list(dict.fromkeys(words(cleaned["q"] or "")))[:10]
    cpvs = list(dict.fromkeys(cleaned["cpv"] or ()))
    procedures = list(cleaned["procedure"] or ())
    municipality = cleaned["municipality"]
    region = Region.objects.filter(pk=cleaned["region"]).first() if cleaned["region"] else None
    if near is None or not radius_km:
        near, radius_km = None, None
    if not (keywords or cpvs or procedures or municipality or region or near):
        raise ValidationError(EMPTY_FILTER)
    if (
        municipality
        and region
        and region.pk
        not in (
            municipality.region_id,
            municipality.corop_id,
            municipality.province_id,
        )
    ):
        raise ValidationError(CONFLICTING_FILTERS)
    stored = {key: value for key, value in query.items() if key in FILTER_KEYS and value}
    with transaction.atomic():
        subscription = subscription or Subscription(user=user, firm=firm)
        subscription.name = name[:120]
        subscription.query = stored
        subscription.frequency = frequency
        subscription.has_cpv = bool(cpvs)
        subscription.has_keywords = bool(keywords)
        subscription.municipality = municipality
        subscription.region = region
        subscription.procedures = f",{','.join(procedures)}," if procedures else ""
        subscription.value_min = cleaned["value_min"]
        subscription.value_max = cleaned["value_max"]
        subscription.near = near
        subscription.radius_km = radius_km
        if near is not None:
            vector = unit_vector(near.latitude, near.longitude)
            subscription.near_x, subscription.near_y, subscription.near_z = vector
            subscription.near_chord_squared = chord_squared_for_km(radius_km)
        else:
            subscription.near_x = subscription.near_y = subscription.near_z = None
            subscription.near_chord_squared = None
        subscription.save()
        subscription.cpvs.all().delete()
        subscription.keywords.all().delete()
        SubscriptionCpv.objects.bulk_create(
            SubscriptionCpv(
                subscription=subscription,
                code=cpv_subtree(code),
                prefix=cpv_prefix(cpv_subtree(code)),
            )
            for code in cpvs
        )
        SubscriptionKeyword.objects.bulk_create(
            SubscriptionKeyword(subscription=subscription, word=word[:60]) for word in keywords
        )
    return subscription


def subscription_pause(*, subscription: Subscription, by: User | None, paused: bool) -> None:
    """Pause or resume. ``by`` is None for the one-click unsubscribe (the token is the proof)."""
    if by is not None and subscription.user_id != by.pk:
        raise PermissionDenied(NOT_YOURS)
    subscription.paused = paused
    subscription.save(update_fields=["paused"])


def subscription_delete(*, subscription: Subscription, by: User) -> None:
    if subscription.user_id != by.pk:
        raise PermissionDenied(NOT_YOURS)
    subscription.delete()


def alert_matches_write(*, tender: Tender, event: str, event_key: str = "") -> int:
    """Record, in the caller's transaction, one ``AlertMatch`` per matching subscription for this
    event of this tender; a repeat of the same event writes nothing. Returns how many were new."""
    if tender.is_invite_only:
        return 0
    facts = TenderFacts.of(tender)
    now = timezone.now()
    subscriptions = list(
        matching_subscriptions(tender, facts)
        .filter(created_at__lte=now)
        .select_related("municipality", "region", "near")
        .prefetch_related("cpvs", "keywords")
    )
    if not subscriptions:
        return 0
    firms_heard = set(
        AlertMatch.objects.filter(tender=tender).values_list("subscription__firm_id", flat=True)
    )
    existing = set(
        AlertMatch.objects.filter(tender=tender, event=event, event_key=event_key).values_list(
            "subscription_id", flat=True
        )
    )
    rows = [
        AlertMatch(
            subscription=subscription,
            tender=tender,
            event=event,
            event_key=event_key,
            reasons=match_reasons(subscription, facts),
            is_update=subscription.firm_id in firms_heard,
            created_at=now,
        )
        for subscription in subscriptions
        if subscription.pk not in existing
    ]
    AlertMatch.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
