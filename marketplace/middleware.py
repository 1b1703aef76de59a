"""Request handling of our own: the language rule, the content security policy and the page for
a database that is busy."""

from __future__ import annotations

import logging
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation

WAGTAIL_ADMIN_PREFIX = "/admin/"
logger = logging.getLogger(__name__)


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


# Lock waits that ran out (issue 17.2): SQLite's busy timeout, and PostgreSQL's lock timeout,
# serialization failure and deadlock. Trying again a moment later works; the data is consistent.
SQLITE_BUSY = ("database is locked", "database table is locked")
POSTGRES_BUSY = {"55P03", "40001", "40P01"}
RETRY_AFTER_SECONDS = 2


def is_busy_database(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    if any(text in str(error) for text in SQLITE_BUSY):
        return True
    return getattr(error.__cause__, "sqlstate", None) in POSTGRES_BUSY


class BusyDatabaseMiddleware:
    """A friendly "try again" page (503 with Retry-After) instead of a 500 when a lock wait runs
    out. The page needs no database: rendering it must not wait for the same lock."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy_database(exception):
            return None
        logger.warning("Busy database on %s: %s", request.path, exception)
        body = render_to_string("busy.html", {"LANGUAGE_CODE": translation.get_language()})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
