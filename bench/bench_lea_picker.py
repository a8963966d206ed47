"""Time the LEA picker's search over a full-size directory (2,300 active agencies, and closed).

Run from the repository root with DATABASE_URL pointing at PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccee_portal python bench/bench_lea_picker.py

It creates its own database (ccee_bench_lea_picker_<pid>, migrated, so with the trigram
indexes), generates the directory (names from place names and district kinds, cities, the 58
counties, 14-digit CDS codes), then asks the search endpoint (`accounts:lea_search`, what htmx
asks as a person types) through django.test.Client for every three-letter start of the words
people type (names, cities, counties) and some CDS code starts, each RUNS times after a warm-up.
It prints the median, p95 and slowest time, the query count (the same for every search), how
many results came back, PostgreSQL's plan for one search, and drops the database.
"""

import os
import random
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402

ACTIVE, CLOSED = 2_300, 400
RUNS = 3
TARGET_MS = 100

COUNTIES = tuple(
    county.replace("_", " ")
    for county in [
        "Alameda",
        "Alpine",
        "Amador",
        "Butte",
        "Calaveras",
        "Colusa",
        "Contra_Costa",
        "Del_Norte",
        "El_Dorado",
        "Fresno",
        "Glenn",
        "Humboldt",
        "Imperial",
        "Inyo",
        "Kern",
        "Kings",
        "Lake",
        "Lassen",
        "Los_Angeles",
        "Madera",
        "Marin",
        "Mariposa",
        "Mendocino",
        "Merced",
        "Modoc",
        "Mono",
        "Monterey",
        "Napa",
        "Nevada",
        "Orange",
        "Placer",
        "Plumas",
        "Riverside",
        "Sacramento",
        "San_Benito",
        "San_Bernardino",
        "San_Diego",
        "San_Francisco",
        "San_Joaquin",
        "San_Luis_Obispo",
        "San_Mateo",
        "Santa_Barbara",
        "Santa_Clara",
        "Santa_Cruz",
        "Shasta",
        "Sierra",
        "Siskiyou",
        "Solano",
        "Sonoma",
        "Stanislaus",
        "Sutter",
        "Tehama",
        "Trinity",
        "Tulare",
        "Tuolumne",
        "Ventura",
        "Yolo",
        "Yuba",
    ]
)
PLACES = [
    "Oak",
    "Pine",
    "Cedar",
    "Willow",
    "Maple",
    "Sierra",
    "Valley",
    "Vista",
    "Mesa",
    "Rio",
    "Del",
    "Mar",
    "Buena",
    "Bella",
    "Monte",
    "Lake",
    "River",
    "Spring",
    "Green",
    "Grand",
    "Gold",
    "Silver",
    "Eagle",
    "Falcon",
    "Hawk",
    "Bear",
    "Elk",
    "Deer",
    "Fox",
    "Wolf",
    "Redwood",
    "Sequoia",
    "Palm",
    "Orchard",
    "Mission",
    "Harbor",
    "Ocean",
    "Bay",
    "Canyon",
    "Ridge",
    "Summit",
    "Meadow",
    "Prairie",
    "Desert",
    "Sunset",
    "Sunrise",
    "Fair",
    "Pleasant",
    "Liberty",
    "Union",
    "Central",
    "North",
    "South",
    "East",
    "West",
    "Twin",
    "Cottonwood",
    "Alder",
    "Aspen",
    "Birch",
    "Sycamore",
    "Laurel",
    "Manzanita",
    "Madrone",
    "Juniper",
    "Tamarack",
    "Poplar",
    "Walnut",
    "Almond",
]
KINDS = [
    ("Unified", "school_district"),
    ("Elementary", "school_district"),
    ("Union Elementary", "school_district"),
    ("Joint Unified", "school_district"),
    ("Union High", "school_district"),
    ("Charter Academy", "charter_school"),
    ("Preparatory Charter", "charter_school"),
    ("Community Charter", "charter_school"),
]


