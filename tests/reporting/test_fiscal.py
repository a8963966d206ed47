"""Fiscal years run July to June and are named by the year they end; quarters start in July."""

from datetime import date

from reporting.fiscal import (
    FiscalQuarter,
    fiscal_quarter_of,
    fiscal_year_label,
    fiscal_year_of,
    quarters_between,
)


def test_fiscal_year_starts_in_july_and_is_named_by_the_year_it_ends():
    assert fiscal_year_of(date(2026, 6, 30)) == 2026
    assert fiscal_year_of(date(2026, 7, 1)) == 2027
    assert fiscal_year_label(2027) == "2026–27"


def test_quarters_are_july_october_january_april():
    assert fiscal_quarter_of(date(2026, 7, 1)) == FiscalQuarter(2027, 1)
    assert fiscal_quarter_of(date(2026, 9, 30)) == FiscalQuarter(2027, 1)
    assert fiscal_quarter_of(date(2026, 10, 1)) == FiscalQuarter(2027, 2)
    assert fiscal_quarter_of(date(2027, 1, 15)) == FiscalQuarter(2027, 3)
    assert fiscal_quarter_of(date(2027, 6, 30)) == FiscalQuarter(2027, 4)


def test_a_quarter_knows_its_first_and_last_day():
    assert FiscalQuarter(2027, 2).start == date(2026, 10, 1)
    assert FiscalQuarter(2027, 2).end == date(2026, 12, 31)
    assert FiscalQuarter(2027, 4).end == date(2027, 6, 30)
    assert FiscalQuarter(2027, 4).next() == FiscalQuarter(2028, 1)


def test_quarters_between_lists_every_quarter_touched_across_years():
    assert quarters_between(date(2027, 5, 1), date(2027, 8, 1)) == [
        FiscalQuarter(2027, 4),
        FiscalQuarter(2028, 1),
    ]
    assert quarters_between(date(2027, 5, 1), date(2027, 4, 1)) == []
