"""The triage changelist and change view run a fixed number of queries, however many requests."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core import roles
from requests_intake import selectors, workflow
from requests_intake.models import AssistanceRequest, InternalNote
from tests.factories import DraftRequestFactory, LeaFactory, UserFactory, submitted_request

S = AssistanceRequest.Status
STATUSES = [S.SUBMITTED, S.VERIFIED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.APPROVED]

# The numbers the pages take, the same at 10 and at 1,000 requests. (One fewer than when roles
# were checked by group name: has_perm's permission cache answers every check of a page, and
# fills itself in one query: accounts.permission_backend.)
CHANGELIST_QUERIES = 7  # the planner's estimate, then one exact count below the limit
# The change view also lists the LEA's additional contacts and partners, and the county
# confirmation links sent (one query each).
CHANGE_VIEW_QUERIES = 15


def bulk_requests(count, reviewers):
    """Create `count` submitted requests across a few LEAs with one bulk insert."""
    leas = [LeaFactory(county=county) for county in ("Alameda", "Fresno", "Kern", "Yolo")]
    creator = UserFactory(role=roles.LEA_STAFF)
    now = timezone.now()
    rows = []
    for i in range(count):
        received = now - timedelta(hours=i % 96, minutes=i)
        rows.append(
            DraftRequestFactory.build(
                lea=leas[i % len(leas)],
                created_by=creator,
                attested_by=creator,
                status=STATUSES[i % len(STATUSES)],
                reference=f"RFA-2026-{i + 1:05d}",
                received_at=received,
                verification_due_at=received + timedelta(hours=48),
                priority_tier=1 + i % 3,
                pathways="g1A,g3" if i % 2 else "g3",
                cost_basis="shared_cost" if i % 2 else "reimbursable",
                assigned_to=reviewers[i % len(reviewers)] if i % 3 else None,
            )
        )
    AssistanceRequest.objects.bulk_create(rows, batch_size=500)


@pytest.fixture
def reviewers(reviewer, lead):
    return [reviewer, lead]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 1000])
def test_changelist_runs_a_fixed_number_of_queries(
    client, reviewer, reviewers, count, django_assert_num_queries
):
    bulk_requests(count, reviewers)
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_changelist")

    ContentType.objects.clear_cache()
    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == count
    assert len(response.context["cl"].result_list) == min(count, 50)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 1000])
def test_change_view_runs_a_fixed_number_of_queries(
    client, reviewer, reviewers, lea_staff, lea, count, django_assert_num_queries
):
    bulk_requests(count, reviewers)
    req = submitted_request(lea=lea, created_by=lea_staff)
    workflow.assistance_request_verify(assistance_request=req, by=reviewer)
    workflow.assistance_request_request_information(
        assistance_request=req, by=reviewer, message="Attach the letter."
    )
    for body in ("First note", "Second note"):
        InternalNote.objects.create(request=req, author=reviewer, body=body)
    client.force_login(reviewer)

    ContentType.objects.clear_cache()  # every request counts its content type lookup
    with django_assert_num_queries(CHANGE_VIEW_QUERIES):
        response = client.get(
            reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])
        )

    assert response.status_code == 200
    assert b"Second note" in response.content
    assert b"Attach the letter." in response.content


@pytest.mark.django_db
def test_the_people_a_request_names_are_read_in_one_query(
    reviewer, lea_staff, lea, django_assert_num_queries
):
    req = submitted_request(lea=lea, created_by=lea_staff)
    workflow.assistance_request_verify(assistance_request=req, by=reviewer)
    req = AssistanceRequest.objects.get(pk=req.pk)

    with django_assert_num_queries(1):
        selectors.attach_named_people(req)
    with django_assert_num_queries(0):
        assert req.created_by == lea_staff
        assert req.attested_by == lea_staff
        assert req.verified_by == reviewer
        assert req.decided_by is None
