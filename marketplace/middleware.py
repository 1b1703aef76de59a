"""Request handling of our own: the language rule and the content security policy."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

WAGTAIL_ADMIN_PREFIX = "/admin/"


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language: a Dutch public
    service speaks Dutch first, and the switch (a cookie) is the only way to English."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class SiteCSPMiddleware(CSPMiddleware):
    """The strict policy of settings.CONTENT_SECURITY_POLICY everywhere, except in the Wagtail
    admin: Wagtail 8 still renders a few inline scripts there (date-time pickers, inline panels),
    so editors' pages may run inline scripts. The public site and the marketplace stay strict."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(WAGTAIL_ADMIN_PREFIX) and parts.update is None:
            parts.update = {"script-src": ["'unsafe-inline'"]}
        return parts
