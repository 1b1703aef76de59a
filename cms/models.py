"""Wagtail pages."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from marketplace.models import Municipality
from marketplace.selectors import buyer_municipality_count
from suppliers.selectors import published_firm_count


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

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["figures"] = {
            "firms": published_firm_count(),
            "buyers": buyer_municipality_count(),
            "municipalities": Municipality.objects.count(),
        }
        return context
