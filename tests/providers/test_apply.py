"""Applying on the public site: a provider account with its application, and the form's checks."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core import roles
from notices.models import Notice
from providers.models import Provider, ProviderChange, ProviderMember
from providers.notice_kinds import K
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("providers:apply")


def _form(**overrides):
    data = {
        "kind": "coach",
        "name": "Maria Lopez Coaching",
        "summary": "Twelve years as a principal, then five coaching leading teams in districts.",
        "website": "https://coach.example.org",
        "contact_email": "maria@coach.example.org",
        "expertise": ["leadership", "english_learners"],
        "grade_spans": ["6_8", "9_12"],
        "counties": ["10", "54"],
        "languages": ["en", "es"],
        "capacity": "2",
        "references": "Fresno Unified: the chief academic officer.",
        "public_consent": "on",
        "full_name": "Maria Lopez",
        "email": "maria@coach.example.org",
        "job_title": "Coach",
        "phone": "",
        "password1": "a long passphrase for coaching",
        "password2": "a long passphrase for coaching",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_coach_applies_with_a_new_account(client, reviewer):
    page = client.post(URL, _form())
    assert page.status_code == 200
    assert b"Check your email" in page.content
    user = get_user_model().objects.get(email="maria@coach.example.org")
    assert not user.is_active  # until the address is confirmed
    assert set(user.groups.values_list("name", flat=True)) == {roles.ASSISTANCE_PROVIDER}
    assert not user.is_staff
    provider = Provider.objects.get()
    assert (provider.kind, provider.status, provider.capacity) == ("coach", "applied", 2)
    assert provider.expertise == ["leadership", "english_learners"]
    assert provider.counties == ["10", "54"] and not provider.statewide
    assert provider.public_consent and not provider.public_listing
    assert ProviderMember.objects.get(provider=provider).user == user
    assert ProviderChange.objects.get(provider=provider).action == "apply"
    kinds = set(Notice.objects.values_list("kind", flat=True))
    assert {"email_verification", K.APPLICATION_RECEIVED, K.APPLICATION_ALERT} <= kinds
    alert = Notice.objects.get(kind=K.APPLICATION_ALERT)
    assert alert.recipient_email == reviewer.email.lower()
    assert "/admin/providers/provider/" in alert.body_text


def test_statewide_reach_needs_no_county(client):
    client.post(URL, _form(counties=None, statewide="on"))
    provider = Provider.objects.get()
    assert provider.statewide and provider.counties == []


BAD = [
    ({"expertise": None}, "expertise", "at least one area of expertise"),
    ({"grade_spans": None}, "grade_spans", "at least one grade span"),
    ({"languages": None}, "languages", "at least one language"),
    ({"counties": None}, "counties", "or tick"),
    ({"summary": "Coach."}, "summary", "a few sentences"),
    ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
    ({"capacity": "21"}, "capacity", "less than or equal to 20"),
    ({"references": ""}, "references", "required"),
    ({"contact_email": "not-an-address"}, "contact_email", "valid email"),
    ({"expertise": ["astrology"]}, "expertise", "not one of the available choices"),
    ({"counties": ["99"]}, "counties", "not one of the available choices"),
    ({"kind": "lea"}, "kind", "not one of the available choices"),  # anonymous: no LEA
    ({"password2": "something else entirely"}, "password2", "differ"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_bad_input_is_shown_next_to_its_field_and_creates_nothing(client, change, field, message):
    page = client.post(URL, _form(**change))
    assert page.status_code == 200
    form = page.context["form"] if field in page.context["form"].fields else None
    errors = (form or page.context["account_form"]).errors[field]
    assert any(message in e for e in errors), errors
    assert message.encode() in page.content or message in page.content.decode()
    assert not Provider.objects.exists()
    assert not get_user_model().objects.filter(email="maria@coach.example.org").exists()


def test_an_address_with_an_account_is_answered_alike_and_creates_nothing(client):
    owner = UserFactory(email="maria@coach.example.org")
    page = client.post(URL, _form())
    assert b"Check your email" in page.content
    assert not Provider.objects.exists()
    assert Notice.objects.filter(kind="signup_address_taken", recipient=owner).exists()


def test_an_approved_lea_member_applies_for_the_lea(client, lea, lea_staff):
    client.force_login(lea_staff)
    page = client.get(URL)
    assert b"An LEA offering help to other LEAs" in page.content
    assert b'name="password1"' not in page.content
    response = client.post(URL, _form(kind="lea", lea=str(lea.pk), name=lea.name))
    provider = Provider.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("providers:profile", args=[provider.pk])
    assert (provider.kind, provider.lea) == ("lea", lea)
    assert provider.members.get().user == lea_staff
    lea_staff.refresh_from_db()
    groups = set(lea_staff.groups.values_list("name", flat=True))
    assert groups == {roles.LEA_STAFF, roles.ASSISTANCE_PROVIDER}


def test_an_lea_kind_needs_the_lea_and_an_lea_already_listed_is_refused(
    client, lea, lea_staff, other_lea
):
    client.force_login(lea_staff)
    page = client.post(URL, _form(kind="lea"))
    assert (
        "Choose the LEA offering district-to-district help." in page.context["form"].errors["lea"]
    )
    page = client.post(URL, _form(kind="lea", lea=str(other_lea.pk)))  # not the person's LEA
    assert "lea" in page.context["form"].errors
    ProviderFactory(kind="lea", lea=lea)
    page = client.post(URL, _form(kind="lea", lea=str(lea.pk)))
    assert "This LEA is in the registry already." in page.context["form"].errors["lea"]
    assert Provider.objects.count() == 1


def test_a_member_of_no_lea_is_not_offered_the_lea_kind(client, provider_member):
    client.force_login(provider_member)
    page = client.get(URL)
    assert b"An LEA offering help to other LEAs" not in page.content


def test_staff_are_sent_to_the_admin(client, reviewer):
    client.force_login(reviewer)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:providers_provider_changelist")


def test_applications_are_rate_limited_like_sign_up(client, settings):
    settings.RATE_SIGNUP_PER_ADDRESS = "1/h"
    client.post(URL, _form())
    page = client.post(URL, _form(email="other@coach.example.org"))
    page = client.post(URL, _form())
    assert page.status_code == 429
    assert Provider.objects.count() == 2  # the refused third one changed nothing
