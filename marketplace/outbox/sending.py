"""The e-mail for one outbox row (DESIGN §4.8, issue 16 point 4): text and HTML, in the message's
language, with a Message-ID on the site's domain, a Date, the site's own name as sender and the
row's own headers (``List-Unsubscribe`` and the like)."""

from __future__ import annotations

from email.utils import formataddr, formatdate, make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import translation

from marketplace.outbox.models import Message


def site_sender() -> str:
    """``"<SITE_NAME>" <address of DEFAULT_FROM_EMAIL>``: the site's name, never its host."""
    return formataddr((settings.SITE_NAME, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def email_message(
    *, message: Message, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    """The e-mail for ``message``: its text, its HTML (or the text laid out in the site's HTML
    frame, in the message's language), a fresh Message-ID per attempt and its extra headers."""
    language = message.language or settings.LANGUAGE_CODE
    headers = {
        **{str(name): str(value) for name, value in (message.headers or {}).items()},
        "Message-ID": make_msgid(idstring=f"message.{message.pk}", domain=site_domain()),
        "Date": formatdate(localtime=True),
    }
    email = EmailMultiAlternatives(
        message.subject,
        message.body,
        from_email=site_sender(),
        to=[message.address],
        headers=headers,
        connection=connection,
    )
    html = message.html
    if not html:
        with translation.override(language):
            html = render_to_string(
                "marketplace/outbox/message.html",
                {
                    "subject": message.subject,
                    "body": message.body,
                    "site_name": settings.SITE_NAME,
                    "site_url": settings.SITE_URL,
                },
            )
    email.attach_alternative(html, "text/html")
    return email


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: a mail client POSTs ``List-Unsubscribe=One-Click`` to
    ``url`` (an https URL whose opaque token is the proof; no session, no CSRF token)."""
    if not url.startswith("https://"):
        raise ValueError("RFC 8058 asks for an https URL in List-Unsubscribe.")
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
