"""Fault run of the outbox: a real prefork worker killed again and again, Redis down for a while.

    python bench/bench_faults.py                       # 200 notices, 30 kills, Redis down 20 s
    python bench/bench_faults.py --notices 30 --kills 5 --redis-down 5   # the suite's version

Everything is its own: a database (ccee_bench_faults_<pid>, on the server of DATABASE_URL, dropped
at the end), a redis-server on a free port, an SMTP sink in this process, a Celery prefork worker
and a beat (the outbox sweep at its default period). Requests are submitted through the workflow
while the faults run, until the outbox holds --notices notices: kill -9 of the worker's whole
process group --kills times at random moments (restarted each time), and Redis killed once for
--redis-down seconds and restarted empty (the messages it held are gone; the sweep must find
their notices). It then waits (at most --deadline seconds) for every notice to be sent, and prints
delivered, lost, duplicated (emails the sink received more than once, by Message-ID), counted
duplicates (outbox rows flagged "possible duplicate"), and creation-to-sent p50 / p95 (creation
to the sink's first receipt). The last line is the same as JSON. Exit status 1 when a target is
missed: 0 lost, duplicates at most 1 % and every one counted, p95 under 2 minutes.
"""

import argparse
import compileall
import contextlib
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import own_database  # bench/own_database.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-only-secret-key-not-for-production-0123456789"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notices", type=int, default=200)
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--redis-down", type=float, default=20.0)
    parser.add_argument(
        "--window", type=float, default=0.0, help="seconds of faults (default: 4 per kill)"
    )
    parser.add_argument("--deadline", type=float, default=360.0)
    parser.add_argument("--seed", type=int, default=None)
    return parser.parse_args(argv)


