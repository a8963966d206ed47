"""Load benchmark: req/s, p50 and p95 of each page under locust, against a framework floor.

    python bench/bench_load.py                    # small: 50 LEAs, 300 requests, 6 s a page
    python bench/bench_load.py --leas 1000 --requests 5000 --seconds 20   # the issue's size
    python bench/bench_load.py --code /work/main  # the same run against another checkout
    python bench/bench_load.py --compare /work/before   # both, page by page in one run

It makes a database of its own (ccee_bench_load_<pid>, on the server of DATABASE_URL) and a
redis-server of its own on a free port, creates the LEAs and requests through the project's
services (drafts submitted through the workflow), starts gunicorn (2 sync workers, DEBUG off)
on a free port, and runs locust headless once per page, each for --seconds with --users users.
The floor is /healthz (one query, under the same middleware), measured first and last in the
same run; every page's share is its req/s over the floor's. The submission is measured again
with the bench's Redis stopped (SIGSTOP): the broker hung. Everything it started is stopped and
the database it made is dropped at the end.

With --compare, a child process prepares the other checkout's database with that checkout's
code (Django is set up once a process) while this one prepares its own; both are served by
gunicorns of their own, and each page runs on one and then the other (the order alternating
page by page), so a machine whose speed drifts during the run drifts for both.
"""

import argparse
import compileall
import csv
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import own_database  # bench/own_database.py, beside this script
import psutil

HERE = Path(__file__).resolve().parent
SECRET = "bench-only-secret-key-not-for-production-0123456789"
CSRF = "benchcsrfsecretbenchcsrfsecret00"  # 32 characters: Django accepts the bare secret
PAGES = [
    ("floor", "/healthz (floor)"),
    ("login", "login GET"),
    ("my_requests", "My requests"),
    ("request_detail", "request detail"),
    ("section_save", "section save POST"),
    ("admin_changelist", "admin changelist"),
    ("admin_change", "admin change view"),
    ("submit", "submit POST"),
    ("floor", "/healthz (floor, again)"),
]
SECTION_POST = {
    "section": "need",
    "action": "save",
    "problem_of_practice": "Too few grade 8 students finish Algebra I.",
    "student_groups": "Grade 8, all three middle schools",
    "data_evidence": "Only 31% passed Algebra I in 2025.",
    "lcap_goals": "Goal 2",
    "strategies_tried": "Summer bridge",
    "desired_outcomes": "Pass rate above 60%",
    "progress_indicators": "Quarterly common assessments",
    "assistance_types": ["coaching"],
    "preferred_start_date": "2027-01-15",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leas", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--submit-drafts", type=int, default=600)
    parser.add_argument("--code", default=str(HERE.parent), help="checkout to measure")
    parser.add_argument(
        "--compare",
        default="",
        help="a second checkout, measured in the same run: page by page, alternating with --code",
    )
    parser.add_argument("--prepare-only", default="", help=argparse.SUPPRESS)
    parser.add_argument("--skip-hung", action="store_true", help="no hung-Redis phase")
    parser.add_argument(
        "--pages",
        default="",
        help="comma-separated pages to run between the two floors (default: all), e.g. "
        + ",".join(page for page, _ in PAGES[1:-1]),
    )
    args = parser.parse_args()
    unknown = {page for page in args.pages.split(",") if page} - {page for page, _ in PAGES}
    if unknown:
        parser.error(f"no such page: {', '.join(sorted(unknown))}")
    return args


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


def start_redis(directory):
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in process.stdout:
        if "Ready to accept connections" in line:
            break
    return process, f"redis://127.0.0.1:{port}/0"


def setup_django(code, redis_url):
    sys.path.insert(0, code)
    os.chdir(code)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ccee_portal.settings",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()


