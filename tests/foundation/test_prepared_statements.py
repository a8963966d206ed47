"""PostgreSQL keeps a statement a connection has run five times prepared, and runs it the same."""

import pytest
from django.db import connection

from requests_intake.models import LocalEducationalAgency
from tests.factories import LeaFactory

pytestmark = pytest.mark.django_db


def _prepared_statements_naming(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f'%FROM "{table}"%'],
        )
        return cursor.fetchone()[0]


def _names_by_county(county):
    return list(
        LocalEducationalAgency.objects.filter(county=county).order_by("pk").values_list("name")
    )


def test_a_query_run_past_the_threshold_is_prepared_once_and_returns_the_same_rows():
    table = LocalEducationalAgency._meta.db_table
    LeaFactory.create_batch(3, county="Alameda")
    LeaFactory(county="Fresno")
    assert connection.connection.prepare_threshold == 5

    first = [_names_by_county("Alameda") for _ in range(5)]
    assert _prepared_statements_naming(table) == 0  # five runs: planned each time

    later = [_names_by_county(county) for county in ("Alameda", "Fresno", "Alameda")]

    assert _prepared_statements_naming(table) == 1  # one statement, whatever the county
    assert all(rows == first[0] for rows in first) and len(first[0]) == 3
    assert later[0] == later[2] == first[0] and len(later[1]) == 1
