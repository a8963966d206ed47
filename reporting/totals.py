"""The report's figures, counted in the database and kept in ReportTotal per fiscal year.

For every quarter of a year, the quarter alone and the year to date through it, by kind of
support, overall and by initiative, Center, county and LEA type:

- `duplicated`: LEAs counted once per initiative they took part in (CCEE's published count);
- `unduplicated`: each LEA once.

25 grouped queries recompute a year (5 breakdowns for the quarters alone, 5 × 4 for the years
to date); the report then reads one small table, so its time and query count do not grow with
the records (bench/bench_report.py).
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F

from .fiscal import QUARTERS
from .models import Dimension, ReportTotal, SupportRecord

# One LEA in one initiative, as a single integer that COUNT(DISTINCT …) can take on every
# database: initiative ids stay far below this factor.
PAIR_FACTOR = 1_000_000

BREAKDOWNS = {
    Dimension.TOTAL: None,
    Dimension.INITIATIVE: "initiative_id",
    Dimension.CENTER: "initiative__center",
    Dimension.COUNTY: "lea__county",
    Dimension.LEA_TYPE: "lea__lea_type",
}

# Bumped whenever a year's totals change: the public dashboard's cache key includes it.
TOTALS_VERSION_KEY = "reporting:totals-version"


def _counted(records, dimension: str, *extra: str):
    field = BREAKDOWNS[dimension]
    group = [*extra, "kind"] + ([field] if field else [])
    return records.values(*group).annotate(
        duplicated=Count(F("lea_id") * PAIR_FACTOR + F("initiative_id"), distinct=True),
        unduplicated=Count("lea_id", distinct=True),
    )


def _row(fiscal_year, quarter, cumulative, dimension, counted):
    field = BREAKDOWNS[dimension]
    return ReportTotal(
        fiscal_year=fiscal_year,
        quarter=quarter,
        cumulative=cumulative,
        dimension=dimension,
        key="" if field is None else str(counted[field]),
        kind=counted["kind"],
        duplicated=counted["duplicated"],
        unduplicated=counted["unduplicated"],
    )


@transaction.atomic
def refresh_totals(fiscal_year: int) -> int:
    """Recount `fiscal_year`'s figures from its support records; return the rows written."""
    records = SupportRecord.objects.filter(fiscal_year=fiscal_year)
    rows = []
    for dimension in BREAKDOWNS:
        for counted in _counted(records, dimension, "quarter"):
            rows.append(_row(fiscal_year, counted["quarter"], False, dimension, counted))
        for quarter in QUARTERS:
            for counted in _counted(records.filter(quarter__lte=quarter), dimension):
                rows.append(_row(fiscal_year, quarter, True, dimension, counted))
    ReportTotal.objects.filter(fiscal_year=fiscal_year).delete()
    ReportTotal.objects.bulk_create(rows, batch_size=2000)
    # Now, and again once committed: a page cached from the old figures meanwhile is not kept.
    _bump_version()
    transaction.on_commit(_bump_version)
    return len(rows)


def _bump_version():
    try:
        cache.incr(TOTALS_VERSION_KEY)
    except ValueError:
        cache.set(TOTALS_VERSION_KEY, 1, None)


def totals_version() -> int:
    return cache.get_or_set(TOTALS_VERSION_KEY, 1, None)
