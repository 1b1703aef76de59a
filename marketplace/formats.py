"""How Dichtbij writes amounts, moments and sizes for people: the one home of the display formats
(DESIGN §8), for pages, e-mails and PDFs alike. Templates use them as filters
(``{% load formats %}``: ``euro``, ``euro_range``, ``points``, ``moment``, ``day``, ``deadline``,
``datetime_attr``, ``filesize``); services return values and leave the writing to these.

- Money and points the Dutch way in every language: "€ 1.234,56", "95,00" (a non-breaking space
  after the euro sign, so a line never ends in "€").
- Moments in Dutch time (Europe/Amsterdam, the ``TIME_ZONE``), to the minute, in one format:
  "3 januari 2027 om 14:30", in English "3 January 2027 at 14:30"; a date alone "3 januari 2027".
- ``datetime_attr`` gives what a ``<time datetime>`` attribute needs: valid HTML, no microseconds.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

NBSP = "\u00a0"
CENT = Decimal("0.01")

Amount = Decimal | int | str


# Amounts -----------------------------------------------------------------------------------------


def euro(amount: Amount | None, *, cents: bool | None = None) -> str:
    """Money the Dutch way: "€ 1.234,56", "€ -250" ("" for none). Cents are shown when there are
    any, unless ``cents`` says always (True) or never (False, rounded)."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    if cents is None:
        cents = value != value.to_integral_value()
    if not cents:
        value = value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"€{NBSP}{sign}{_dutch_number(abs(value), 2 if cents else 0)}"


def euro_range(low: Amount | None, high: Amount | None = None) -> str:
    """An estimated value: "€ 40.000", or "€ 40.000 – € 60.000" for a range; "" when unknown."""
    if low is None or low == "":
        return ""
    if high is None or high == "" or Decimal(str(high)) == Decimal(str(low)):
        return euro(low)
    return f"{euro(low)} – {euro(high)}"


def points(value: Amount | None, places: int = 2) -> str:
    """Points (or any decimal) the Dutch way, with a decimal comma: "79,60" ("" for none)."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    return sign + _dutch_number(abs(number), places)


def _dutch_number(value: Decimal, places: int) -> str:
    """A non-negative number with dots between the thousands and a decimal comma."""
    whole, _dot, fraction = f"{value:.{places}f}".partition(".")
    text = f"{int(whole):,}".replace(",", ".")
    return f"{text},{fraction}" if places else text


# Moments -----------------------------------------------------------------------------------------


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def day(value: datetime | date | None) -> str:
    """The day of a moment (or a date) in Dutch time: "3 januari 2027" ("" for none)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return formats.date_format(value, "j F Y")


def moment(value: datetime | date | None) -> str:
    """A moment in Dutch time, to the minute: "3 januari 2027 om 14:30" ("3 January 2027 at
    14:30" in English); a date alone is written as its day, "" stands for none."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return day(value)
    local = _local(value)
    return gettext("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


def deadline(value: datetime | None, now: datetime | None = None) -> str:
    """How long until a deadline, the way people say it: "5 days left", "3 hours left",
    "deadline passed" ("" for none)."""
    if value is None or value == "":
        return ""
    seconds = (value - (now or timezone.now())).total_seconds()
    if seconds <= 0:
        return gettext("deadline passed")
    days, hours, minutes = int(seconds // 86400), int(seconds // 3600), -int(-seconds // 60)
    if days:
        return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}
    if hours:
        return ngettext("%(count)d hour left", "%(count)d hours left", hours) % {"count": hours}
    return ngettext("%(count)d minute left", "%(count)d minutes left", minutes) % {"count": minutes}


def datetime_attr(value: datetime | date | None) -> str:
    """A moment for a ``<time datetime>`` attribute: "2027-01-03T14:30:00+01:00" (Dutch time,
    whole seconds: HTML allows no more than three decimals), a date as "2027-01-03"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return _local(value).replace(microsecond=0).isoformat()
    return value.isoformat()


# Sizes -------------------------------------------------------------------------------------------


def filesize(size: int | None) -> str:
    """A file's size as people read it: "12 bytes", "1,5 MB" ("" for none)."""
    if size is None or size == "":
        return ""
    return filesizeformat(size)
