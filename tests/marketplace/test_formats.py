"""The display formats (marketplace.formats): one way to write money, points, moments and sizes,
on pages, in e-mails and in PDFs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from marketplace import formats

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


# Money and points --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("0"), "€ 0"),
        (Decimal("0.5"), "€ 0,50"),
        (Decimal("999.995"), "€ 1.000"),
        (Decimal("45000"), "€ 45.000"),
        (Decimal("216000"), "€ 216.000"),
        (Decimal("5404000.00"), "€ 5.404.000"),
        (Decimal("1234.5"), "€ 1.234,50"),
        (Decimal("-250"), "€ -250"),
        (Decimal("-1234.5"), "€ -1.234,50"),
        (Decimal("-1234.56"), "€ -1.234,56"),
        (Decimal("10000000000"), "€ 10.000.000.000"),
        (Decimal("9999999999.99"), "€ 9.999.999.999,99"),
        (12500, "€ 12.500"),
        ("79.60", "€ 79,60"),  # as the ranking kept with an award stores it
    ],
)
def test_euros_are_written_the_dutch_way(amount, expected):
    assert formats.euro(amount) == expected.replace(" ", NBSP)


def test_cents_can_be_always_or_never_shown():
    assert formats.euro(Decimal("50000"), cents=True) == f"€{NBSP}50.000,00"
    assert formats.euro(Decimal("49999.99"), cents=False) == f"€{NBSP}50.000"
    assert formats.euro(Decimal("0.005")) == f"€{NBSP}0,01"  # half a cent rounds up


def test_euros_are_dutch_in_english_too():
    with translation.override("en"):
        assert formats.euro(Decimal("1234.56")) == f"€{NBSP}1.234,56"


def test_a_value_range():
    assert formats.euro_range(Decimal("40000"), Decimal("60000")) == (
        f"€{NBSP}40.000 – €{NBSP}60.000"
    )
    assert formats.euro_range(Decimal("40000"), Decimal("40000")) == f"€{NBSP}40.000"
    assert formats.euro_range(Decimal("40000"), None) == f"€{NBSP}40.000"
    assert formats.euro_range(None, Decimal("60000")) == ""


def test_points_have_a_decimal_comma():
    assert formats.points(Decimal("95")) == "95,00"
    assert formats.points("79.6") == "79,60"
    assert formats.points(Decimal("1234.567")) == "1.234,57"
    assert formats.points(Decimal("-0.5")) == "-0,50"
    with translation.override("en"):
        assert formats.points(Decimal("95")) == "95,00"
    assert formats.points(None) == ""


# Moments -----------------------------------------------------------------------------------------


WINTER = datetime(2027, 1, 3, 13, 30, 29, 589041, tzinfo=UTC)  # 14:30:29.589041 in Amsterdam


def test_a_moment_is_dutch_to_the_minute_in_amsterdam():
    assert formats.moment(WINTER) == "3 januari 2027 om 14:30"


def test_a_moment_in_english_has_the_english_month_name():
    with translation.override("en"):
        assert formats.moment(WINTER) == "3 January 2027 at 14:30"


def test_midnight_belongs_to_the_day_that_starts():
    midnight = datetime(2027, 3, 14, 23, 0, tzinfo=UTC)  # 00:00 on 15 March in Amsterdam
    assert formats.moment(midnight) == "15 maart 2027 om 00:00"
    assert formats.day(midnight) == "15 maart 2027"


def test_the_switch_to_summer_time_moves_the_clock_an_hour():
    before = datetime(2027, 3, 28, 0, 59, tzinfo=UTC)  # 01:59 winter time
    after = before + timedelta(minutes=2)  # 03:01 summer time
    assert formats.moment(before) == "28 maart 2027 om 01:59"
    assert formats.moment(after) == "28 maart 2027 om 03:01"
    assert formats.datetime_attr(after) == "2027-03-28T03:01:00+02:00"


def test_the_switch_back_to_winter_time():
    summer = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 summer time
    winter = summer + timedelta(hours=1)  # 02:30 again, winter time
    assert formats.moment(summer) == formats.moment(winter) == "31 oktober 2027 om 02:30"
    assert formats.datetime_attr(summer) == "2027-10-31T02:30:00+02:00"
    assert formats.datetime_attr(winter) == "2027-10-31T02:30:00+01:00"


def test_a_date_is_written_as_its_day():
    assert formats.moment(date(2027, 12, 13)) == "13 december 2027"
    assert formats.day(date(2027, 12, 13)) == "13 december 2027"
    assert formats.datetime_attr(date(2027, 12, 13)) == "2027-12-13"


def test_the_datetime_attribute_has_no_microseconds():
    assert formats.datetime_attr(WINTER) == "2027-01-03T14:30:29+01:00"


def test_nothing_is_written_for_no_value():
    assert formats.moment(None) == formats.day(None) == formats.datetime_attr(None) == ""
    assert formats.euro(None) == formats.deadline(None) == formats.filesize(None) == ""


def test_the_time_left_until_a_deadline():
    now = datetime(2027, 1, 3, 12, 0, tzinfo=UTC)
    assert formats.deadline(now + timedelta(days=5, hours=3), now) == "nog 5 dagen"
    assert formats.deadline(now + timedelta(hours=3, minutes=10), now) == "nog 3 uur"
    assert formats.deadline(now + timedelta(seconds=61), now) == "nog 2 minuten"
    assert formats.deadline(now, now) == "deadline verstreken"


def test_a_file_size_has_a_decimal_comma():
    assert formats.filesize(1536) == f"1,5{NBSP}KB"
    assert formats.filesize(12) == f"12{NBSP}bytes"


# The template filters ----------------------------------------------------------------------------


def render(source: str, **context: object) -> str:
    return Template("{% load formats %}" + source).render(Context(context))


def test_the_template_filters_write_the_same():
    html = render(
        '<time datetime="{{ at|datetime_attr }}">{{ at|moment }}</time> {{ at|day }} · '
        "{{ low|euro_range:high }} · {{ price|euro }} · {{ price|euro:'cents' }} · "
        "{{ score|points }} · {{ size|filesize }}",
        at=WINTER,
        low=Decimal("40000"),
        high=Decimal("60000"),
        price=Decimal("12500"),
        score=Decimal("95"),
        size=2048,
    )
    assert html == (
        '<time datetime="2027-01-03T14:30:29+01:00">3 januari 2027 om 14:30</time> '
        f"3 januari 2027 · €{NBSP}40.000 – €{NBSP}60.000 · €{NBSP}12.500 · €{NBSP}12.500,00 · "
        f"95,00 · 2,0{NBSP}KB"
    )
