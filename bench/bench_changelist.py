"""Time the reviewers' triage changelist at 1,000 and at 50,000 requests.

Run from the repository root with DATABASE_URL pointing at PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccee_portal python bench/bench_changelist.py

It creates its own database (ccee_bench_changelist_<pid>), loads the requests with
bulk_create, times the
changelist GET through django.test.Client as a signed-in reviewer (median of several runs, in
this process, so the figure is the server's time without a network), prints both medians and
their ratio, and drops the database.
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

SIZES = (1_000, 50_000)
RUNS = 9
COUNTIES = ["Alameda", "Fresno", "Kern", "Los Angeles", "Riverside", "Sacramento", "Yolo"]
PATHWAYS = ["g1A", "g1A,g3", "g1B", "g2A", "g3", ""]
COST_BASES = ["state_funded", "shared_cost", "reimbursable"]


def make_people():
    from django.contrib.auth import get_user_model

    from core import roles

    users = get_user_model().objects
    reviewers = []
    for i, role in enumerate([roles.CCEE_REVIEWER] * 4 + [roles.CCEE_LEAD] * 2):
        user = users.create_user(
            email=f"reviewer{i}@ccee.example.org", password=None, full_name=f"Reviewer {i}"
        )
        roles.assign_role(user, role)
        reviewers.append(user)
    lea_user = users.create_user(email="staff@district.example.org", full_name="LEA Staff")
    roles.assign_role(lea_user, roles.LEA_STAFF)
    return reviewers, lea_user


def make_leas(count):
    from requests_intake.models import LeaType, LocalEducationalAgency

    types = list(LeaType.values)
    LocalEducationalAgency.objects.bulk_create(
        LocalEducationalAgency(
            cds_code=f"{(i % 58) + 1:02d}{10000 + i:05d}0000000",
            name=f"Bench Unified School District {i}",
            lea_type=types[i % len(types)],
            county_code=f"{(i % 58) + 1:02d}",
            county=COUNTIES[i % len(COUNTIES)],
            email_domain=f"district{i}.k12.ca.us",
        )
        for i in range(count)
    )
    return list(LocalEducationalAgency.objects.order_by("pk"))


def add_requests(start, stop, leas, reviewers, lea_user):
    """Insert requests numbered start..stop-1, spread over statuses, tiers, LEAs and months."""
    from requests_intake.models import AssistanceRequest

    statuses = ["submitted", "verified", "under_review", "information_requested"] * 2 + [
        "approved",
        "declined",
        "withdrawn",
    ]
    now = timezone.now()
    rows = []
    for i in range(start, stop):
        received = now - timedelta(hours=(i * 7) % (24 * 400), minutes=i % 60)
        status = statuses[i % len(statuses)]
        rows.append(
            AssistanceRequest(
                lea=leas[i % len(leas)],
                created_by=lea_user,
                submitted_by=lea_user,
                status=status,
                reference=f"RFA-B-{i + 1:06d}",
                received_at=received,
                verification_due_at=received + timedelta(hours=48),
                last_activity_at=received,
                primary_contact_email=f"contact{i}@district.example.org",
                problem_of_practice="Grade 3-5 English learners are not reaching proficiency.",
                priority_tier=None if i % 11 == 0 else 1 + i % 3,
                pathways=PATHWAYS[i % len(PATHWAYS)],
                cost_basis=COST_BASES[i % len(COST_BASES)],
                assigned_to=reviewers[i % len(reviewers)] if i % 4 else None,
                verified_at=None if status == "submitted" else received + timedelta(hours=20),
            )
        )
        if len(rows) == 5_000:
            AssistanceRequest.objects.bulk_create(rows)
            rows = []
    AssistanceRequest.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def time_changelist(client, url):
    """Return (median seconds, queries) of the changelist GET over RUNS runs after a warm-up."""
    client.get(url)
    timings = []
    sql_ms = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        sql_ms.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"The changelist answered {response.status_code}.")
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    print(
        f"  SQL {statistics.median(sql_ms):.1f} ms a page (median); slowest query "
        f"{float(slowest['time']) * 1000:.1f} ms: {slowest['sql'][:120]}"
    )
    return statistics.median(timings), len(queries)


def main():
    setup_test_environment()
    # ccee_bench_changelist_<pid>: a database of this run's own, the only one it drops.
    old_config, _url = own_database.create("changelist")
    try:
        reviewers, lea_user = make_people()
        leas = make_leas(1_000)
        client = Client()
        # The reviewer passes the second factor (MFA) as the test suite's sign-in does.
        from tests.mfa import force_login_passing_second_factor

        force_login_passing_second_factor(Client.force_login)(client, reviewers[0])
        url = reverse("admin:requests_intake_assistancerequest_changelist")
        results = {}
        loaded = 0
        for size in SIZES:
            add_requests(loaded, size, leas, reviewers, lea_user)
            loaded = size
            results[size] = time_changelist(client, url)
            seconds, queries = results[size]
            print(
                f"changelist at {size:>6,} requests: median {seconds * 1000:7.1f} ms "
                f"over {RUNS} runs, {queries} queries"
            )
        small, large = (results[size][0] for size in SIZES)
        print(f"ratio {SIZES[1]:,} / {SIZES[0]:,}: {large / small:.2f}x")
    finally:
        own_database.drop(old_config)
        teardown_test_environment()


if __name__ == "__main__":
    main()
