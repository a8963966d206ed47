"""Colleague invitations, the designated lead contact, and the LEA's members page."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from notices.models import Notice
from requests_intake import invitations, memberships
from requests_intake.models import LeaInvitation, LeaMembership, MembershipChange
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
M = LeaMembership.Status
COLLEAGUE = "sam.lee@district.k12.ca.us"


def invite(client, lea, email=COLLEAGUE):
    return client.post(reverse("accounts:lea_invite", args=[lea.pk]), {"email": email})


def invitation_path(notice) -> str:
    return re.search(r"/accounts/invitations/[^/\s]+/", notice.body_text).group(0)


def signup_data(lea, **overrides):
    return {
        "full_name": "Sam Lee",
        "email": COLLEAGUE,
        "job_title": "Principal",
        "phone": "",
        "lea": lea.pk,
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
        **overrides,
    }


@pytest.fixture
def lead_contact(lea, reviewer):
    membership = MembershipFactory(lea=lea)
    memberships.membership_designate_lead_contact(membership=membership, by=reviewer)
    return membership.user


# --- Sending -----------------------------------------------------------------------------------


def test_a_member_invites_a_colleague_and_the_invitation_is_a_notice(client, lea, lea_staff):
    client.force_login(lea_staff)
    response = invite(client, lea, email="Sam.Lee@District.k12.ca.us")
    assert response.status_code == 302
    invitation = LeaInvitation.objects.get()
    assert (invitation.lea, invitation.email, invitation.invited_by) == (lea, COLLEAGUE, lea_staff)
    notice = Notice.objects.get(kind="colleague_invitation")
    assert notice.recipient_email == COLLEAGUE and notice.recipient is None
    assert lea.name in notice.subject and lea_staff.full_name in notice.subject
    assert "A CCEE reviewer approves your membership" in notice.body_text
    assert invitation_path(notice)


def test_the_lead_contacts_invitation_says_it_admits_on_acceptance(client, lea, lead_contact):
    client.force_login(lead_contact)
    invite(client, lea)
    assert "approved as soon as you accept" in Notice.objects.get().body_text


def test_a_bad_address_is_refused_next_to_the_field(client, lea, lea_staff):
    client.force_login(lea_staff)
    response = invite(client, lea, email="not-an-address")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="invite_error"' in body and "valid email address" in body
    assert not LeaInvitation.objects.exists() and not Notice.objects.exists()


def test_inviting_a_member_already_approved_is_refused(client, lea, lea_staff):
    other = MembershipFactory(lea=lea).user
    client.force_login(lea_staff)
    response = invite(client, lea, email=other.email)
    assert response.status_code == 400
    assert "is a member of" in response.content.decode()
    assert not LeaInvitation.objects.exists()


@pytest.mark.parametrize("persona", ["other_lea_staff", "unapproved_member", "reviewer"])
def test_inviting_to_an_lea_not_yours_is_a_404(client, lea, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert invite(client, lea).status_code == 404
    assert not LeaInvitation.objects.exists()


def test_invitations_are_rate_limited_per_member(client, settings, lea, lea_staff):
    settings.RATE_INVITATIONS_PER_MEMBER = "3/h"
    client.force_login(lea_staff)
    for n in range(3):
        assert invite(client, lea, email=f"c{n}@district.k12.ca.us").status_code == 302
    response = invite(client, lea, email="c4@district.k12.ca.us")
    assert response.status_code == 429
    assert "as many invitations as the portal allows" in response.content.decode()
    assert LeaInvitation.objects.count() == 3 == Notice.objects.count()


# --- Accepting ---------------------------------------------------------------------------------


def sent(lea, by, email=COLLEAGUE):
    return invitations.invitation_send(lea=lea, email=email, by=by)


def test_a_colleague_signs_up_from_the_link_and_waits_for_a_reviewer(client, lea, lea_staff):
    invitation = sent(lea, lea_staff)
    path = invitation_path(Notice.objects.get(kind="colleague_invitation"))
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/signup/?invitation=" in response.url
    page = client.get(response.url).content.decode()
    assert f'value="{COLLEAGUE}"' in page and lea.name in page
    assert "You were invited to join this LEA" in page
    token = response.url.split("invitation=")[1]
    client.post(reverse("accounts:signup"), {**signup_data(lea), "invitation": token})
    membership = LeaMembership.objects.get(user__email=COLLEAGUE)
    assert (membership.lea, membership.status) == (lea, M.PENDING)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.membership == membership


def test_the_lead_contacts_colleague_is_admitted_on_sign_up_with_history(client, lea, lead_contact):
    sent(lea, lead_contact)
    path = invitation_path(Notice.objects.get(kind="colleague_invitation"))
    token = client.get(path).url.split("invitation=")[1]
    client.post(reverse("accounts:signup"), {**signup_data(lea), "invitation": token})
    membership = LeaMembership.objects.get(user__email=COLLEAGUE)
    assert (membership.status, membership.decided_by) == (M.APPROVED, lead_contact)
    change = MembershipChange.objects.get(membership=membership)
    assert (change.event, change.by, change.to_status) == ("admit", lead_contact, M.APPROVED)


def test_a_signed_in_colleague_joins_from_the_link(client, lea):
    inviter = MembershipFactory(lea=lea).user
    colleague = UserFactory(email=COLLEAGUE)
    sent(lea, inviter)
    client.force_login(colleague)
    path = invitation_path(Notice.objects.get())
    page = client.get(path)
    assert page.status_code == 200 and f"Join {lea.name}" in page.content.decode()
    assert client.post(path).status_code == 302
    assert LeaMembership.objects.get(user=colleague, lea=lea).status == M.PENDING


def test_the_link_of_someone_elses_invitation_is_a_404(client, lea, other_lea_staff):
    sent(lea, MembershipFactory(lea=lea).user)
    client.force_login(other_lea_staff)
    path = invitation_path(Notice.objects.get())
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert not LeaMembership.objects.filter(user=other_lea_staff, lea=lea).exists()


def test_an_invitation_works_once(client, lea):
    colleague = UserFactory(email=COLLEAGUE)
    sent(lea, MembershipFactory(lea=lea).user)
    client.force_login(colleague)
    path = invitation_path(Notice.objects.get())
    client.post(path)
    again = client.post(path)
    assert again.status_code == 200 and "has been used" in again.content.decode()
    assert LeaMembership.objects.filter(user=colleague).count() == 1
    with pytest.raises(invitations.InvitationRefused):
        invitations.invitation_accept(invitation=LeaInvitation.objects.get(), user=colleague)


def test_a_tampered_or_expired_link_is_refused_and_changes_nothing(client, settings, lea):
    settings.INVITATION_MAX_AGE_DAYS = 14
    colleague = UserFactory(email=COLLEAGUE)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        invitation = sent(lea, MembershipFactory(lea=lea).user)
        token = invitations.invitation_token(invitation)
        client.force_login(colleague)
        tampered = reverse("accounts:invitation", args=[token[:-2] + "xx"])
        assert client.post(tampered).status_code == 404
        forged = signing.dumps({"i": invitation.pk, "e": "other@x.org"}, salt=invitations.SALT)
        assert client.get(reverse("accounts:invitation", args=[forged])).status_code == 404
        clock.shift(timedelta(days=15))
        client.force_login(colleague)
        response = client.post(reverse("accounts:invitation", args=[token]))
        assert response.status_code == 404
        assert "does not work" in response.content.decode()
    assert not LeaMembership.objects.filter(user=colleague).exists()


def test_an_invitation_from_a_member_who_left_waits_for_a_reviewer(client, lea, reviewer):
    lead = MembershipFactory(lea=lea)
    memberships.membership_designate_lead_contact(membership=lead, by=reviewer)
    invitation = sent(lea, lead.user)
    memberships.membership_reject(membership=lead, by=reviewer, reason="Left the district.")
    lead.refresh_from_db()
    assert not lead.is_lead_contact
    colleague = UserFactory(email=COLLEAGUE)
    membership = invitations.invitation_accept(invitation=invitation, user=colleague)
    assert membership.status == M.PENDING


# --- The designated lead contact ---------------------------------------------------------------


def test_a_reviewer_designates_the_lead_contact_with_history(lea, reviewer):
    membership = MembershipFactory(lea=lea)
    memberships.membership_designate_lead_contact(membership=membership, by=reviewer)
    membership.refresh_from_db()
    assert membership.is_lead_contact
    change = MembershipChange.objects.get(membership=membership)
    assert (change.event, change.by) == ("designate_lead", reviewer)


def test_one_lead_contact_per_lea_the_previous_one_is_replaced_with_history(lea, reviewer):
    first, second = MembershipFactory(lea=lea), MembershipFactory(lea=lea)
    memberships.membership_designate_lead_contact(membership=first, by=reviewer)
    memberships.membership_designate_lead_contact(membership=second, by=reviewer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_lead_contact, second.is_lead_contact) == (False, True)
    assert MembershipChange.objects.filter(
        membership=first, event=memberships.REPLACED_AS_LEAD
    ).exists()


def test_lea_staff_cannot_designate_a_lead_contact(lea, lea_staff):
    membership = MembershipFactory(lea=lea)
    with pytest.raises(memberships.MembershipRefused):
        memberships.membership_designate_lead_contact(membership=membership, by=lea_staff)
    membership.refresh_from_db()
    assert not membership.is_lead_contact and not MembershipChange.objects.exists()


def test_a_pending_member_cannot_be_the_lead_contact(lea, reviewer):
    pending = MembershipFactory(lea=lea, status=M.PENDING)
    with pytest.raises(memberships.MembershipRefused):
        memberships.membership_designate_lead_contact(membership=pending, by=reviewer)


def test_the_reviewer_sets_the_lead_contact_from_the_admin(client, lea, reviewer):
    membership = MembershipFactory(lea=lea)
    client.force_login(reviewer)
    change_url = reverse("admin:requests_intake_leamembership_change", args=[membership.pk])
    assert "Make the LEA&#x27;s lead contact" in client.get(change_url).content.decode()
    url = reverse(
        "admin:requests_intake_leamembership_transition", args=[membership.pk, "designate_lead"]
    )
    client.post(url)
    membership.refresh_from_db()
    assert membership.is_lead_contact
    page = client.get(change_url).content.decode()
    assert "made this member the LEA&#x27;s designated lead contact" in page


def test_a_regular_members_colleague_is_not_admitted_without_a_reviewer(lea, lea_staff):
    colleague = UserFactory(email=COLLEAGUE)
    membership = invitations.invitation_accept(invitation=sent(lea, lea_staff), user=colleague)
    assert membership.status == M.PENDING
    with pytest.raises(memberships.MembershipRefused):
        memberships.membership_admit_invited(membership=membership, by=lea_staff)


# --- The members page --------------------------------------------------------------------------


def test_members_see_who_else_belongs_and_who_is_the_lead_contact(client, lea, lead_contact):
    colleague = MembershipFactory(lea=lea, user__full_name="Dana Diaz").user
    pending = MembershipFactory(lea=lea, status=M.PENDING, user__full_name="Pending Person").user
    client.force_login(colleague)
    body = client.get(reverse("accounts:lea_members", args=[lea.pk])).content.decode()
    assert "Dana Diaz (you)" in body and lead_contact.full_name in body
    assert "Lead contact" in body
    assert pending.full_name not in body


@pytest.mark.parametrize("persona", ["other_lea_staff", "unapproved_member", "anonymous"])
def test_the_members_page_of_an_lea_not_yours_is_refused(client, lea, lea_staff, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("accounts:lea_members", args=[lea.pk]))
    assert response.status_code == (302 if persona == "anonymous" else 404)
    assert lea_staff.email not in response.content.decode()


@pytest.mark.parametrize("rows", [2, 30])
def test_the_members_page_query_count_does_not_grow_with_members(
    client, lea, lea_staff, rows, django_assert_max_num_queries
):
    MembershipFactory.create_batch(rows, lea=lea)
    for n in range(rows):
        sent(lea, lea_staff, email=f"c{n}@district.k12.ca.us")
    client.force_login(lea_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:lea_members", args=[lea.pk]))
    assert response.content.decode().count("<tr>") == rows + 2  # the header, and you


def test_the_home_page_links_each_approved_lea_to_its_members(client, lea, lea_staff):
    client.force_login(lea_staff)
    body = client.get(reverse("home")).content.decode()
    assert reverse("accounts:lea_members", args=[lea.pk]) in body


def test_no_account_is_made_for_an_invitation_alone(lea, lea_staff):
    sent(lea, lea_staff)
    assert not get_user_model().objects.filter(email=COLLEAGUE).exists()
