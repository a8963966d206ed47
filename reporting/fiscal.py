"""California's fiscal year (July to June) and its quarters, as plain date arithmetic.

A fiscal year is named by the calendar year in which it ends: fiscal year 2027 runs from
July 1, 2026 to June 30, 2027 and is written "2026–27". Quarter 1 is July–September, quarter 2
October–December, quarter 3 January–March, quarter 4 April–June.
"""

from dataclasses import dataclass
from datetime import date, timedelta

QUARTERS = (1, 2, 3, 4)
QUARTER_MONTHS = {1: "Jul–Sep", 2: "Oct–Dec", 3: "Jan–Mar", 4: "Apr–Jun"}


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    fiscal_year: int
    quarter: int

    @property
    def start(self) -> date:
        month = 7 + 3 * (self.quarter - 1)
        year = self.fiscal_year - 1
        if month > 12:
            month, year = month - 12, year + 1
        return date(year, month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> "FiscalQuarter":
        if self.quarter == 4:
            return FiscalQuarter(self.fiscal_year + 1, 1)
        return FiscalQuarter(self.fiscal_year, self.quarter + 1)

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)} Q{self.quarter}"


def fiscal_year_of(day: date) -> int:
    """Return the fiscal year (named by the year it ends) that `day` falls in."""
    return day.year + 1 if day.month >= 7 else day.year


def fiscal_quarter_of(day: date) -> FiscalQuarter:
    """Return the fiscal quarter that `day` falls in."""
    months_in = (day.month - 7) % 12
    return FiscalQuarter(fiscal_year_of(day), months_in // 3 + 1)


def fiscal_year_label(fiscal_year: int) -> str:
    """Return "2026–27" for fiscal year 2027."""
    return f"{fiscal_year - 1}–{fiscal_year % 100:02d}"


def quarters_between(first: date, last: date) -> list[FiscalQuarter]:
    """Return every fiscal quarter that the days from `first` to `last` (inclusive) touch."""
    if last < first:
        return []
    quarter, stop = fiscal_quarter_of(first), fiscal_quarter_of(last)
    found = []
    while quarter <= stop:
        found.append(quarter)
        quarter = quarter.next()
    return found
