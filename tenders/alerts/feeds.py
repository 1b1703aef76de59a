"""Every public tender search as an Atom 1.0 feed (DESIGN §4.8), and each subscription's own."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from tenders.alerts.selectors import subscription_for_token, subscription_open_tenders
from tenders.filters import TenderFilter
from tenders.models import Tender
from tenders.selectors.visibility import public_tenders

FEED_SIZE = 50


class TenderSearchFeed(Feed):
    """``/tenders/feed.atom?<the list's filters>``: public tenders only, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> HttpRequest:
        return request

    def title(self, request: HttpRequest) -> str:
        return _("Dichtbij: tenders")

    def link(self, request: HttpRequest) -> str:
        query = request.GET.urlencode()
        return reverse("tenders:list") + (f"?{query}" if query else "")

    def subtitle(self, request: HttpRequest) -> str:
        return _("Tenders of municipalities that match this search.")

    def items(self, request: HttpRequest):
        filterset = TenderFilter(request.GET, queryset=public_tenders().published())
        tenders = filterset.qs if filterset.is_valid() else Tender.objects.none()
        return tenders.select_related("buyer").order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item: Tender) -> str:
        return f"{item.reference} · {item.title}"

    def item_description(self, item: Tender) -> str:
        return item.description

    def item_link(self, item: Tender) -> str:
        return reverse("tenders:detail", args=[item.pk])

    def item_guid(self, item: Tender) -> str:
        return f"tag:dichtbij,2026:tender:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Tender):
        return item.published_at

    def item_updateddate(self, item: Tender):
        return item.updated_at

    def item_author_name(self, item: Tender) -> str:
        return item.buyer.name


class SubscriptionFeed(TenderSearchFeed):
    """``/alerts/feed/<token>.atom``: the open tenders one subscription matches (private token)."""

    def get_object(self, request: HttpRequest, token: str):
        subscription = subscription_for_token(token)
        if subscription is None:
            raise Http404
        return subscription

    def title(self, subscription) -> str:
        return _("Dichtbij alert: %(name)s") % {"name": subscription.name}

    def link(self, subscription) -> str:
        return reverse("alerts:list")

    def subtitle(self, subscription) -> str:
        return _("Open tenders that match this alert.")

    def items(self, subscription):
        return (
            subscription_open_tenders(subscription)
            .select_related("buyer")
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )
