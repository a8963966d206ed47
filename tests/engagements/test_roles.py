"""The engagements' permissions the roles grant exist, and each role holds what the issue says."""

import pytest
from django.contrib.auth.models import Permission

from core import roles

pytestmark = pytest.mark.django_db


def test_every_engagements_permission_the_roles_name_exists():
    declared = {
        p.split(".", 1)[1]
        for role in roles.ROLES.values()
        for p in role["permissions"]
        if p.startswith("engagements.")
    }
    existing = set(
        Permission.objects.filter(content_type__app_label="engagements").values_list(
            "codename", flat=True
        )
    )
    assert declared and declared - existing == set()


def test_only_reviewers_and_leads_manage_and_review(reviewer, lead, agent, lea_staff):
    for person in (reviewer, lead):
        assert person.has_perm("engagements.manage_engagement")
        assert person.has_perm("engagements.review_progressreport")
        assert person.has_perm("engagements.mark_success_story")
    for person in (agent, lea_staff):
        assert not person.has_perm("engagements.manage_engagement")
        assert not person.has_perm("engagements.review_progressreport")
        assert not person.has_perm("engagements.view_engagement")
    assert agent.has_perm("engagements.view_deliverable_status")
    assert lea_staff.has_perm("engagements.change_progressreport")
