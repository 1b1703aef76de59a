"""Wagtail pages: the home page, speerpunten, news, events and the standard pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import ArticleBodyBlock, SpeerpuntBodyBlock
from marketplace.models import Municipality, Organisation
from marketplace.selectors import buyer_municipality_count
from suppliers.selectors import published_firm_count
from tenders.selectors.visibility import public_tenders


def on_site(pages):
    """What visitors see: live, public and not past its expiry (the periodic job unpublishes
    expired pages; until it has run they are gone all the same)."""
    now = timezone.now()
    return pages.live().public().filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))


class HomePage(Page):
    """The front page: what Dichtbij is, with the way in for buyers, firms and visitors."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title", label=_("Heading"))),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
        ],
        blank=True,
        verbose_name=_("body"),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.SpeerpuntenIndexPage",
        "cms.NewsIndexPage",
        "cms.EventIndexPage",
        "cms.StandardPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["figures"] = {
            "firms": published_firm_count(),
            "buyers": buyer_municipality_count(),
            "municipalities": Municipality.objects.count(),
        }
        context["tenders"] = list(
            public_tenders().select_related("buyer").order_by("-published_at", "-pk")[:3]
        )
        context["next_event"] = (
            on_site(EventPage.objects).filter(start__gte=timezone.now()).order_by("start").first()
        )
        context["speerpunten"] = list(on_site(SpeerpuntPage.objects).order_by("path")[:3])
        context["news"] = list(on_site(NewsPage.objects).order_by("-date", "-pk")[:3])
        return context


class SpeerpuntenIndexPage(Page):
    """/speerpunten/: the association's priorities, in the editors' order, and the booklet."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    foreword = RichTextField(
        _("foreword of the booklet"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("foreword")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.SpeerpuntPage"]

    class Meta:
        verbose_name = _("speerpunten index")

    def speerpunten(self):
        return on_site(SpeerpuntPage.objects.child_of(self)).order_by("path")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["speerpunten"] = self.speerpunten()
        return context


class SpeerpuntPage(Page):
    """One priority of the association, with live figures from the platform."""

    summary = models.TextField(_("short summary"), max_length=400)
    body = StreamField(SpeerpuntBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.SpeerpuntenIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("speerpunt")
        verbose_name_plural = _("speerpunten")


class NewsIndexPage(Page):
    """/nieuws/: news of the association, newest first, with an Atom feed."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    PER_PAGE = 10

    class Meta:
        verbose_name = _("news index")

    def news(self):
        return on_site(NewsPage.objects.child_of(self)).order_by("-date", "-pk")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        context["page_obj"] = Paginator(self.news(), self.PER_PAGE).get_page(
            request.GET.get("page")
        )
        return context


class NewsPage(Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("short summary"), max_length=400)
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")


class EventIndexPage(Page):
    """/bijeenkomsten/: the coming netwerkbijeenkomsten, soonest first."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]

    class Meta:
        verbose_name = _("events index")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        events = on_site(EventPage.objects.child_of(self))
        now = timezone.now()
        context["upcoming"] = events.filter(start__gte=now).order_by("start")
        context["past"] = events.filter(start__lt=now).order_by("-start")[:5]
        return context


class EventPage(RoutablePageMixin, Page):
    """A netwerkbijeenkomst: when, where, how many, and who comes (RSVPs)."""

    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    summary = models.TextField(_("short summary"), max_length=400)
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("start"),
                FieldPanel("end"),
                FieldPanel("place"),
                FieldPanel("address"),
                FieldPanel("capacity"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("place"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms.selectors import event_rsvp_summary

        context = super().get_context(request, *args, **kwargs)
        context.update(event_rsvp_summary(event=self, user=request.user))
        return context

    @path("aanmelden/", name="rsvp")
    def rsvp(self, request: HttpRequest) -> HttpResponse:
        from cms.views import event_rsvp

        return event_rsvp(request, self)


class StandardPage(Page):
    """Over ons, privacy, the accessibility statement: plain pages linked from the footer."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))
    show_in_footer = models.BooleanField(_("show in the footer"), default=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    promote_panels = [*Page.promote_panels, FieldPanel("show_in_footer")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("standard page")


class Rsvp(models.Model):
    """Someone coming to an event (or waiting for a place). Matchmaking (J6) attaches here later."""

    class Status(models.TextChoices):
        ATTENDING = "attending", _("Coming")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rsvps",
        help_text=_("The firm or municipality the person comes for."),
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ATTENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("RSVP")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_rsvp_per_person")
        ]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user} → {self.event} ({self.status})"
