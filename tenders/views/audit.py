"""A tender's audit trail for its buying organisation, as a page and as CSV."""

from django.http import Http404

# Placeholders until this module is built (issue 5, in progress this session).


def _not_yet(*args, **kwargs):
    raise Http404


tender_audit = _not_yet
tender_audit_csv = _not_yet
