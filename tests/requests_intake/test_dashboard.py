"""The triage dashboard: counts, the 48-hour clock, my requests, the quarter's rate, the chart."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.templatetags.static import static
from django.urls import reverse

from requests_intake import selectors, workflow
from tests.factories import submitted_request

PACIFIC = ZoneInfo("America/Los_Angeles")
DASHBOARD = "admin:requests_intake_assistancerequest_dashboard"


def at(*args):
    return datetime(*args, tzinfo=PACIFIC)


@pytest.mark.django_db
def test_quarter_starts_in_pacific_time():
    # 2026-04-01 03:00 UTC is still March 31 in California: the first quarter.
    assert selectors.quarter_start(datetime(2026, 4, 1, 3, 0, tzinfo=ZoneInfo("UTC"))) == at(
        2026, 1, 1
    )
    assert selectors.quarter_start(at(2026, 4, 1, 0, 30)) == at(2026, 4, 1)


@pytest.mark.django_db
def test_dashboard_shows_counts_clocks_my_requests_rate_and_monthly_chart(
    client, reviewer, lead, lea_staff, lea
):
    with time_machine.travel(at(2026, 10, 1, 9), tick=False):
        on_time = submitted_request(lea=lea, created_by=lea_staff)
    with time_machine.travel(at(2026, 10, 2, 9), tick=False):
        workflow.assistance_request_verify(assistance_request=on_time, by=reviewer)
    with time_machine.travel(at(2026, 10, 5, 9), tick=False):
        late = submitted_request(lea=lea, created_by=lea_staff)
    with time_machine.travel(at(2026, 10, 8, 9), tick=False):
        workflow.assistance_request_verify(assistance_request=late, by=lead)
    with time_machine.travel(at(2026, 11, 1, 9), tick=False):
        overdue = submitted_request(lea=lea, created_by=lea_staff)
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        waiting = submitted_request(lea=lea, created_by=lea_staff)
    with time_machine.travel(at(2026, 11, 21, 0), tick=False):
        client.force_login(reviewer)
        response = client.get(reverse(DASHBOARD))

    assert response.status_code == 200
    ctx = response.context
    counts = dict(ctx["status_counts"])
    assert (counts["Submitted"], counts["Verified"], counts["Approved"]) == (2, 2, 0)
    assert [r.pk for r, _ in ctx["overdue_rows"]] == [overdue.pk]
    assert [r.pk for r, _ in ctx["awaiting_rows"]] == [waiting.pk]
    assert [r.pk for r in ctx["mine"]] == [on_time.pk]
    # Settled this quarter: on time, late and the overdue one; one of three was on time.
    assert (ctx["on_time"], ctx["counted"], ctx["on_time_percent"]) == (1, 3, 33)
    body = response.content.decode()
    assert "OVERDUE by 17 d 15 h" in body
    assert "33 h left" in body
    assert "33%" in body
    chart = json.loads(
        body.split('id="requests-by-month-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["labels"][-2:] == ["Oct 2026", "Nov 2026"]
    by_label = {d["label"]: d["data"] for d in chart["datasets"]}
    assert by_label["Verified"][-2:] == [2, 0]
    assert by_label["Submitted"][-2:] == [0, 2]
    assert static("vendor/chartjs/chart.umd.min.js") in body  # the hashed name, from the manifest
    assert "<caption>Requests received per month" in body


@pytest.mark.django_db
def test_dashboard_without_settled_requests_says_so(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse(DASHBOARD))
    assert response.context["on_time_percent"] is None
    assert b"has been verified or come due yet" in response.content


@pytest.mark.django_db
def test_dashboard_is_refused_to_the_agent_and_lea_staff(client, agent, lea_staff):
    client.force_login(agent)
    assert client.get(reverse(DASHBOARD)).status_code == 403
    client.force_login(lea_staff)
    assert client.get(reverse(DASHBOARD)).status_code == 302


def test_time_left_reads_in_hours_and_days():
    from requests_intake.admin_requests import format_hours

    assert format_hours(timedelta(minutes=45)) == "45 min"
    assert format_hours(timedelta(hours=3, minutes=59)) == "3 h"
    assert format_hours(timedelta(hours=50)) == "2 d 2 h"
