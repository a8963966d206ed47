"""Locust users for bench/bench_load.py: one page per run, chosen by BENCH_PAGE.

Read by `locust -f` (headless) in a process of its own; bench_load.py writes the sessions, ids
and versions it needs into the JSON file BENCH_PLAN names. Each user signs in with a session made
beforehand (the load is on the pages, not on sign-in), and a user that saves a section or submits
uses a draft of its own.
"""

import itertools
import json
import os
from urllib.parse import urlencode

from locust import FastHttpUser, constant, task
from requests.cookies import create_cookie

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read())  # noqa: SIM115 - read once
PAGE = os.environ["BENCH_PAGE"]
CSRF = PLAN["csrf"]
_users = itertools.count()
_submit_drafts = iter(PLAN[os.environ.get("BENCH_DRAFTS", "submit_drafts")])


class PageUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.number = next(_users)
        session = PLAN["sessions"]["reviewer" if PAGE.startswith("admin") else "lea"]
        self.client.cookiejar.set_cookie(create_cookie("sessionid", session))
        self.client.cookiejar.set_cookie(create_cookie("csrftoken", CSRF))
        section = PLAN["section_drafts"][self.number % len(PLAN["section_drafts"])]
        self.section_pk, self.section_version = section["pk"], section["version"]
        self.request_pk = PLAN["request_ids"][self.number % len(PLAN["request_ids"])]

    def get(self, path, name):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    @task
    def page(self):
        getattr(self, PAGE)()

    # -- the pages ------------------------------------------------------------------------

    def floor(self):
        self.get("/healthz", "floor /healthz")

    def login(self):
        self.client.cookiejar.clear()
        self.get("/accounts/login/", "login GET")

    def my_requests(self):
        self.get("/requests/", "My requests")

    def request_detail(self):
        self.get(f"/requests/{self.request_pk}/", "request detail")

    def section_save(self):
        data = dict(PLAN["section_post"], version=self.section_version)
        data["csrfmiddlewaretoken"] = CSRF
        path = f"/requests/{self.section_pk}/section/need/"
        with self.client.post(
            path,
            urlencode(data, doseq=True),  # the form's list fields repeat their name
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            name="section save POST",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code == 302:
                self.section_version += 1
            else:
                r.failure(f"{r.status_code}")

    def submit(self):
        try:
            pk = next(_submit_drafts)
        except StopIteration:
            self.environment.runner.quit()
            return
        data = {"attest": "on", "attested_name": PLAN["lea_name"], "csrfmiddlewaretoken": CSRF}
        with self.client.post(
            f"/requests/{pk}/section/review/",
            data,
            name="submit POST",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302 or "/submitted/" not in r.headers.get("Location", ""):
                r.failure(f"{r.status_code} {r.headers.get('Location', '')}")

    def admin_changelist(self):
        self.get("/admin/requests_intake/assistancerequest/", "admin changelist")

    def admin_change(self):
        self.get(
            f"/admin/requests_intake/assistancerequest/{self.request_pk}/change/", "admin change"
        )
