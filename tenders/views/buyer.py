"""Placeholder until this module is built (issue 4)."""

from django.http import Http404


def buyer_dashboard(request, *args, **kwargs):
    raise Http404


def tender_create(request, *args, **kwargs):
    raise Http404


def tender_edit(request, *args, **kwargs):
    raise Http404


def tender_publish(request, *args, **kwargs):
    raise Http404


def tender_extend(request, *args, **kwargs):
    raise Http404


def tender_rectify(request, *args, **kwargs):
    raise Http404


def tender_cancel(request, *args, **kwargs):
    raise Http404
