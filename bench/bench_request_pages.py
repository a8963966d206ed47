"""Time the LEA's request page and PDF copy, and the submission that attaches the copy.

Run from the repository root with DATABASE_URL pointing at PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccee_portal python bench/bench_request_pages.py

It creates its own database (ccee_bench_request_pages_<pid>), submits requests through the
workflow (which renders the PDF copy for the receipt), times the request page and the PDF
download through django.test.Client as a signed-in LEA member at 1 and at 40 timeline messages
(median and p95 of several runs, and the page's queries), prints them, and drops the database.
"""

import os
import statistics
import sys
import tempfile
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
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402

RUNS = 11


def figures(samples) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms, p95 {p95 * 1000:7.1f} ms"


def timed(client, url):
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return samples, len(captured.captured_queries)


def main():
    setup_test_environment()
    # ccee_bench_request_pages_<pid>: a database of this run's own, the only one it drops.
    old_config, _url = own_database.create("request_pages")
    media = tempfile.TemporaryDirectory(prefix="ccee_bench_request_pages_")
    files = override_settings(MEDIA_ROOT=media.name, PRIVATE_MEDIA_ROOT=media.name)
    files.enable()
    try:
        from requests_intake.models import RequestMessage
        from requests_intake.workflow import assistance_request_submit
        from tests.factories import DraftRequestFactory, MembershipFactory

        member = MembershipFactory().user
        lea = member.memberships.get().lea
        submits = []
        for _ in range(RUNS):
            draft = DraftRequestFactory(lea=lea, created_by=member)
            start = time.perf_counter()
            req = assistance_request_submit(assistance_request=draft, by=member)
            submits.append(time.perf_counter() - start)
        print(f"submission with its PDF copy on the receipt: {figures(submits)}")
        client = Client()
        client.force_login(member)
        page = reverse("requests_intake:request_detail", args=[req.pk])
        pdf = reverse("requests_intake:request_pdf", args=[req.pk])
        for messages in (1, 40):
            RequestMessage.objects.bulk_create(
                RequestMessage(request=req, kind="lea_reply", author=member, body=f"Reply {n}")
                for n in range(messages - req.messages.count())
            )
            samples, queries = timed(client, page)
            print(f"request page, {messages:>2} messages: {figures(samples)}, {queries} queries")
        samples, queries = timed(client, pdf)
        print(f"PDF copy download:             {figures(samples)}, {queries} queries")
    finally:
        files.disable()
        media.cleanup()
        own_database.drop(old_config)
        teardown_test_environment()


if __name__ == "__main__":
    main()
