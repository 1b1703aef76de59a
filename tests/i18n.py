"""Messages as tests read them: the English source text, or the Dutch a page shows, whatever the
compiled catalogue says."""

from __future__ import annotations

from django.utils import translation


def english(message: object, **params: object) -> str:
    """The English text of a message (a msgid or a lazy string), its parameters filled in."""
    with translation.override("en"):
        text = str(message)
    return text % params if params else text


def nl(text: str) -> str:
    """The Dutch a page shows for an English msgid."""
    with translation.override("nl"):
        return translation.gettext(text)
