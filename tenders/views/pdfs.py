"""Placeholder until this module is built (issue 4)."""

from django.http import Http404


def tender_notice_pdf(request, *args, **kwargs):
    raise Http404


def clarification_notice_pdf(request, *args, **kwargs):
    raise Http404
