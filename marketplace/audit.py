"""The words for the audit log's actions: each app registers the labels of the actions it records
from its own ``AppConfig.ready`` (DESIGN §3), so the shared noun names no app."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The actions of the shared nouns themselves (marketplace.services).
AUDIT_ACTION_LABELS = {
    "organisation.created": _("Organisation created"),
    "membership.added": _("Member added"),
}

_registered: dict[str, str | Promise] = {}


def audit_actions_register(labels: Mapping[str, str | Promise]) -> None:
    """Make the labels of an app's audit actions known to every audit trail."""
    # Compared by identity: evaluating a lazy label here would translate before it is needed.
    taken = sorted(
        action for action, label in labels.items() if _registered.get(action, label) is not label
    )
    if taken:
        raise ImproperlyConfigured(f"Audit actions registered twice: {', '.join(taken)}")
    _registered.update(labels)


def audit_action_label(action: str) -> str:
    """A readable label for an audit action; the raw action when no app registered one."""
    return str(_registered.get(action, action))
