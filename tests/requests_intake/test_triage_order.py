"""The triage queue's default order: a stored, indexed key, overdue first, then tier."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import TRIAGE_ORDER, AssistanceRequest
from tests.factories import DraftRequestFactory, LeaFactory

S = AssistanceRequest.Status


def make(reference, status, due_in_hours, tier, lea, lea_staff, now):
    due = now + timedelta(hours=due_in_hours)
    return DraftRequestFactory(
        lea=lea,
        created_by=lea_staff,
        status=status,
        reference=reference,
        received_at=due - timedelta(hours=48),
        verification_due_at=due,
        priority_tier=tier,
    )


@pytest.fixture
def queue(db, lea_staff):
    lea = LeaFactory()
    rows = [
        ("RFA-2026-0001", S.APPROVED, -100, 1),  # closed: last
        ("RFA-2026-0002", S.SUBMITTED, 30, 1),  # 30 hours left
        ("RFA-2026-0003", S.SUBMITTED, -2, 3),  # overdue by 2 hours: first
        ("RFA-2026-0004", S.UNDER_REVIEW, -50, 1),  # open, clock stopped: after the clock
        ("RFA-2026-0005", S.SUBMITTED, 5, None),  # 5 hours left
        ("RFA-2026-0006", S.VERIFIED, -60, None),  # open, no tier: after tier 1
        ("RFA-2026-0007", S.SUBMITTED, 5, 2),  # 5 hours left too, tier 2 before no tier
    ]
    now = timezone.now()
    for row in rows:
        make(*row, lea=lea, lea_staff=lea_staff, now=now)
    DraftRequestFactory(lea=lea, created_by=lea_staff)  # a draft is never in the queue
    return rows


EXPECTED = [
    "RFA-2026-0003",
    "RFA-2026-0007",
    "RFA-2026-0005",
    "RFA-2026-0002",
    "RFA-2026-0004",
    "RFA-2026-0006",
    "RFA-2026-0001",
]


def test_the_changelist_lists_overdue_first_then_by_time_left_then_tier(client, reviewer, queue):
    client.force_login(reviewer)
    response = client.get(reverse("admin:requests_intake_assistancerequest_changelist"))
    assert [r.reference for r in response.context["cl"].result_list] == EXPECTED


def test_the_sort_key_follows_the_status_as_the_database_stores_it(queue):
    req = AssistanceRequest.objects.get(reference="RFA-2026-0003")
    assert (req.triage_rank, req.triage_due) == (0, req.verification_due_at)
    AssistanceRequest.objects.filter(pk=req.pk).update(status=S.VERIFIED)
    req.refresh_from_db()
    assert (req.triage_rank, req.triage_due) == (1, None)


def test_the_default_order_is_read_from_the_index_without_sorting(queue):
    queryset = AssistanceRequest.objects.submitted_ever().order_by(*TRIAGE_ORDER)[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a seven-row table is not a test
        plan = queryset.explain()
    assert "request_triage_order_idx" in plan
    assert "Sort" not in plan


def test_the_changelist_counts_its_rows_once_without_a_filter(client, reviewer, queue):
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == 1
    assert response.context["cl"].full_result_count == 7
    filtered = client.get(url, {"status": S.SUBMITTED})
    assert filtered.context["cl"].result_count == 4
    assert filtered.context["cl"].full_result_count == 7


def test_above_the_limit_the_changelist_shows_the_planner_estimate_instead_of_counting(
    client, reviewer, queue, monkeypatch
):
    from requests_intake import selectors

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE requests_intake_assistancerequest")
    monkeypatch.setattr(selectors, "EXACT_COUNT_LIMIT", 3)
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_changelist")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert not [q for q in captured.captured_queries if "COUNT(*)" in q["sql"]]
    estimate = selectors.planner_row_estimate(AssistanceRequest.objects.submitted_ever())
    assert estimate > 3
    assert response.context["cl"].result_count == estimate