def compile_checkout(code) -> None:
    """Write the checkout's bytecode once, as the image does (Dockerfile), before processes start.

    Under PYTHONDONTWRITEBYTECODE every worker (re)start would compile the portal's modules again.
    """
    compileall.compile_dir(
        str(code), quiet=1, rx=re.compile(r"/(\.venv|\.git|node_modules|static|var)(/|$)")
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """The SMTP server: when each Message-ID first arrived, and how many times."""

    def __init__(self):
        self.lock = threading.Lock()
        self.first_seen = {}
        self.copies = {}

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        message_id = str(message["Message-ID"])
        with self.lock:
            self.first_seen.setdefault(message_id, datetime.now(UTC))
            self.copies[message_id] = self.copies.get(message_id, 0) + 1
        return "250 2.0.0 OK: queued"


class Redis:
    def __init__(self, folder):
        self.port, self.folder, self.process = free_port(), folder, None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in self.process.stdout:
            if "Ready to accept connections" in line:
                return
        raise SystemExit("redis-server did not start")

    def kill(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process.stdout.close()
            self.process = None


class Worker:
    """A Celery prefork worker in a process group of its own, killed with kill -9 of the group."""

    def __init__(self, env, log):
        self.env, self.log, self.process = env, log, None

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ccee_portal",
                "worker",
                "-P",
                "prefork",
                "-c",
                "2",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def kill(self):
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None


def setup(redis_url, smtp_port):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ccee_portal.settings",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        LOG_LEVEL="ERROR",
        # The run serves no pages and collects no static files, but a submission's receipt
        # carries the request's PDF copy, whose template names static files: the plain
        # storage resolves them without the production manifest.
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    import django

    django.setup()


def people():
    from django.contrib.auth import get_user_model

    from core import roles
    from requests_intake.models import LeaMembership, LeaType, LocalEducationalAgency

    lea = LocalEducationalAgency.objects.create(
        cds_code="01100170000000",
        name="Fault Unified",
        lea_type=LeaType.SCHOOL_DISTRICT,
        county_code="01",
        county="Alameda",
        email_domain="fault.k12.ca.us",
    )
    users = get_user_model().objects
    reviewer = users.create_user(email="reviewer@ccee.example.org", full_name="Fault Reviewer")
    roles.assign_role(reviewer, roles.CCEE_REVIEWER)
    staff = users.create_user(email="staff@fault.k12.ca.us", full_name="Fault Staff")
    roles.assign_role(staff, roles.LEA_STAFF)
    LeaMembership.objects.create(user=staff, lea=lea, status=LeaMembership.Status.APPROVED)
    return lea, staff


def submit_one(lea, staff):
    from django.db import OperationalError

    from requests_intake import workflow
    from tests.factories import DraftRequestFactory

    try:
        draft = DraftRequestFactory(lea=lea, created_by=staff)
        workflow.assistance_request_submit(assistance_request=draft, by=staff)
    except OperationalError:
        from django.db import connection

        connection.close()


def faults(args, worker, redis, lea, staff, rng):
    """Submit until the outbox holds --notices rows while killing the worker and Redis."""
    from notices.models import Notice

    window = args.window or max(4.0 * args.kills, args.redis_down + 10)
    kill_times = sorted(rng.uniform(1, window) for _ in range(args.kills))
    redis_at = rng.uniform(window * 0.25, max(window * 0.75 - args.redis_down, window * 0.25))
    started = time.monotonic()
    redis_back_at = None
    kills_done = 0
    while True:
        now = time.monotonic() - started
        count = Notice.objects.count()
        if count < args.notices:
            submit_one(lea, staff)
        if kills_done < len(kill_times) and now >= kill_times[kills_done]:
            worker.kill()
            worker.start()
            kills_done += 1
        if redis_back_at is None and args.redis_down and now >= redis_at:
            redis.kill()
            redis_back_at = now + args.redis_down
        if redis_back_at is not None and redis.process is None and now >= redis_back_at:
            redis.start()
        done_submitting = count >= args.notices
        if done_submitting and kills_done >= len(kill_times) and redis.process is not None:
            return kills_done
        if done_submitting:
            time.sleep(0.05)
        else:
            time.sleep(max(window / max(args.notices / 3, 1) * 0.5, 0.01))


def results(sink, deadline):
    from notices.models import Notice

    while time.monotonic() < deadline:
        if not Notice.objects.exclude(status=Notice.Status.SENT).exists():
            break
        time.sleep(1)
    time.sleep(2)  # a redelivery in flight reaches the sink
    from notices.delivery import message_id

    rows = list(Notice.objects.all())
    with sink.lock:
        first_seen, copies = dict(sink.first_seen), dict(sink.copies)
    ids = {message_id(n): n for n in rows}
    delivered = [m for m in ids if m in first_seen]
    duplicated = [m for m in delivered if copies[m] > 1]
    flagged = {message_id(n) for n in rows if n.possible_duplicate}
    latencies = sorted((first_seen[m] - ids[m].created_at).total_seconds() for m in delivered)

    def pct(p):
        return (
            latencies[min(int(round(p * (len(latencies) - 1))), len(latencies) - 1)]
            if latencies
            else 0
        )

    return {
        "notices": len(rows),
        "delivered": len(delivered),
        "lost": len(rows) - len(delivered),
        "duplicated": sum(copies[m] - 1 for m in duplicated),
        "duplicated_notices": len(duplicated),
        "counted_duplicates": len(flagged),
        "uncounted_duplicates": len([m for m in duplicated if m not in flagged]),
        "attempts_2_or_more": sum(1 for n in rows if n.attempts >= 2),
        "failed": sum(1 for n in rows if n.status == Notice.Status.FAILED),
        "p50_seconds": round(statistics.median(latencies), 1) if latencies else 0,
        "p95_seconds": round(pct(0.95), 1),
    }


def main(argv=None):
    args = parse_args(argv)
    rng = random.Random(args.seed)
    compile_checkout(ROOT)
    from aiosmtpd.controller import Controller

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    folder = tempfile.mkdtemp(prefix="bench_faults_")
    redis = Redis(folder)
    redis.start()
    setup(redis.url, smtp.port)
    old_config, database_url = own_database.create("faults")  # ccee_bench_faults_<pid>
    env = dict(os.environ, DATABASE_URL=database_url)
    log = open(Path(folder) / "celery.log", "w")  # noqa: SIM115
    worker = Worker(env, log)
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ccee_portal",
            "beat",
            "--loglevel",
            "WARNING",
            "-s",
            str(Path(folder) / "beat-schedule"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        lea, staff = people()
        worker.start()
        started = time.monotonic()
        kills = faults(args, worker, redis, lea, staff, rng)
        print(
            f"faults done in {time.monotonic() - started:.0f} s: {kills} kill -9 of the worker's "
            f"process group, Redis down {args.redis_down:.0f} s",
            flush=True,
        )
        figures = results(sink, time.monotonic() + args.deadline)
    finally:
        worker.kill()
        os.killpg(beat.pid, signal.SIGKILL)
        beat.wait()
        redis.kill()
        smtp.stop()
        log.close()
        own_database.drop(old_config)
    figures.update(kills=kills, redis_down_seconds=args.redis_down)
    met = (
        figures["lost"] == 0
        and figures["duplicated"] <= 0.01 * figures["notices"]
        and figures["uncounted_duplicates"] == 0
        and figures["p95_seconds"] < 120
    )
    figures["targets_met"] = met
    print(
        f"notices {figures['notices']}: delivered {figures['delivered']}, lost {figures['lost']}, "
        f"duplicated {figures['duplicated']} ({figures['duplicated_notices']} notices), counted "
        f"duplicates {figures['counted_duplicates']} "
        f"(uncounted {figures['uncounted_duplicates']}), "
        f"creation-to-sent p50 {figures['p50_seconds']} s / p95 {figures['p95_seconds']} s"
    )
    print(json.dumps(figures))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