def make_data(args):
    """Create the LEAs, people and requests through the project's services; return the plan."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from core import roles
    from requests_intake import workflow
    from requests_intake.models import LeaMembership, LeaType, LocalEducationalAgency
    from tests.factories import DraftRequestFactory

    users = get_user_model().objects
    leas = LocalEducationalAgency.objects.bulk_create(
        LocalEducationalAgency(
            cds_code=f"{(i % 58) + 1:02d}{10000 + i:05d}0000000",
            name=f"Bench Unified School District {i}",
            lea_type=LeaType.SCHOOL_DISTRICT,
            county_code=f"{(i % 58) + 1:02d}",
            county="Alameda",
            email_domain=f"district{i}.k12.ca.us",
        )
        for i in range(args.leas)
    )
    reviewer = users.create_user(email="reviewer@ccee.example.org", full_name="Bench Reviewer")
    roles.assign_role(reviewer, roles.CCEE_REVIEWER)
    staff = []
    for i, lea in enumerate(leas):
        user = users.create_user(email=f"staff{i}@district{i}.k12.ca.us", full_name=f"Staff {i}")
        roles.assign_role(user, roles.LEA_STAFF)
        LeaMembership.objects.create(user=user, lea=lea, status=LeaMembership.Status.APPROVED)
        staff.append(user)
    # The signed-in LEA person is a member of the first LEA, which holds one request in 30.
    me = staff[0]
    request_ids = []
    started = time.monotonic()
    for i in range(args.requests):
        lea_index = 0 if i % 30 == 0 else i % len(leas)
        draft = DraftRequestFactory(lea=leas[lea_index], created_by=staff[lea_index])
        req = workflow.assistance_request_submit(assistance_request=draft, by=staff[lea_index])
        if lea_index == 0:
            request_ids.append(req.pk)
    print(f"  {args.requests} requests submitted in {time.monotonic() - started:.0f} s", flush=True)

    def draft_for_me():
        return DraftRequestFactory(lea=leas[0], created_by=me, attested_at=None, attested_by=None)

    section = [draft_for_me() for _ in range(args.users)]
    submit = [draft_for_me().pk for _ in range(args.submit_drafts)]
    hung = [draft_for_me().pk for _ in range(args.users * 3)]
    sessions = {}
    try:  # staff pass a second factor (MFA) where the checkout has it; its tests' helper does so
        from tests.mfa import force_login_passing_second_factor
    except ImportError:
        login = Client.force_login
    else:
        login = force_login_passing_second_factor(Client.force_login)
    for name, person in (("lea", me), ("reviewer", reviewer)):
        client = Client()
        login(client, person)
        sessions[name] = client.cookies["sessionid"].value
    from django.db import connection

    # VACUUM, not only ANALYZE: right after the load the tables' visibility maps are empty (no
    # index-only scans) and autovacuum would catch up during the first pages, on their CPU.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return {
        "csrf": CSRF,
        "sessions": sessions,
        "request_ids": request_ids,
        "section_drafts": [{"pk": d.pk, "version": d.version} for d in section],
        "section_post": SECTION_POST,
        "submit_drafts": submit,
        "hung_drafts": hung,
        "lea_name": me.full_name,
    }


def start_gunicorn(args, code, database_url, redis_url):
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "ccee_portal.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=code,
        env=env,
        start_new_session=True,
        stderr=open(Path(tempfile.gettempdir()) / f"bench_load_{os.getpid()}_{port}.log", "w"),  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz")


class CpuMeter:
    """CPU seconds spent between two readings by the web tier (gunicorn's workers), by the load
    generator (locust, its start and stop included) and by everything else on the machine: the
    database server above all, on a machine kept quiet for the run."""

    def __init__(self, gunicorn):
        self.gunicorn = psutil.Process(gunicorn.pid)

    def read(self):
        web = {}
        for worker in self.gunicorn.children(recursive=True):
            try:
                times = worker.cpu_times()
            except psutil.Error:  # gone between listing and reading
                continue
            web[worker.pid] = times.user + times.system
        machine = psutil.cpu_times()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust, once it has exited
        return (
            web,
            machine.user + machine.system + machine.nice,
            children.ru_utime + children.ru_stime,
        )

    @staticmethod
    def spent(before, after) -> tuple[float, float, float]:
        """(web, everything else, locust) CPU seconds between two readings. A worker that started
        in between counts from zero; the machine's own counters lose nothing that ended."""
        web = sum(now - before[0].get(pid, 0.0) for pid, now in after[0].items())
        locust = after[2] - before[2]
        return web, max(after[1] - before[1] - web - locust, 0.0), locust


def run_page(args, url, plan_path, page, drafts_key="submit_drafts", meter=None):
    """Run locust on one page; return (req/s, p50 ms, p95 ms, requests, failures, load, CPU).

    CPU is (web workers, the rest of the machine, locust) CPU milliseconds per request, where
    `meter` reads it.
    """
    before = meter.read() if meter else None
    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "stats")
        env = dict(os.environ, BENCH_PLAN=plan_path, BENCH_PAGE=page, BENCH_DRAFTS=drafts_key)
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(HERE / "locust_pages.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "-t",
                f"{args.seconds}s",
                "--host",
                url,
                "--csv",
                prefix,
                "--only-summary",
                "--loglevel",
                "ERROR",
                "--stop-timeout",
                "15",
            ],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with open(f"{prefix}_stats.csv") as handle:
            rows = [r for r in csv.DictReader(handle) if r["Name"] != "Aggregated"]
    load = os.getloadavg()[0]  # the machine's 1-minute load at the page's end (shared machine)
    if not rows:
        return 0.0, 0, 0, 0, 0, load, None
    row = rows[0]
    count = int(row["Request Count"])
    cpu = None
    if meter and count:
        cpu = tuple(1000 * spent / count for spent in meter.spent(before, meter.read()))
    return (
        float(row["Requests/s"]),
        float(row["50%"]),
        float(row["95%"]),
        count,
        int(row["Failure Count"]),
        load,
        cpu,
    )


