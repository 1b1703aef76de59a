"""django-allauth told about the site (issue 16 point 4): its own e-mails (address confirmation,
password reset) carry the site's name, sender and Message-ID domain, never the request's host
("127.0.0.1:8000") that allauth would otherwise take from the Sites framework's fallback."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMessage

from marketplace.outbox.sending import site_domain, site_sender


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's templates read as ``current_site``: the site's name and domain."""

    name: str
    domain: str


def site_identity() -> SiteIdentity:
    return SiteIdentity(name=settings.SITE_NAME, domain=site_domain())


class AccountAdapter(DefaultAccountAdapter):
    """allauth's mails as the site's own. They are sent at once, not through the outbox: a
    password reset link must not wait for a retry, nor be kept in the outbox's table."""

    def get_from_email(self) -> str:
        return site_sender()

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": site_identity()})

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        headers = {"Message-ID": make_msgid(idstring="account", domain=site_domain())} | (
            headers or {}
        )
        return super().render_mail(template_prefix, email, context, headers=headers)
