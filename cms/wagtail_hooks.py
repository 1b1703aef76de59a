"""Wagtail hooks: an expired page is gone for visitors, also before the job unpublishes it."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from wagtail import hooks


@hooks.register("before_serve_page")
def refuse_expired_pages(page, request, serve_args, serve_kwargs):
    if page.expire_at is not None and page.expire_at <= timezone.now():
        raise Http404
