"""Time the ranking of providers for one request, and count the candidates page's queries.

Run from the repository root with DATABASE_URL pointing at PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccee_portal python bench/bench_matching.py

It times `providers.ranking.rank` alone on 2,000 generated candidates (each with expertise,
counties, a load, a conflict now and then and three past engagements; no database), then
creates its own database (ccee_bench_matching_<pid>), loads providers with bulk_create (each
assigned to one of 200 engagements with indicators and measurements, a conflict with the
request's LEA for every 25th), and, at 20 and at 2,000 providers, times
`providers.matching.rank_for_request` (database read and ranking) and the reviewers'
candidates page GET through django.test.Client (median and p95 of several runs), with the
page's query count; then drops the database it made.
"""

import os
import random
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

from providers import ranking, taxonomy  # noqa: E402

SIZES = (20, 2_000)
PURE_SIZE = 2_000
RUNS = 15
PAGE_RUNS = 7
CODES = sorted(taxonomy.EXPERTISE_CODES)
COUNTIES = [code for code, _name in taxonomy.COUNTIES]


def _percentiles(timings):
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


def generated_candidates(count, rng):
    def profile(n):
        return ranking.LeaProfile(
            lea_id=n,
            name=f"LEA {n}",
            lea_type=rng.choice(["school_district", "county_office", "charter_school"]),
            county_code=rng.choice(COUNTIES),
            size_band=rng.choice([None, *ranking.SIZE_BANDS]),
            student_groups=frozenset(rng.sample(["english_learners", "frpm", "foster_youth"], 2)),
        )

    return [
        ranking.Candidate(
            provider_id=n,
            name=f"Provider {n}",
            kind=rng.choice(["lea", "coach", "organisation"]),
            status="approved" if n % 10 else "paused",
            expertise=frozenset(rng.sample(CODES, 4)),
            capacity=3,
            load=n % 4,
            counties=frozenset(rng.sample(COUNTIES, 3)),
            statewide=n % 17 == 0,
            conflicts=(ranking.Conflict(lea_id=1, kind="Employment"),) if n % 25 == 0 else (),
            past=tuple(
                ranking.PastEngagement(
                    lea=profile(1000 + n * 3 + k),
                    tags=frozenset(rng.sample(CODES, 3)),
                    indicators_met=rng.randint(0, 2),
                    indicators_measured=2,
                )
                for k in range(3)
            ),
        )
        for n in range(count)
    ]


def time_pure_ranking():
    rng = random.Random(4)
    pool = generated_candidates(PURE_SIZE, rng)
    need = ranking.Need(
        lea=ranking.LeaProfile(1, "Bench Unified", "school_district", "01", "large"),
        tags=frozenset(["math_science_pedagogy", "english_learners", "quality_of_teaching"]),
        kinds=frozenset(["coach"]),
    )
    ranking.rank(need, pool)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        ranking.rank(need, pool)
        timings.append(time.perf_counter() - started)
    median, p95 = _percentiles(timings)
    print(
        f"rank() alone, {PURE_SIZE:,} candidates: median {median * 1000:6.1f} ms, "
        f"p95 {p95 * 1000:6.1f} ms over {RUNS} runs (no database)"
    )


def make_world():
    """The reviewer, the request's LEA, an approved request, 200 engagements with results."""
    from django.contrib.auth import get_user_model

    from core import roles
    from requests_intake.models import LocalEducationalAgency
    from tests.engagements.bulk import bulk_engagements
    from tests.factories import approved_request

    users = get_user_model().objects
    reviewer = users.create_user(email="reviewer@ccee.example.org", full_name="Reviewer")
    roles.assign_role(reviewer, roles.CCEE_REVIEWER)
    lea_user = users.create_user(email="staff@district.example.org", full_name="LEA Staff")
    roles.assign_role(lea_user, roles.LEA_STAFF)
    lea = LocalEducationalAgency.objects.create(
        cds_code="01611920000000", name="Bench Unified", county="Alameda", county_code="01",
        lea_type="school_district",
    )  # fmt: skip
    req = approved_request(
        reviewer=reviewer,
        lea=lea,
        created_by=lea_user,
        problem_of_practice="Grade 6 math instruction for English learners.",
        assistance_types=["coaching"],
    )
    today = timezone.localdate()
    engagements = bulk_engagements(
        200,
        lea=lea,
        created_by=lea_user,
        start=today - timedelta(days=200),
        end=today + timedelta(days=160),
        due_dates=[today - timedelta(days=100), today + timedelta(days=20)],
        reported=1,
    )
    return reviewer, req, engagements


def add_providers(count, start, lea, engagements, rng):
    from providers.models import Provider, ProviderAssignment, ProviderConflict

    now = timezone.now()
    providers = Provider.objects.bulk_create(
        [
            Provider(
                kind=rng.choice(["coach", "organisation"]),
                name=f"Bench Provider {start + n:05d}",
                status="approved" if (start + n) % 10 else "paused",
                summary="Coaching cycles.",
                contact_email=f"p{start + n}@provider.example.org",
                expertise=rng.sample(CODES, 4),
                counties=rng.sample(COUNTIES, 3),
                statewide=(start + n) % 17 == 0,
                capacity=3,
                approved_at=now,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    ProviderAssignment.objects.bulk_create(
        [
            ProviderAssignment(
                provider=p,
                engagement=engagements[i % len(engagements)],
                scope_of_work_id=engagements[i % len(engagements)].agreement_id,
                role="Coach",
                days_committed=5,
            )
            for i, p in enumerate(providers)
        ],
        batch_size=1000,
    )
    ProviderConflict.objects.bulk_create(
        [
            ProviderConflict(provider=p, lea=lea, kind="employment")
            for p in providers
            if p.pk % 25 == 0
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def time_matching(req):
    from providers import matching

    matching.rank_for_request(req)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = matching.rank_for_request(req)
        timings.append(time.perf_counter() - started)
    return (*_percentiles(timings), len(result.ranked), len(result.excluded))


def time_page(client, url):
    client.get(url)
    timings = []
    for _ in range(PAGE_RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"The candidates page answered {response.status_code}.")
    return (*_percentiles(timings), len(queries))


def main():
    time_pure_ranking()
    setup_test_environment()
    # ccee_bench_matching_<pid>: a database of this run's own, the only one it drops.
    old_config, _url = own_database.create("matching")
    try:
        rng = random.Random(16)
        reviewer, req, engagements = make_world()
        from tests.mfa import force_login_passing_second_factor

        client = Client()
        # Staff pass a second factor before the admin opens; sign in past it as the suite does.
        force_login_passing_second_factor(Client.force_login)(client, reviewer)
        url = reverse("admin:providers_candidates_request", args=(req.pk,))
        loaded = 0
        for size in SIZES:
            add_providers(size - loaded, loaded, req.lea, engagements, rng)
            loaded = size
            median, p95, ranked, excluded = time_matching(req)
            print(
                f"rank_for_request at {size:>5,} providers: median {median * 1000:7.1f} ms, "
                f"p95 {p95 * 1000:7.1f} ms over {RUNS} runs ({ranked} ranked, {excluded} "
                "excluded)"
            )
            median, p95, queries = time_page(client, url)
            print(
                f"candidates page at {size:>5,} providers: median {median * 1000:7.1f} ms, "
                f"p95 {p95 * 1000:7.1f} ms over {PAGE_RUNS} runs, {queries} queries"
            )
    finally:
        own_database.drop(old_config)
        teardown_test_environment()


if __name__ == "__main__":
    main()
