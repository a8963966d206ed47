"""The roles' contracts permissions exist, and each role holds exactly its share."""

import pytest
from django.contrib.auth.models import Permission

from core import roles

pytestmark = pytest.mark.django_db


def test_every_contracts_permission_the_roles_name_exists():
    declared = {
        dotted.split(".", 1)[1]
        for role in roles.ROLES.values()
        for dotted in role["permissions"]
        if dotted.startswith("contracts.")
    }
    existing = set(
        Permission.objects.filter(content_type__app_label="contracts").values_list(
            "codename", flat=True
        )
    )
    assert declared - existing == set()


def test_the_agent_holds_contracts_permissions_only(agent):
    # Besides contracts, only the engagements' deliverable status (issue 15), never narratives.
    held = agent.get_all_permissions()
    assert {p for p in held if not p.startswith("contracts.")} == {
        "engagements.view_deliverable_status"
    }
    assert agent.has_perm("contracts.approve_scopeofwork")
    assert not agent.has_perm("contracts.send_scopeofwork")


def test_reviewers_send_but_do_not_approve(reviewer, lead):
    for person in (reviewer, lead):
        assert person.has_perm("contracts.send_scopeofwork")
        assert not person.has_perm("contracts.approve_scopeofwork")
        assert not person.has_perm("contracts.add_agreementtemplate")


def test_lea_staff_hold_only_the_permission_to_return_their_signed_agreement(lea_staff):
    held = {p for p in lea_staff.get_all_permissions() if p.startswith("contracts.")}
    assert held == {"contracts.return_signed_scopeofwork"}
