"""California state business days, for every deadline counted in them (CalHR's calendar).

The calendar is the state-employee holiday list CalHR publishes: New Year's Day, Martin Luther
King Jr. Day, Presidents' Day, César Chávez Day, Memorial Day, Independence Day, Labor Day,
Veterans Day, Thanksgiving, the day after Thanksgiving and Christmas. A holiday on a Sunday is
observed the Monday after; one on a Saturday closes no office, except Veterans Day, which is
observed the Friday before.

The `holidays` package gives the dates of those days. Its US/CA subdivision is not that list: it
adds observances on which state offices stay open (Susan B. Anthony Day, Diwali, Juneteenth),
moves every Saturday holiday to the Friday before (the federal rule) and merges same-day holidays
into one name. So we ask it for the actual dates only (observed=False), keep the eleven CalHR
days by name, and apply the state's observance rule ourselves. One-off office closures are
business days lost too: an app that keeps them (contracts.Closure) registers a source of them in
CLOSURE_SOURCES, so this module, below every app, reads them without importing one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays as holiday_library
from django.utils import timezone

# The day's name in the holidays package -> the name CalHR gives it.
CALHR_HOLIDAYS = {
    "New Year's Day": "New Year's Day",
    "Martin Luther King Jr. Day": "Martin Luther King Jr. Day",
    "Presidents' Day": "Presidents' Day",
    "Cesar Chavez Day": "César Chávez Day",
    "Memorial Day": "Memorial Day",
    "Independence Day": "Independence Day",
    "Labor Day": "Labor Day",
    "Veterans Day": "Veterans Day",
    "Thanksgiving Day": "Thanksgiving Day",
    "Day After Thanksgiving": "Day after Thanksgiving",
    "Christmas Day": "Christmas Day",
}
# The one holiday that, falling on a Saturday, is observed the Friday before.
SATURDAY_OBSERVED_FRIDAY = {"Veterans Day"}

SATURDAY, SUNDAY = 5, 6


class CalendarError(RuntimeError):
    """The holiday library no longer names a CalHR holiday as this module expects."""


@lru_cache(maxsize=64)
def state_holidays(year: int) -> dict[date, str]:
    """Return {observed date: CalHR name} of the state holidays of `year` on which offices close.

    Raise CalendarError if the library stopped listing one of the eleven days (a renamed day
    would otherwise silently become a working day).
    """
    actual = holiday_library.US(subdiv="CA", years=year, observed=False)
    closed: dict[date, str] = {}
    found = set()
    for day in sorted(actual):
        for library_name in actual.get_list(day):
            name = CALHR_HOLIDAYS.get(library_name)
            if name is None:
                continue
            found.add(library_name)
            observed = _observed(day, name)
            if observed is not None:
                closed[observed] = name
    missing = set(CALHR_HOLIDAYS) - found
    if missing:
        raise CalendarError(
            f"The holidays library did not list {', '.join(sorted(missing))} for {year}; "
            "update core/business_days.py."
        )
    return closed


def _observed(day: date, name: str) -> date | None:
    if day.weekday() == SUNDAY:
        return day + timedelta(days=1)
    if day.weekday() == SATURDAY:
        return day - timedelta(days=1) if name in SATURDAY_OBSERVED_FRIDAY else None
    return day


# Each is called with (start, end) and returns the closure dates in that range, inclusive.
CLOSURE_SOURCES: list[Callable[[date, date], Iterable[date]]] = []


def closures_between(start: date, end: date) -> set[date]:
    """Return the dates of the one-off office closures from `start` to `end`, inclusive."""
    found: set[date] = set()
    for source in CLOSURE_SOURCES:
        found.update(source(start, end))
    return found


def is_business_day(day: date, closures: Iterable[date] = ()) -> bool:
    """Return whether state offices are open on `day` (closures: extra dates they are shut)."""
    return (
        day.weekday() < SATURDAY
        and day not in state_holidays(day.year)
        and day not in set(closures)
    )


def add_business_days(start: date, count: int, closures: Iterable[date] | None = None) -> date:
    """Return the `count`-th business day after `start` (`start` itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    # Five business days never span more than a few weeks; read the closures once.
    if closures is None:
        closures = closures_between(start, start + timedelta(days=count * 3 + 30))
    closed = set(closures)
    day = start
    counted = 0
    while counted < count:
        day += timedelta(days=1)
        if is_business_day(day, closed):
            counted += 1
    return day


def previous_business_day(day: date, closures: Iterable[date] | None = None) -> date:
    """Return the last business day before `day`."""
    if closures is None:
        closures = closures_between(day - timedelta(days=30), day)
    closed = set(closures)
    day -= timedelta(days=1)
    while not is_business_day(day, closed):
        day -= timedelta(days=1)
    return day


def business_days_between(start: date, end: date, closures: Iterable[date] | None = None) -> int:
    """Return how many business days lie after `start` up to and including `end`.

    Negative when `end` is before `start` (a due date already past gives the days late).
    """
    if end == start:
        return 0
    low, high, sign = (start, end, 1) if end > start else (end, start, -1)
    if closures is None:
        closures = closures_between(low, high)
    closed = set(closures)
    count = sum(
        1
        for offset in range(1, (high - low).days + 1)
        if is_business_day(low + timedelta(days=offset), closed)
    )
    return sign * count


def local_date(moment: datetime) -> date:
    """Return the Pacific date of an aware datetime."""
    return timezone.localtime(moment).date()
