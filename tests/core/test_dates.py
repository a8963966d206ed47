"""format_date writes exactly what Django's `date` filter writes, for every format the pages use."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as django_date
from django.utils import translation

from core.dates import format_date

PACIFIC = ZoneInfo("America/Los_Angeles")
FORMATS = [
    "M j, Y",
    "M j, Y, g:i A T",
    "M j, Y, g:i A",
    "M j, Y g:i A T",
    "F j, Y",
    "l, F j, Y",
    r"l, F j, Y \a\t g:i A T",
    "F j, Y, g:i a",
    "D, M j, Y",
    "Y-m-d",
    "F Y",
    "M j",
    "H:i",
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "r",  # not written here: Django's own code writes it
    "c",
    None,
]


def _moments():
    """Every hour of a year in Pacific time, both changes of time (skipped, repeated) included."""
    start = datetime(2026, 1, 1, 0, 7, tzinfo=PACIFIC)
    for hours in range(0, 366 * 24, 5):
        yield start + timedelta(hours=hours)
    for day, hour in ((date(2026, 3, 8), 2), (date(2026, 11, 1), 1)):  # skipped, repeated
        for fold in (0, 1):
            yield datetime(day.year, day.month, day.day, hour, 30, tzinfo=PACIFIC, fold=fold)
    yield datetime(2026, 6, 1, 12, 0)  # naive: Django reads it in the default zone
    yield datetime(2026, 6, 1, 0, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_datetimes_are_written_as_the_date_filter_writes_them(fmt):
    for moment in _moments():
        assert format_date(moment, fmt) == django_date(moment, fmt), (moment, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_dates_are_written_as_the_date_filter_writes_them(fmt):
    for day in (date(2026, 1, 1) + timedelta(days=n) for n in range(0, 366, 3)):
        try:
            expected = django_date(day, fmt)
        except TypeError:  # a time part asked of a date: Django refuses it, and so does this
            with pytest.raises(TypeError):
                format_date(day, fmt)
        else:
            assert format_date(day, fmt) == expected, (day, fmt)


@pytest.mark.parametrize("value", [None, "", "not a date", 12])
def test_what_is_not_a_date_is_left_to_the_date_filter(value):
    assert format_date(value, "M j, Y") == django_date(value, "M j, Y")


def test_the_names_follow_the_active_language():
    moment = datetime(2026, 5, 4, 15, 0, tzinfo=PACIFIC)
    with translation.override("fr"):
        assert format_date(moment, "l j F Y, g:i A") == django_date(moment, "l j F Y, g:i A")
        assert format_date(moment, "D M") == django_date(moment, "D M")
    assert format_date(moment, "l, F j") == "Monday, May 4"


def test_the_template_filter_reads_the_value_in_local_time():
    moment = datetime(2026, 12, 2, 7, 30, tzinfo=ZoneInfo("UTC"))
    template = Template(
        '{% load portal_dates %}{{ at|format_date:"M j, Y, g:i A T" }}|'
        '{{ at|date:"M j, Y, g:i A T" }}'
    )
    fast, django = template.render(Context({"at": moment})).split("|")
    assert fast == django == "Dec 1, 2026, 11:30 PM PST"
