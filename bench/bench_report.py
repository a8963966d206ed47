"""Time the OKR report at demo size and at 2,300 LEAs × 40 initiatives × 8 quarters.

Run from the repository root with DATABASE_URL pointing at PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccee_portal python bench/bench_report.py

It creates its own database (ccee_bench_report_<pid>), fills support records in the database
(INSERT … SELECT over generate_series), recounts the two fiscal years' totals (timed: what an
import or the portal's count pays), then times the report page GET as a signed-in lead through
django.test.Client (median and p95 of several runs, and its query count), and the public
dashboard's first (uncached) render; then drops the database.
"""

import os
import statistics
import sys
import time
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
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402

# (LEAs, initiatives, fiscal years of 4 quarters): demo size, then the large size.
SIZES = ((72, 7, 1), (2_300, 40, 2))
RUNS = 15
COUNTIES = 58
FIRST_YEAR = 2026


def make_lead():
    from django.contrib.auth import get_user_model

    from core import roles

    lead = get_user_model().objects.create_user(
        email="lead@ccee.example.org", password=None, full_name="Bench Lead"
    )
    roles.assign_role(lead, roles.CCEE_LEAD)
    return lead


def fill(leas: int, initiatives: int, years: int) -> int:
    """Replace the LEAs, initiatives and records with the given size; return the records made."""
    from reporting.models import Initiative, ReportTotal, SupportRecord
    from requests_intake.models import LeaType, LocalEducationalAgency

    ReportTotal.objects.all().delete()
    SupportRecord.objects.all().delete()
    Initiative.objects.all().delete()
    LocalEducationalAgency.objects.all().delete()
    types = list(LeaType.values)
    LocalEducationalAgency.objects.bulk_create(
        LocalEducationalAgency(
            cds_code=f"{i % COUNTIES + 1:02d}{10000 + i:05d}0000000",
            name=f"Bench LEA {i}",
            lea_type=types[i % len(types)],
            county_code=f"{i % COUNTIES + 1:02d}",
            county=f"County {i % COUNTIES + 1:02d}",
        )
        for i in range(leas)
    )
    Initiative.objects.bulk_create(
        Initiative(
            code=f"i{n}",
            name=f"Initiative {n}",
            center=["tseeo", "tll", "iii"][n % 3],
            owner="Lead",
            start_date="2020-07-01",
        )
        for n in range(initiatives)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reporting_supportrecord
                (lea_id, initiative_id, fiscal_year, quarter, kind, source, activity)
            SELECT l.id, i.id, fy, q,
                   CASE WHEN (l.id + i.id + q) %% 3 = 0 THEN 'direct' ELSE 'indirect' END,
                   'import', ''
            FROM requests_intake_localeducationalagency l
            CROSS JOIN reporting_initiative i
            CROSS JOIN generate_series(%s, %s) fy
            CROSS JOIN generate_series(1, 4) q
            """,
            [FIRST_YEAR, FIRST_YEAR + years - 1],
        )
        cursor.execute("ANALYZE")
    return SupportRecord.objects.count()


def timed(client, url, runs=RUNS):
    client.get(url)
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}.")
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, len(queries)


def main():
    from reporting.totals import refresh_totals

    setup_test_environment()
    # ccee_bench_report_<pid>: a database of this run's own, the only one it drops.
    old_config, _url = own_database.create("report")
    try:
        client = Client()
        # The lead passes the second factor (MFA) as the test suite's sign-in does.
        from tests.mfa import force_login_passing_second_factor

        force_login_passing_second_factor(Client.force_login)(client, make_lead())
        for leas, initiatives, years in SIZES:
            started = time.perf_counter()
            made = fill(leas, initiatives, years)
            filled = time.perf_counter() - started
            started = time.perf_counter()
            for year in range(FIRST_YEAR, FIRST_YEAR + years):
                refresh_totals(year)
            recount = time.perf_counter() - started
            last = FIRST_YEAR + years - 1
            url = reverse("admin:reporting_report") + f"?year={last}&quarter=4"
            median, p95, queries = timed(client, url)
            cache.clear()
            with CaptureQueriesContext(connection) as public_queries:
                started = time.perf_counter()
                client.get(reverse("reporting:public_dashboard") + f"?year={last}")
                public = time.perf_counter() - started
            print(
                f"{leas:,} LEAs x {initiatives} initiatives x {4 * years} quarters = "
                f"{made:,} records (filled in {filled:.1f} s, "
                f"totals recounted in {recount:.1f} s)\n"
                f"  report page: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms over "
                f"{RUNS} runs, {queries} queries\n"
                f"  public dashboard, uncached: {public * 1000:.1f} ms, "
                f"{len(public_queries)} queries"
            )
    finally:
        own_database.drop(old_config)
        teardown_test_environment()


if __name__ == "__main__":
    main()
