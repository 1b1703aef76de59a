"""The invitation assistant's pages, the invitation rules and the firm's tender dashboard."""

from django.http import Http404

# Placeholders until this module is built (issue 5, in progress this session).


def _not_yet(*args, **kwargs):
    raise Http404


firm_dashboard = _not_yet
procurement_policy = _not_yet
invitation_list = _not_yet
invitations_propose = _not_yet
invitation_add = _not_yet
invitation_replace = _not_yet
invitation_remove = _not_yet
justification_csv = _not_yet
