"""Sweep 100,000 requests for due reminders, escalations and stuck notices; print time and queries.

Run from the project root: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccee_portal
python bench/bench_sweep.py`` (``make bench`` sets it). The script creates its own database,
ccee_bench_sweep_<pid>, on DATABASE_URL's server, fills it, runs the sweep twice and drops
it. Celery
publishes to an in-memory broker, so no message reaches a real queue.
"""

import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# A name of its own (prefix and process id): it drops only the database it created.
BENCH_DB = f"ccee_bench_sweep_{os.getpid()}"
REQUESTS = 100_000
SEED = 52074

server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccee_portal")
parts = urlsplit(server_url)
if not parts.scheme.startswith("postgres"):
    sys.exit("bench_sweep needs DATABASE_URL to name a PostgreSQL server.")
os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccee_portal.settings")

import psycopg  # noqa: E402


def admin_connection():
    conn = psycopg.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password or None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        autocommit=True,
    )
    return conn


def run_admin_sql(*statements):
    conn = admin_connection()
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        conn.close()


def recreate_database():
    run_admin_sql(f"CREATE DATABASE {BENCH_DB}")


def drop_database():
    run_admin_sql(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def populate(now):
    """Create LEAs, staff and 100,000 requests in a realistic mix of states and ages."""
    from django.contrib.auth import get_user_model

    from core import roles
    from notices.models import Notice
    from requests_intake.deadlines import verification_due_at
    from requests_intake.models import AssistanceRequest, LocalEducationalAgency
    from requests_intake.notice_kinds import K

    S = AssistanceRequest.Status
    rng = random.Random(SEED)
    User = get_user_model()
    leas = LocalEducationalAgency.objects.bulk_create(
        LocalEducationalAgency(
            cds_code=f"{1 + i % 58:02d}{10000 + i:05d}0000000",
            name=f"Bench Unified School District {i}",
            lea_type="school_district",
            county_code=f"{1 + i % 58:02d}",
            county="Alameda",
        )
        for i in range(1000)
    )
    lea_people = User.objects.bulk_create(
        User(email=f"staff{i}@bench.example.org", full_name=f"Staff {i}") for i in range(1000)
    )
    staff = []
    for i, role in enumerate([roles.CCEE_REVIEWER] * 6 + [roles.CCEE_LEAD] * 2):
        user = User.objects.create(email=f"ccee{i}@bench.example.org", full_name=f"CCEE {i}")
        roles.assign_role(user, role)
        staff.append(user)
    reviewers = staff[:6]

    # Most requests are old and settled; a few hundred await verification, of every age.
    settled = [S.VERIFIED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.APPROVED, S.DECLINED]
    settled += [S.WITHDRAWN]
    rows = []
    for i in range(REQUESTS):
        lea = leas[i % len(leas)]
        person = lea_people[i % len(lea_people)]
        draw = rng.random()
        if draw < 0.08:
            status, age = S.DRAFT, timedelta(days=rng.uniform(0, 400))
        elif draw < 0.088:  # about 800 awaiting verification, received 0 to 96 hours ago
            status, age = S.SUBMITTED, timedelta(hours=rng.uniform(0, 96))
        else:
            status, age = rng.choice(settled), timedelta(days=rng.uniform(3, 1100))
        req = AssistanceRequest(
            lea=lea,
            status=status,
            created_by=person,
            primary_contact_name=person.full_name,
            primary_contact_email=person.email,
            created_at=now - age - timedelta(days=1),
            last_activity_at=now - age,
            assigned_to=rng.choice([None, *reviewers]) if status != S.DRAFT else None,
        )
        if status != S.DRAFT:
            req.reference = f"RFA-B-{i:07d}"
            req.received_at = now - age
            req.verification_due_at = verification_due_at(req.received_at)
            req.submitted_by = person
        rows.append(req)
    AssistanceRequest.objects.bulk_create(rows, batch_size=5000)

    # Each submitted request has its receipt, long sent; a few notices are stuck pending.
    submitted = AssistanceRequest.objects.exclude(status=S.DRAFT).values_list(
        "pk", "primary_contact_email", "received_at"
    )
    notices = []
    for pk, email, received_at in submitted.iterator(chunk_size=10000):
        stuck = rng.random() < 0.002
        notices.append(
            Notice(
                key=f"receipt:{pk}:submitted:{email}",
                kind=K.RECEIPT,
                request_id=pk,
                recipient_email=email,
                subject="Received",
                body_text="Received.",
                status=Notice.Status.PENDING if stuck else Notice.Status.SENT,
                attempts=0 if stuck else 1,
                created_at=received_at,
                sent_at=None if stuck else received_at,
            )
        )
    Notice.objects.bulk_create(notices, batch_size=10000)
    return {
        "requests": len(rows),
        "awaiting verification": sum(r.status == S.SUBMITTED for r in rows),
        "notices": len(notices),
    }


def timed_sweep(label):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notices.sweep import notice_sweep
    from requests_intake.sweep import verification_clock_sweep

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        clock = verification_clock_sweep()
        stuck = notice_sweep()
        elapsed = time.perf_counter() - started
    print(
        f"{label}: {elapsed * 1000:8.1f} ms, {len(ctx.captured_queries):3d} queries, "
        f"{clock.reminders} reminders, {clock.escalations} escalations, "
        f"{stuck.reenqueued} stuck notices re-enqueued"
    )


def main():
    recreate_database()
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        made = populate(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"Populated {BENCH_DB} in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{v:,} {k}" for k, v in made.items())
        )
        timed_sweep("first sweep ")
        timed_sweep("second sweep")
        connection.close()
    finally:
        drop_database()


if __name__ == "__main__":
    main()
