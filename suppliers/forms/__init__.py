"""The firms' forms (``profiles.py``) and the supplier search (``search.py``), and how a typed
list of CPV codes is read, which the tenders' forms share."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from marketplace.models import CpvCode

SEPARATORS = re.compile(r"[\s,;]+")
CPV_TOKEN = re.compile(r"^(\d{8})(?:-(\d))?$")

NOT_CPV = _("Not a CPV code: %(codes)s. Type 8 digits, like 45442100, or pick from the list.")
UNKNOWN_CPV_CODES = _("Unknown CPV codes: %(codes)s.")


def split_codes(value: str) -> list[str]:
    """The codes typed in a field, in order, without repeats."""
    return list(dict.fromkeys(token for token in SEPARATORS.split(value or "") if token))


def parse_cpv(value: str) -> tuple[list[CpvCode], list[str], list[str]]:
    """Known codes, tokens that are no CPV code at all, and well-formed codes that do not exist."""
    matches = {token: CPV_TOKEN.match(token) for token in split_codes(value)}
    malformed = [token for token, match in matches.items() if match is None]
    wanted = {token: match.groups() for token, match in matches.items() if match}
    found = CpvCode.objects.in_bulk([code for code, _check in wanted.values()])
    known: dict[str, CpvCode] = {}
    unknown = []
    for token, (code, check_digit) in wanted.items():
        cpv = found.get(code)
        if cpv is None or (check_digit is not None and check_digit != cpv.check_digit):
            unknown.append(token)
        else:
            known.setdefault(code, cpv)
    return list(known.values()), malformed, unknown
