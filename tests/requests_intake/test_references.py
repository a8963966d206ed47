"""RFA reference numbers: unique and consecutive per year, taken without waiting on a lock."""

import threading

import pytest
from django.db import connection, connections, transaction

from requests_intake import references
from requests_intake.models import ReferenceCounter
from tests.factories import submitted_request


@pytest.mark.django_db(transaction=True)
def test_a_submission_takes_its_number_while_another_transaction_holds_the_year_row(lea):
    submitted_request(lea=lea)  # the year's row exists
    year = ReferenceCounter.objects.get().year
    holding, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                ReferenceCounter.objects.select_for_update().get(year=year)
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert holding.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # a wait on the row would fail here
        req = submitted_request(lea=lea)
        assert req.reference == f"RFA-{year}-0002"
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


def test_numbers_are_consecutive_within_a_year_and_restart_the_next(db):
    from datetime import UTC, datetime

    late = datetime(2031, 1, 1, 7, 0, tzinfo=UTC)  # Dec 31, 2030, 11 p.m. in California
    early = datetime(2031, 1, 1, 9, 0, tzinfo=UTC)
    assert [references.next_reference(late) for _ in range(3)] == [
        "RFA-2030-0001",
        "RFA-2030-0002",
        "RFA-2030-0003",
    ]
    assert references.next_reference(early) == "RFA-2031-0001"
    assert references.next_reference(late) != "RFA-2030-0003"  # never issued twice
