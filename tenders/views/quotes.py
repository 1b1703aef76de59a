"""Sealed quotes: submit, replace, withdraw, receipt; the opening and the opened quotes."""

from django.http import Http404

# Placeholders until this module is built (issue 5, in progress this session).


def _not_yet(*args, **kwargs):
    raise Http404


quote_submit = _not_yet
quote_withdraw = _not_yet
quote_receipt = _not_yet
vault_opening = _not_yet
quote_list_buyer = _not_yet
quote_file_download = _not_yet


def quote_panel_context(request, tender) -> dict:
    return {}
