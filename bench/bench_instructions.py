"""What each page costs the web tier in instructions: a figure the machine's speed does not move.

    python bench/bench_instructions.py                      # 50 LEAs, 300 requests, 10 a page
    python bench/bench_instructions.py --leas 1000 --requests 5000 --runs 10   # bench_load's size

bench_load.py's req/s and CPU milliseconds drift with the host (this machine's speed has been
seen to change threefold between sessions, and by 30 % within one). Valgrind's callgrind counts
the instructions a process executes, which for the same code, data and interpreter come out the
same whatever else the machine is doing: a change's cost, measured before and after, is then a
difference of two counts rather than of two noisy timings.

It makes a database of its own (ccee_bench_instructions_<pid>, on the server of DATABASE_URL)
and a redis-server of its own, creates the LEAs and requests as bench_load.py does (its
make_data), then runs each page in one process under `valgrind --tool=callgrind
--instr-atstart=no`: Django's test client, the production settings (DEBUG off), the page
requested once to warm up, then --runs times with counting switched on (callgrind_control -i)
and the counts dumped page by page. It prints, per page, millions of instructions a request and
the page's query count. Only the Python process is counted: PostgreSQL's and Redis's work is
not (bench_load.py's "database and the rest" column is). Everything it made is dropped at the
end.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import bench_load  # bench/bench_load.py, beside this script
import own_database

HERE = Path(__file__).resolve().parent
# bench_load's pages without its floor measured again at the end; sign-in is not counted.
PAGES = [(page, label) for page, label in bench_load.PAGES[:-1] if page != "login"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leas", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--runs", type=int, default=10, help="counted requests a page")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the plan, in the counted process
    return parser.parse_args()


# -- the counted process ---------------------------------------------------------------------


def page_requests(plan):
    """Return {page: function(i) -> response} for the pages, as bench/locust_pages.py asks."""
    from django.test import Client

    def client(name):
        c = Client(HTTP_HOST="127.0.0.1")
        c.cookies["sessionid"] = plan["sessions"][name]
        return c

    lea, reviewer = client("lea"), client("reviewer")
    pk = plan["request_ids"][0]
    section = plan["section_drafts"][0]
    version = [section["version"]]
    drafts = iter(plan["submit_drafts"])

    def section_save(_i):
        data = dict(plan["section_post"], version=version[0])
        response = lea.post(f"/requests/{section['pk']}/section/need/", data)
        version[0] += 1
        return response

    def submit(_i):
        data = {"attest": "on", "attested_name": plan["lea_name"]}
        return lea.post(f"/requests/{next(drafts)}/section/review/", data)

    return {
        "floor": lambda _i: lea.get("/healthz"),
        "my_requests": lambda _i: lea.get("/requests/"),
        "request_detail": lambda _i: lea.get(f"/requests/{pk}/"),
        "section_save": section_save,
        "admin_changelist": lambda _i: reviewer.get("/admin/requests_intake/assistancerequest/"),
        "admin_change": lambda _i: reviewer.get(
            f"/admin/requests_intake/assistancerequest/{pk}/change/"
        ),
        "submit": submit,
    }


def callgrind(*flags):
    subprocess.run(["callgrind_control", *flags, str(os.getpid())], check=True, capture_output=True)


def count_pages(args):
    """In the process valgrind runs: request each page, counting --runs requests of each."""
    plan = json.loads(Path(args.child).read_text())
    bench_load.setup_django(str(HERE.parent), os.environ["REDIS_URL"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = {}
    for page, request in page_requests(plan).items():
        first = request(0)
        if first.status_code not in (200, 302):
            raise SystemExit(f"{page}: {first.status_code}")
        with CaptureQueriesContext(connection) as captured:
            request(1)
        queries[page] = len(captured.captured_queries)
        callgrind("--zero")
        callgrind("--instr=on")
        for i in range(args.runs):
            request(2 + i)
        callgrind("--instr=off")
        callgrind(f"--dump={page}")
    Path(args.child).with_suffix(".queries").write_text(json.dumps(queries))


# -- the parent ------------------------------------------------------------------------------


def dumped_totals(folder: Path) -> dict:
    """Return {page: instructions} from the dumps callgrind wrote (`desc: Trigger: dump PAGE`)."""
    totals = {}
    for dump in folder.glob("callgrind.out*"):
        page, total = None, None
        for line in dump.read_text(errors="replace").splitlines():
            if line.startswith("desc: Trigger: dump "):
                page = line.removeprefix("desc: Trigger: dump ").strip()
            elif line.startswith("totals:"):
                total = int(line.split()[1])
        if page is not None and total is not None:
            totals[page] = total
    return totals


def main():
    args = parse_args()
    if args.child:
        count_pages(args)
        return
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("valgrind is not installed (apt-get install valgrind): nothing measured")
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        redis, redis_url = bench_load.start_redis(folder)
        bench_load.setup_django(str(HERE.parent), redis_url)
        old_config = None
        try:
            old_config, database_url = own_database.create("instructions")
            data = argparse.Namespace(
                leas=args.leas, requests=args.requests, users=1, submit_drafts=args.runs + 2
            )
            plan_path = folder / "plan.json"
            plan_path.write_text(json.dumps(bench_load.make_data(data)))
            from django.db import connections

            connections.close_all()
            env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url)
            env.update(CELERY_BROKER_URL=redis_url, DJANGO_ALLOWED_HOSTS="127.0.0.1")
            command = ["valgrind", "--tool=callgrind", "--instr-atstart=no"]
            command += [f"--callgrind-out-file={folder / 'callgrind.out'}", sys.executable]
            command += [str(Path(__file__).resolve()), "--child", str(plan_path)]
            command += ["--runs", str(args.runs)]
            print(f"{args.leas} LEAs, {args.requests} requests; {args.runs} counted a page")
            subprocess.run(command, env=env, check=True, stderr=subprocess.DEVNULL)
            totals = dumped_totals(folder)
            queries = json.loads(plan_path.with_suffix(".queries").read_text())
        finally:
            if old_config is not None:
                own_database.drop(old_config)
            redis.kill()
            redis.wait()
    print()
    print("| page | M instructions a request | queries |")
    print("|---|---|---|")
    for page, label in PAGES:
        print(f"| {label} | {totals[page] / args.runs / 1e6:.1f} | {queries[page]} |")


if __name__ == "__main__":
    main()
