"""A membership decision is a lifecycle: locked, authorised, recorded, and told to the person."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core import roles
from notices.models import Notice
from requests_intake import memberships
from requests_intake.models import LeaMembership, MembershipChange
from tests.factories import MembershipFactory
from tests.groups import remove_in_the_admin

pytestmark = pytest.mark.django_db
M = LeaMembership.Status


@pytest.fixture
def pending(lea):
    return MembershipFactory(lea=lea, status=M.PENDING)


def test_approving_records_who_and_when_and_tells_the_applicant(pending, reviewer):
    memberships.membership_approve(membership=pending, by=reviewer)

    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (M.APPROVED, reviewer)
    assert pending.decided_at is not None
    change = MembershipChange.objects.get(membership=pending)
    assert (change.from_status, change.to_status, change.by) == (M.PENDING, M.APPROVED, reviewer)
    notice = Notice.objects.get(kind="membership_approved")
    assert notice.recipient == pending.user
    assert pending.lea.name in notice.subject and pending.lea.name in notice.body_text


def test_rejecting_with_a_reason_sends_the_reason(pending, reviewer):
    memberships.membership_reject(
        membership=pending, by=reviewer, reason="Use your district address to apply."
    )
    pending.refresh_from_db()
    assert pending.status == M.REJECTED
    assert MembershipChange.objects.get(membership=pending).reason == (
        "Use your district address to apply."
    )
    notice = Notice.objects.get(kind="membership_rejected")
    assert "Use your district address to apply." in notice.body_text


def test_a_decision_already_made_is_refused_and_changes_nothing(lea, reviewer):
    approved = MembershipFactory(lea=lea)
    with pytest.raises(memberships.MembershipRefused, match="already approved"):
        memberships.membership_approve(membership=approved, by=reviewer)
    assert not MembershipChange.objects.exists()
    assert not Notice.objects.filter(kind="membership_approved").exists()


@pytest.mark.parametrize("who", ["lea_staff", "agent", "other_lea_staff"])
def test_only_ccee_reviewers_decide(pending, who, request):
    person = request.getfixturevalue(who)
    with pytest.raises(memberships.MembershipRefused, match="Only CCEE reviewers"):
        memberships.membership_approve(membership=pending, by=person)
    pending.refresh_from_db()
    assert pending.status == M.PENDING and not MembershipChange.objects.exists()


def test_an_approved_member_can_be_rejected_later_and_loses_the_lea(lea, reviewer):
    member = MembershipFactory(lea=lea)
    memberships.membership_reject(membership=member, by=reviewer, reason="Left the district.")
    assert not LeaMembership.objects.approved_lea_ids(member.user).exists()


def test_without_the_membership_permission_a_reviewer_can_no_longer_decide(
    client, pending, reviewer
):
    remove_in_the_admin(client, roles.CCEE_REVIEWER, "change_leamembership")
    with pytest.raises(memberships.MembershipRefused, match="Only CCEE reviewers"):
        memberships.membership_approve(
            membership=pending, by=get_user_model().objects.get(pk=reviewer.pk)
        )
    pending.refresh_from_db()
    assert pending.status == M.PENDING


def test_reject_in_the_admin_asks_for_an_optional_reason(client, pending, reviewer):
    client.force_login(reviewer)
    change = reverse("admin:requests_intake_leamembership_change", args=[pending.pk])
    url = reverse("admin:requests_intake_leamembership_transition", args=[pending.pk, "reject"])
    assert url.encode() in client.get(change).content

    page = client.get(url)
    assert b"Reason (optional; sent to the applicant)" in page.content
    client.post(url, {"reason": "Apply with your district address."})

    pending.refresh_from_db()
    assert pending.status == M.REJECTED
    assert pending.changes.get().reason == "Apply with your district address."
