"""Each role reaches what it needs and nothing more."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core import roles
from tests.factories import DraftRequestFactory

pytestmark = pytest.mark.django_db


def test_each_role_group_holds_exactly_its_declared_permissions():
    for name, role in roles.ROLES.items():
        group = Group.objects.get(name=name)
        held = {
            f"{app}.{code}"
            for app, code in group.permissions.values_list("content_type__app_label", "codename")
        }
        assert held == set(role["permissions"]), name


def test_lea_staff_cannot_open_the_admin(client, lea_staff):
    client.force_login(lea_staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_administrative_agent_holds_no_permission_on_requests_or_notes(agent):
    assert agent.is_staff
    assert not any(p.startswith("requests_intake.") for p in agent.get_all_permissions())
    assert not agent.has_perm("requests_intake.view_internal_notes")
    assert not agent.has_perm("requests_intake.view_internalnote")


def test_administrative_agent_cannot_open_requests_in_the_admin(client, agent, lea):
    req = DraftRequestFactory(lea=lea)
    client.force_login(agent)
    assert client.get(reverse("admin:index")).status_code == 200
    for path in (
        "/admin/requests_intake/assistancerequest/",
        f"/admin/requests_intake/assistancerequest/{req.pk}/change/",
        "/admin/requests_intake/internalnote/",
    ):
        assert client.get(path).status_code in (403, 404), path


def test_reviewer_may_see_internal_notes_and_verify(reviewer):
    assert reviewer.has_perm("requests_intake.view_internal_notes")
    assert reviewer.has_perm("requests_intake.verify_assistancerequest")
    assert not reviewer.has_perm("requests_intake.reopen_assistancerequest")


def test_lead_may_also_reopen_and_reassign(lead):
    assert lead.has_perm("requests_intake.reopen_assistancerequest")
    assert lead.has_perm("requests_intake.reassign_assistancerequest")


def test_unapproved_member_sees_nothing_of_the_lea(client, unapproved_member, lea):
    req = DraftRequestFactory(lea=lea)
    client.force_login(unapproved_member)
    listing = client.get(reverse("requests_intake:request_list"))
    assert req.primary_contact_email not in listing.content.decode()
    assert lea.name not in listing.content.decode()
    assert client.get(reverse("requests_intake:request_detail", args=[req.pk])).status_code == 404


def test_member_of_another_lea_gets_404_for_a_request(client, other_lea_staff, lea):
    req = DraftRequestFactory(lea=lea)
    client.force_login(other_lea_staff)
    assert client.get(reverse("requests_intake:request_detail", args=[req.pk])).status_code == 404
