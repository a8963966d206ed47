"""Membership approvals: pending first, the applicant's domain against the LEA's, bulk decisions."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import LeaMembership
from tests.factories import LeaFactory, MembershipFactory, UserFactory

CHANGELIST = "admin:requests_intake_leamembership_changelist"


@pytest.fixture
def district(db):
    return LeaFactory(name="Oak Valley Unified", email_domain="oakvalley.k12.ca.us")


@pytest.mark.django_db
def test_pending_memberships_come_first_with_the_domains_compared(client, reviewer, district):
    old = timezone.now() - timedelta(days=3)
    approved = MembershipFactory(lea=district, requested_at=timezone.now())
    matching = MembershipFactory(
        lea=district,
        status="pending",
        requested_at=old,
        user=UserFactory(email="pat@oakvalley.k12.ca.us"),
    )
    different = MembershipFactory(
        lea=district,
        status="pending",
        requested_at=old - timedelta(days=1),
        user=UserFactory(email="pat@gmail.example"),
    )
    client.force_login(reviewer)

    response = client.get(reverse(CHANGELIST))

    assert [m.pk for m in response.context["cl"].result_list] == [
        matching.pk,
        different.pk,
        approved.pk,
    ]
    body = response.content.decode()
    row = body.split("pat@gmail.example", 2)[2].split("</tr>")[0]
    assert "DIFFERENT: check before approving" in row
    assert "Match" in body.split("pat@oakvalley.k12.ca.us", 2)[2].split("</tr>")[0]


@pytest.mark.django_db
def test_bulk_approve_reports_each_membership_and_records_who_decided(client, reviewer, district):
    pending = MembershipFactory(lea=district, status="pending")
    already = MembershipFactory(lea=district)
    client.force_login(reviewer)

    response = client.post(
        reverse(CHANGELIST),
        {"action": "approve", "_selected_action": [pending.pk, already.pk]},
        follow=True,
    )

    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (LeaMembership.Status.APPROVED, reviewer)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"1 approved: {pending.user.email} (Oak Valley Unified)." in messages
    assert f"Skipped {already.user.email} (Oak Valley Unified): already approved." in messages


@pytest.mark.django_db
def test_bulk_reject(client, reviewer, district):
    pending = MembershipFactory(lea=district, status="pending")
    client.force_login(reviewer)
    client.post(reverse(CHANGELIST), {"action": "reject", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == LeaMembership.Status.REJECTED


@pytest.mark.django_db
def test_agent_cannot_see_memberships(client, agent):
    client.force_login(agent)
    assert client.get(reverse(CHANGELIST)).status_code == 403