def directory_rows(rng):
    """Yield LEA rows: the 58 county offices, then districts and charters, some closed."""
    from requests_intake.models import LocalEducationalAgency as Lea

    for n, county in enumerate(COUNTIES, start=1):
        yield Lea(
            cds_code=f"{n:02d}{10017 + n:05d}0000000",
            name=f"{county} County Office of Education",
            lea_type="county_office",
            county_code=f"{n:02d}",
            county=county,
            city=county,
        )
    seen = set()
    count = 0
    while count < ACTIVE + CLOSED - len(COUNTIES):
        place = " ".join(rng.sample(PLACES, rng.choice((1, 1, 2))))
        suffix, lea_type = rng.choice(KINDS)
        name = f"{place} {suffix}"
        if name in seen:
            name = f"{name} {count}"
        seen.add(name)
        n = rng.randrange(1, 59)
        count += 1
        yield Lea(
            cds_code=f"{n:02d}{60000 + count:05d}{rng.randrange(10**7):07d}",
            name=name,
            lea_type=lea_type,
            county_code=f"{n:02d}",
            county=COUNTIES[n - 1],
            city=rng.choice(PLACES) + rng.choice(("", " City", "ville", " Springs")),
            status="closed" if count > ACTIVE - len(COUNTIES) else "active",
        )


def load_directory():
    from requests_intake.models import LocalEducationalAgency

    LocalEducationalAgency.objects.bulk_create(directory_rows(random.Random(52074)), batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE requests_intake_localeducationalagency")
    active = LocalEducationalAgency.objects.filter(status="active").count()
    closed = LocalEducationalAgency.objects.filter(status="closed").count()
    return active, closed


def prefixes():
    """Every three-letter start of the words in names, cities and counties, and CDS starts."""
    from requests_intake.models import LocalEducationalAgency

    words = set()
    for name, city, county in LocalEducationalAgency.objects.values_list("name", "city", "county"):
        words.update(w.lower() for w in f"{name} {city} {county}".split() if len(w) >= 3)
    starts = sorted({w[:3] for w in words if w[:3].isalpha()})
    return starts + ["016", "191", "347", "100", "561"]


def time_search(client, url, query):
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, {"lea_q": query})
            timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"The search answered {response.status_code} for {query!r}.")
    found = response.content.count(b'type="radio"')
    return timings, len(queries), found


def plan(query, *, seqscan=True):
    """Return PostgreSQL's plan of one word's search (with sequential scans off: the indexes)."""
    from requests_intake import lea_search

    result = lea_search.active_leas().filter(lea_search._word_matches(query))
    sql, params = result.query.sql_with_params()
    with connection.cursor() as cursor:
        if not seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN ANALYZE " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def report(results):
    timings = sorted(ms for runs, _, _ in results.values() for ms in runs)
    queries = sorted({q for _, q, _ in results.values()})
    found = [n for _, _, n in results.values()]
    p95 = statistics.quantiles(timings, n=20)[-1]
    median = statistics.median(timings)
    print(
        f"{len(results)} three-letter searches, {RUNS} times each ({len(timings)} requests): "
        f"median {median:.1f} ms, p95 {p95:.1f} ms, slowest {timings[-1]:.1f} ms "
        f"({max(results, key=lambda k: max(results[k][0]))!r})"
    )
    print(
        f"queries per search: {', '.join(map(str, queries))}; results shown: median "
        f"{statistics.median(found):.0f}, most {max(found)} (the picker shows at most 20)"
    )
    verdict = "under" if p95 < TARGET_MS else "OVER"
    print(f"p95 {p95:.1f} ms is {verdict} the {TARGET_MS} ms target")


def main():
    setup_test_environment()
    # ccee_bench_lea_picker_<pid>: a database of this run's own, the only one it drops.
    old_config, _url = own_database.create("lea_picker")
    try:
        active, closed = load_directory()
        print(f"directory: {active:,} active LEAs, {closed:,} closed (left out of the picker)")
        client = Client()
        url = reverse("accounts:lea_search")
        client.get(url, {"lea_q": "oak"})  # warm-up: templates, connection
        results = {}
        for query in prefixes():
            elapsed, queries, found = time_search(client, url, query)
            results[query] = ([t * 1000 for t in elapsed], queries, found)
        report(results)
        print("PostgreSQL's plan for one word ('oak'), as it chooses (a directory this small")
        print("is read whole in a few milliseconds):")
        for line in plan("oak"):
            print(f"    {line}")
        print("and with sequential scans off (the trigram indexes answer the same search):")
        from django.db import transaction

        with transaction.atomic():
            for line in plan("oak", seqscan=False):
                print(f"    {line}")
    finally:
        own_database.drop(old_config)
        teardown_test_environment()


if __name__ == "__main__":
    main()