def prepare(args, code, redis_url, folder):
    """Make this process's database with `code`'s Django and fill it; return (old_config, plan
    path, database url). Django is set up once a process: a second checkout is prepared by a
    child process (prepare_only)."""
    setup_django(code, redis_url)
    old_config, database_url = own_database.create("load")  # ccee_bench_load_<pid>
    print(
        f"code {code}; {args.leas} LEAs, {args.requests} requests, {args.users} users, "
        f"{args.seconds} s a page, gunicorn {args.workers} sync workers, DEBUG off",
        flush=True,
    )
    plan = make_data(args)
    plan_path = str(Path(folder) / f"plan_{os.getpid()}.json")
    Path(plan_path).write_text(json.dumps(plan))
    return old_config, plan_path, database_url


def prepare_only(args):
    """The child's part: prepare --code's database, say where it is, keep it until stdin ends."""
    with tempfile.TemporaryDirectory() as folder:
        redis, redis_url = start_redis(folder)
        old_config = None
        try:
            old_config, plan_path, database_url = prepare(args, args.code, redis_url, folder)
            from django.db import connections

            connections.close_all()
            Path(args.prepare_only).write_text(
                json.dumps({"plan": plan_path, "database_url": database_url})
            )
            print("ready", flush=True)
            sys.stdin.read()  # the parent closes it (or ends) when its servers have stopped
        finally:
            if old_config is not None:
                own_database.drop(old_config)
            redis.kill()
            redis.wait()


def start_other(args, folder):
    """Start preparing the --compare checkout in a child process; return it and its note's path."""
    note = str(Path(folder) / "other.json")
    command = [sys.executable, str(Path(__file__).resolve()), "--code", args.compare]
    command += ["--prepare-only", note, "--leas", str(args.leas), "--requests", str(args.requests)]
    command += ["--users", str(args.users), "--submit-drafts", str(args.submit_drafts)]
    command += ["--seconds", str(args.seconds), "--workers", str(args.workers)]
    child = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=args.compare
    )
    return child, note


def wait_for_other(child, note):
    for line in child.stdout:
        if line.strip() == "ready":
            return json.loads(Path(note).read_text())
        print(f"  [compare] {line.rstrip()}", flush=True)
    raise SystemExit("the --compare checkout could not be prepared (its output is above)")


