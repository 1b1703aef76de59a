"""Parts of the tender pages as a visitor gets them, for tests that read them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from marketplace.models import User
from tenders.models import Tender
from tenders.views.participation import participation_context


def participation_html(user: User | None, tender: Tender) -> str:
    """The participation box as the tender page renders it for this visitor (None: anonymous)."""
    request = RequestFactory().get(reverse("tenders:detail", args=[tender.pk]))
    request.user = user or AnonymousUser()
    return render_to_string(
        "tenders/includes/participation.html",
        participation_context(request, tender),
        request=request,
    )
