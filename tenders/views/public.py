"""Placeholder until this module is built (issue 4)."""

from django.http import Http404


def tender_list(request, *args, **kwargs):
    raise Http404


def tender_detail(request, *args, **kwargs):
    raise Http404