def measure(args, servers, redis):
    """Run every chosen page on every server, alternating which goes first; return the rows."""
    results = {tag: [] for tag, *_ in servers}
    meters = {}
    for tag, url, plan, gunicorn in servers:
        run_page(args, url, plan, "floor")  # warm-up: both workers' connections open
        meters[tag] = CpuMeter(gunicorn)
    chosen = {page for page in args.pages.split(",") if page}
    for index, (page, label) in enumerate(PAGES):
        if chosen and page != "floor" and page not in chosen:
            continue
        for tag, url, plan, _gunicorn in servers if index % 2 == 0 else servers[::-1]:
            results[tag].append((label, run_page(args, url, plan, page, meter=meters[tag])))
    if not args.skip_hung and (not chosen or "submit" in chosen):
        redis.send_signal(signal.SIGSTOP)
        try:
            for tag, url, plan, _gunicorn in servers:
                hung = run_page(args, url, plan, "submit", "hung_drafts", meters[tag])
                results[tag].append(("submit POST, Redis hung (SIGSTOP)", hung))
        finally:
            redis.send_signal(signal.SIGCONT)
    return results


def main():
    args = parse_args()
    args.code = str(Path(args.code).resolve())
    if args.prepare_only:
        return prepare_only(args)
    compile_checkout(args.code)
    if args.compare:
        args.compare = str(Path(args.compare).resolve())
        compile_checkout(args.compare)
    with tempfile.TemporaryDirectory() as folder:
        redis, redis_url = start_redis(folder)
        other, old_config, gunicorns = None, None, []
        try:
            if args.compare:
                other, note = start_other(args, folder)
            old_config, plan_path, database_url = prepare(args, args.code, redis_url, folder)
            codes = [(args.code, plan_path, database_url)]
            if other is not None:
                theirs = wait_for_other(other, note)
                codes.append((args.compare, theirs["plan"], theirs["database_url"]))
            servers = []
            for number, (code, plan, url) in enumerate(codes):
                gunicorn, address = start_gunicorn(
                    args, code, url, f"{redis_url.rsplit('/', 1)[0]}/{number}"
                )
                gunicorns.append(gunicorn)
                servers.append((code, address, plan, gunicorn))
            results = measure(args, servers, redis)
            for code, *_ in servers:
                print(f"\ncode {code}")
                report(results[code], os.cpu_count())
            if len(servers) == 2:
                compare(results, args.code, args.compare)
        finally:
            for gunicorn in gunicorns:
                os.killpg(gunicorn.pid, signal.SIGTERM)
                gunicorn.wait(30)
            if other is not None:
                other.stdin.close()  # the child drops its database now that no server uses it
                other.wait(120)
            if old_config is not None:
                own_database.drop(old_config)
            redis.kill()
            redis.wait()


def compare(results, code, other):
    """Print each page's req/s and p95 on both checkouts, measured alternately in this run."""
    print(f"\n| page | req/s: {code} | req/s: {other} | ratio | p95 ms: {code} | p95 ms: {other} |")
    print("|---|---|---|---|---|---|")
    for (label, mine), (_label, theirs) in zip(results[code], results[other], strict=True):
        ratio = f"{mine[0] / theirs[0]:.2f}" if theirs[0] else "–"
        row = f"| {label} | {mine[0]:.1f} | {theirs[0]:.1f} | {ratio} "
        print(f"{row}| {mine[2]:.0f} | {theirs[2]:.0f} |")


def report(results, cores):
    floors = [r[0] for label, r in results if label.startswith("/healthz")]
    floor = statistics.mean(floors) if floors else 0
    print(
        "\n| page | req/s | p50 / p95 ms | requests (failed) | share of the floor | load "
        "| CPU ms a request: web / database and the rest / locust | CPU-bound ceiling req/s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, (rps, p50, p95, count, failed, load, cpu) in results:
        share = rps / floor if floor else 0
        spent, ceiling = "–", "–"
        if cpu:
            spent = " / ".join(f"{ms:.1f}" for ms in cpu)
            ceiling = f"{1000 * cores / sum(cpu):.0f}" if sum(cpu) else "–"
        print(
            f"| {label} | {rps:.1f} | {p50:.0f} / {p95:.0f} | {count} ({failed}) | {share:.3f} "
            f"| {load:.1f} | {spent} | {ceiling} |"
        )
    print(f"\nfloor: {floor:.1f} req/s (mean of {len(floors)} runs)")
    print(
        f"CPU-bound ceiling: this machine's {cores} cores over the CPU spent per request (locust's "
        "start and stop make it an underestimate); with no think time, p95 ≈ users ÷ req/s."
    )


if __name__ == "__main__":
    main()
