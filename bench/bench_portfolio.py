"""Time the reviewers' engagement portfolio at 50 and at 5,000 active engagements.

Run from the repository root with DATABASE_URL pointing at PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccee_portal python bench/bench_portfolio.py

It creates its own database (ccee_bench_portfolio_<pid>), loads the engagements with
bulk_create (each with two indicators, a leading-team member, one accepted report with
measurements and one open report, some overdue), times the portfolio GET through
django.test.Client as a signed-in reviewer (median and p95 of several runs, in this process),
prints them with the query count, and drops the database.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccee_portal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault(
    "DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

import django  # noqa: E402

django.setup()

import own_database  # noqa: E402 - bench/own_database.py, beside this script
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = (50, 5_000)
RUNS = 9


def make_people():
    from django.contrib.auth import get_user_model

    from core import roles
    from requests_intake.models import LocalEducationalAgency

    users = get_user_model().objects
    reviewer = users.create_user(email="reviewer@ccee.example.org", full_name="Reviewer")
    roles.assign_role(reviewer, roles.CCEE_REVIEWER)
    lea_user = users.create_user(email="staff@district.example.org", full_name="LEA Staff")
    roles.assign_role(lea_user, roles.LEA_STAFF)
    lea = LocalEducationalAgency.objects.create(
        cds_code="01611920000000",
        name="Bench Unified",
        county="Alameda",
        lea_type="school_district",
    )
    return reviewer, lea_user, lea


def add_engagements(count, lea, lea_user):
    from tests.engagements.bulk import bulk_engagements

    today = timezone.localdate()
    for offset in range(0, count, 1_000):
        n = min(1_000, count - offset)
        late = offset % 2000 == 0  # half the batches have an overdue open report
        bulk_engagements(
            n,
            lea=lea,
            created_by=lea_user,
            start=today - timedelta(days=200),
            end=today + timedelta(days=30 + offset % 300),
            due_dates=[
                today - timedelta(days=100),
                today - timedelta(days=10) if late else today + timedelta(days=20),
            ],
            reported=1,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def time_portfolio(client, url):
    """Return (median, p95 seconds, queries) of the portfolio GET over RUNS runs after a warm-up."""
    client.get(url)
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"The portfolio answered {response.status_code}.")
    p95 = statistics.quantiles(timings, n=20)[-1]
    return statistics.median(timings), p95, len(queries)


def main():
    setup_test_environment()
    # ccee_bench_portfolio_<pid>: a database of this run's own, the only one it drops.
    old_config, _url = own_database.create("portfolio")
    try:
        reviewer, lea_user, lea = make_people()
        client = Client()
        # The reviewer passes the second factor (MFA) as the test suite's sign-in does.
        from tests.mfa import force_login_passing_second_factor

        force_login_passing_second_factor(Client.force_login)(client, reviewer)
        url = reverse("admin:engagements_portfolio")
        results, loaded = {}, 0
        for size in SIZES:
            add_engagements(size - loaded, lea, lea_user)
            loaded = size
            results[size] = time_portfolio(client, url)
            median, p95, queries = results[size]
            print(
                f"portfolio at {size:>5,} active engagements: median {median * 1000:7.1f} ms, "
                f"p95 {p95 * 1000:7.1f} ms over {RUNS} runs, {queries} queries"
            )
        small, large = (results[size][0] for size in SIZES)
        print(f"ratio {SIZES[1]:,} / {SIZES[0]:,}: {large / small:.2f}x")
    finally:
        own_database.drop(old_config)
        teardown_test_environment()


if __name__ == "__main__":
    main()
