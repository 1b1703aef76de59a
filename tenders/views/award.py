"""Evaluation, award, contract and the award notice PDF."""

from django.http import Http404

# Placeholders until this module is built (issue 5, in progress this session).


def _not_yet(*args, **kwargs):
    raise Http404


evaluation = _not_yet
award_decide = _not_yet
contract_record = _not_yet
tender_unsuccessful = _not_yet
award_notice_pdf = _not_yet


def outcome_context(request, tender) -> dict:
    return {}
