"""RFA reference numbers (RFA-YYYY-NNNN): unique, per Pacific year, taken without waiting.

On PostgreSQL a number is the next value of one sequence less the year's base (the value its
first number followed): nextval() takes no lock and is never rolled back, so twenty people
submitting at once do not queue behind one another. A submission that fails after taking its
number leaves a gap; a number is never issued twice (and the reference column is unique).
SQLite, which lets one writer in at a time anyway, counts under the year row's lock.
"""

from django.db import connection
from django.utils import timezone

from .models import ReferenceCounter

SEQUENCE = "requests_intake_reference_seq"


def _nextval(cursor) -> int:
    cursor.execute("SELECT nextval(%s)", [SEQUENCE])
    return cursor.fetchone()[0]


def _nextval_and_base(cursor, year: int) -> tuple[int, int | None]:
    """Return the sequence's next value and the year's base (None before its first number).

    One round trip: the submission's transaction waits on each statement it sends.
    """
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    sql = f"SELECT nextval(%s), (SELECT base FROM {table} WHERE year = %s)"  # noqa: S608
    cursor.execute(sql, [SEQUENCE, year])
    return cursor.fetchone()


def _year_base(year: int, value: int) -> int:
    """Return the year's base, making `value` the base when this is the year's first number."""
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(year=year, base=value)], ignore_conflicts=True
    )
    return ReferenceCounter.objects.values_list("base", flat=True).get(year=year)


def _next_number_postgresql(year: int) -> int:
    with connection.cursor() as cursor:
        value, base = _nextval_and_base(cursor, year)
        if base is None:
            base = _year_base(year, value)
        while value <= base:  # this value began the year (or came before its base)
            value = _nextval(cursor)
    return value - base


def _next_number_locked(year: int) -> int:
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def next_reference(received_at) -> str:
    """Return the next RFA-YYYY-NNNN number of the (Pacific) year; never issued twice."""
    year = timezone.localtime(received_at).year
    if connection.vendor == "postgresql":
        number = _next_number_postgresql(year)
    else:
        number = _next_number_locked(year)
    return f"RFA-{year}-{number:04d}"
