"""The admin's group editor governs what reviewers may do to a request: has_perm, not names."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core import roles
from requests_intake import workflow
from tests.factories import DraftRequestFactory, submitted_request
from tests.groups import remove_in_the_admin

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no cached permissions


def test_without_the_decide_permission_a_reviewer_can_no_longer_approve(
    client, reviewer, lea_staff, lea
):
    req = workflow.assistance_request_verify(
        assistance_request=submitted_request(lea=lea, created_by=lea_staff), by=reviewer
    )
    change = reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])
    client.force_login(reviewer)
    assert "Approve…</a>".encode() in client.get(change).content

    remove_in_the_admin(client, roles.CCEE_REVIEWER, "decide_assistancerequest")

    client.force_login(reviewer)
    page = client.get(change)
    assert page.status_code == 200 and "Approve…</a>".encode() not in page.content
    changelist = client.get(reverse("admin:requests_intake_assistancerequest_changelist"))
    assert b'value="approve"' not in changelist.content
    with pytest.raises(workflow.TransitionRefused, match="Only"):
        workflow.assistance_request_approve(assistance_request=req, by=fresh(reviewer))
    req.refresh_from_db()
    assert req.status == req.Status.VERIFIED


def test_without_the_verify_permission_a_reviewer_can_no_longer_verify(
    client, reviewer, lea_staff, lea
):
    req = submitted_request(lea=lea, created_by=lea_staff)
    remove_in_the_admin(client, roles.CCEE_REVIEWER, "verify_assistancerequest")
    with pytest.raises(workflow.TransitionRefused, match="Only"):
        workflow.assistance_request_verify(assistance_request=req, by=fresh(reviewer))
    req.refresh_from_db()
    assert req.status == req.Status.SUBMITTED


def test_granting_reopen_to_reviewers_lets_them_reopen(client, reviewer, lea_staff, lea):
    req = workflow.assistance_request_verify(
        assistance_request=submitted_request(lea=lea, created_by=lea_staff), by=reviewer
    )
    workflow.assistance_request_decline(assistance_request=req, by=reviewer, reason="Not (g).")
    group = Group.objects.get(name=roles.CCEE_REVIEWER)
    group.permissions.add(Permission.objects.get(codename="reopen_assistancerequest"))
    workflow.assistance_request_reopen(assistance_request=req, by=fresh(reviewer), reason="New")
    req.refresh_from_db()
    assert req.status == req.Status.UNDER_REVIEW


def test_without_the_submit_permission_lea_staff_can_no_longer_submit(client, lea_staff, lea):
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    remove_in_the_admin(client, roles.LEA_STAFF, "submit_assistancerequest")
    with pytest.raises(workflow.TransitionRefused, match="Only approved members"):
        workflow.assistance_request_submit(assistance_request=draft, by=fresh(lea_staff))
    draft.refresh_from_db()
    assert draft.status == draft.Status.DRAFT
