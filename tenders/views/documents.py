"""Placeholder until this module is built (issue 4)."""

from django.http import Http404


def document_download(request, *args, **kwargs):
    raise Http404


def document_upload(request, *args, **kwargs):
    raise Http404


def document_delete(request, *args, **kwargs):
    raise Http404
