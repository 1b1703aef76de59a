"""Template filters shared by every app's pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from marketplace.audit import audit_action_label
from marketplace.markdown import render_markdown

register = template.Library()


@register.filter
def audit_action(action: str) -> str:
    """A readable label for an audit action."""
    return audit_action_label(action)


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown (or plain text) as safe HTML; see marketplace.markdown."""
    return render_markdown(text)
