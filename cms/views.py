"""Views of the association's pages that are not plain Wagtail pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms import feeds
from cms.models import EventIndexPage, EventPage, NewsIndexPage, Rsvp, SpeerpuntenIndexPage, on_site
from cms.pdf import booklet_for_request
from cms.services import rsvp_cancel, rsvp_create
from suppliers.selectors import firms_of

RSVP_ATTENDING = _("You're coming: see you there!")
RSVP_WAITING = _(
    "The event is full: you're on the waiting list. We'll let you know when a place frees up."
)
RSVP_CANCELLED = _("You're no longer signed up.")


def event_rsvp(request: HttpRequest, event: EventPage) -> HttpResponse:
    """POST: sign up for the event (or cancel with ``cancel``); signed-in users only."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(event.url)
    if request.POST.get("cancel"):
        rsvp_cancel(event=event, user=request.user)
        messages.success(request, RSVP_CANCELLED)
        return redirect(event.url)
    firms = firms_of(request.user)
    organisation = firms[0].organisation if firms else None
    rsvp = rsvp_create(event=event, user=request.user, organisation=organisation)
    text = RSVP_WAITING if rsvp.status == Rsvp.Status.WAITING else RSVP_ATTENDING
    messages.success(request, text)
    return redirect(event.url)


def search(request: HttpRequest) -> HttpResponse:
    """Site search over the live, public pages (Wagtail's search backend)."""
    query = request.GET.get("q", "").strip()
    results = (
        Page.objects.live().public().specific().search(query) if query else Page.objects.none()
    )
    page_obj = Paginator(results, 10).get_page(request.GET.get("page"))
    return render(request, "cms/search.html", {"query": query, "page_obj": page_obj})


def booklet(request: HttpRequest) -> HttpResponse:
    """/speerpunten/boekje.pdf: the speerpuntenboekje of the live speerpunten index."""
    index = get_object_or_404(on_site(SpeerpuntenIndexPage.objects))
    response = HttpResponse(booklet_for_request(index), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="speerpuntenboekje.pdf"'
    return response


def news_feed(request: HttpRequest) -> HttpResponse:
    """/nieuws/feed.atom: the newest news items."""
    return feeds.news_feed(request, get_object_or_404(on_site(NewsIndexPage.objects)))


def event_ical(request: HttpRequest, slug: str) -> HttpResponse:
    """/bijeenkomsten/<slug>/agenda.ics: one event for the visitor's calendar."""
    index = get_object_or_404(on_site(EventIndexPage.objects))
    event = get_object_or_404(on_site(EventPage.objects.child_of(index)), slug=slug)
    return feeds.event_ical(request, event)
