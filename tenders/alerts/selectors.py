"""Reads of subscriptions: a member's own, their live counts, what a delivery would contain."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Organisation, User
from tenders.alerts.models import AlertMatch, Subscription
from tenders.filters import OPEN, TenderFilter
from tenders.selectors.visibility import public_tenders

LAST_CHANCE_DAYS = 7


def firm_of(user: User) -> Organisation | None:
    """The firm a member saves alerts for (the first one, by name)."""
    return Organisation.objects.for_member(user).filter(kind=Organisation.Kind.FIRM).first()


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    if not user.is_authenticated:
        return Subscription.objects.none()
    return Subscription.objects.filter(user=user).select_related("firm")


def subscription_for_owner(user: User, pk: int) -> Subscription:
    """404 for anyone but its owner: another firm's member learns nothing of it."""
    return get_object_or_404(subscriptions_of(user), pk=pk)


def subscription_for_token(token: str) -> Subscription | None:
    """The subscription of an unsubscribe or feed token; None for a tampered or old one."""
    return Subscription.objects.filter(token=token).first() if token else None


def subscription_unsubscribe_url(subscription: Subscription) -> str:
    """The absolute https URL for ``List-Unsubscribe`` (RFC 8058: POST to it unsubscribes)."""
    path = reverse("alerts:unsubscribe", args=[subscription.token])
    site = getattr(settings, "SITE_URL", "") or "https://localhost"
    return site.rstrip("/").replace("http://", "https://", 1) + path


def subscription_open_tenders(subscription: Subscription, now: datetime | None = None) -> QuerySet:
    """The open public tenders it matches now, through the tender list's own filters; keywords
    count when any of them appears (as the matching does)."""
    data = QueryDict(mutable=True)
    for key, value in subscription.query.items():
        if key == "q":
            continue
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    data["status"] = OPEN
    filterset = TenderFilter(data, queryset=public_tenders(), now=now or timezone.now())
    tenders = filterset.qs
    keywords = [entry.word for entry in subscription.keywords.all()]
    if keywords:
        any_word = Q()
        for word in keywords:
            any_word |= Q(title__icontains=word) | Q(description__icontains=word)
        tenders = tenders.filter(any_word)
    return tenders


def subscriptions_with_counts(user: User) -> list[dict[str, Any]]:
    rows = []
    for subscription in subscriptions_of(user).prefetch_related("keywords"):
        rows.append(
            {"subscription": subscription, "open": subscription_open_tenders(subscription).count()}
        )
    return rows


def subscription_pending(subscription: Subscription, now: datetime | None = None) -> dict:
    """What the next delivery holds: the undelivered matches (new tenders and updates apart)
    and, for a digest, the "Laatste kans: sluit binnen 7 dagen" section."""
    now = now or timezone.now()
    pending = list(
        AlertMatch.objects.filter(subscription=subscription, delivered_at__isnull=True)
        .select_related("tender")
        .order_by("created_at", "pk")
    )
    last_chance = [
        match
        for match in pending
        if match.tender.quote_deadline
        and now < match.tender.quote_deadline <= now + timedelta(days=LAST_CHANCE_DAYS)
    ]
    return {
        "new": [match for match in pending if not match.is_update],
        "updates": [match for match in pending if match.is_update],
        "last_chance": last_chance,
    }
