"""California state business days: weekends, the CalHR holidays of 2026 and 2027, closures."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from contracts import calendar
from tests.factories import ClosureFactory

# The days state offices close, with the CalHR observance rule applied.
CLOSED_2026 = {
    date(2026, 1, 1): "New Year's Day",
    date(2026, 1, 19): "Martin Luther King Jr. Day",
    date(2026, 2, 16): "Presidents' Day",
    date(2026, 3, 31): "César Chávez Day",
    date(2026, 5, 25): "Memorial Day",
    # July 4, 2026 is a Saturday: no office closes (no federal-style Friday).
    date(2026, 9, 7): "Labor Day",
    date(2026, 11, 11): "Veterans Day",
    date(2026, 11, 26): "Thanksgiving Day",
    date(2026, 11, 27): "Day after Thanksgiving",
    date(2026, 12, 25): "Christmas Day",
}
CLOSED_2027 = {
    date(2027, 1, 1): "New Year's Day",
    date(2027, 1, 18): "Martin Luther King Jr. Day",
    date(2027, 2, 15): "Presidents' Day",
    date(2027, 3, 31): "César Chávez Day",
    date(2027, 5, 31): "Memorial Day",
    date(2027, 7, 5): "Independence Day",  # July 4, 2027 is a Sunday: Monday after
    date(2027, 9, 6): "Labor Day",
    date(2027, 11, 11): "Veterans Day",
    date(2027, 11, 25): "Thanksgiving Day",
    date(2027, 11, 26): "Day after Thanksgiving",
    # December 25, 2027 is a Saturday: no office closes; nor on Dec 31 for New Year 2028.
}


@pytest.mark.parametrize(("year", "expected"), [(2026, CLOSED_2026), (2027, CLOSED_2027)])
def test_state_holidays_are_exactly_the_calhr_list_with_observed_dates(year, expected):
    assert calendar.state_holidays(year) == expected


@pytest.mark.parametrize("day", sorted({**CLOSED_2026, **CLOSED_2027}))
def test_each_state_holiday_of_2026_and_2027_is_not_a_business_day(day):
    assert not calendar.is_business_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2028, 2, 15),  # Susan B. Anthony Day, a Tuesday: offices open
        date(2026, 6, 19),  # Juneteenth: not on the CalHR list the issue names
        date(2026, 7, 3),  # the federal Friday for a Saturday July 4
        date(2027, 6, 18),
        date(2027, 10, 29),  # Diwali
        date(2027, 12, 24),  # the federal Friday for a Saturday Christmas
        date(2027, 12, 31),  # the federal Friday for a Saturday New Year's Day 2028
    ],
)
def test_observances_on_which_state_offices_stay_open_are_business_days(day):
    assert calendar.is_business_day(day)


def test_veterans_day_on_a_saturday_is_observed_the_friday_before():
    # November 11, 2028 is a Saturday.
    assert date(2028, 11, 10) in calendar.state_holidays(2028)
    assert not calendar.is_business_day(date(2028, 11, 10))


def test_other_saturday_holidays_close_no_office():
    # March 31, 2029 (César Chávez Day) is a Saturday; the Friday before stays open.
    assert calendar.is_business_day(date(2029, 3, 30))
    assert date(2029, 3, 30) not in calendar.state_holidays(2029)


def test_sunday_holiday_is_observed_the_monday_after():
    assert calendar.state_holidays(2027)[date(2027, 7, 5)] == "Independence Day"


@pytest.mark.django_db
def test_five_business_days_skip_the_weekend():
    # Wednesday 2026-01-07 -> Thu, Fri, Mon, Tue, Wed.
    assert calendar.add_business_days(date(2026, 1, 7), 5) == date(2026, 1, 14)


@pytest.mark.django_db
def test_five_business_days_skip_thanksgiving_and_the_day_after():
    # Friday 2026-11-20 -> Mon 23, Tue 24, Wed 25, (Thu 26, Fri 27 closed), Mon 30, Tue Dec 1.
    assert calendar.add_business_days(date(2026, 11, 20), 5) == date(2026, 12, 1)


@pytest.mark.django_db
def test_five_business_days_across_a_saturday_holiday_lose_no_day():
    # Thursday 2026-07-02: Fri 3 is open (July 4 is a Saturday), Mon 6, Tue 7, Wed 8, Thu 9.
    assert calendar.add_business_days(date(2026, 7, 2), 5) == date(2026, 7, 9)


@pytest.mark.django_db
def test_five_business_days_across_the_year_end():
    # Tuesday 2026-12-29: Wed 30, Thu 31, (Fri Jan 1 closed), Mon 4, Tue 5, Wed 6.
    assert calendar.add_business_days(date(2026, 12, 29), 5) == date(2027, 1, 6)


@pytest.mark.django_db
def test_five_business_days_across_cesar_chavez_day():
    # Friday 2026-03-27: Mon 30, (Tue 31 closed), Wed Apr 1, Thu 2, Fri 3, Mon 6.
    assert calendar.add_business_days(date(2026, 3, 27), 5) == date(2026, 4, 6)


@pytest.mark.django_db
def test_an_office_closure_added_by_an_admin_is_not_a_business_day():
    ClosureFactory(date=date(2026, 1, 9), name="Winter storm")
    assert calendar.add_business_days(date(2026, 1, 7), 5) == date(2026, 1, 15)


@pytest.mark.django_db
def test_agreement_due_date_counts_from_the_pacific_date_of_approval():
    # 11:30 PM Pacific on Friday Nov 20, 2026 is already Saturday in UTC.
    approved_at = timezone.make_aware(datetime(2026, 11, 20, 23, 30))
    assert calendar.agreement_due_date(approved_at) == date(2026, 12, 1)


@pytest.mark.django_db
def test_business_days_between_is_negative_when_the_due_date_has_passed():
    assert calendar.business_days_between(date(2026, 11, 20), date(2026, 11, 30)) == 4
    assert calendar.business_days_between(date(2026, 11, 30), date(2026, 11, 20)) == -4
    assert calendar.business_days_between(date(2026, 11, 30), date(2026, 11, 30)) == 0


@pytest.mark.django_db
def test_previous_business_day_skips_a_holiday_weekend():
    assert calendar.previous_business_day(date(2026, 11, 30)) == date(2026, 11, 25)
