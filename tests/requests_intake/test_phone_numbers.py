"""US phone numbers: checked wherever the portal asks for one, stored in one form."""

import html
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import phone
from requests_intake.models import AssistanceRequest
from tests.factories import DraftRequestFactory, UserFactory
from tests.requests_intake.test_header_values import contacts_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("510 555 0142", "(510) 555-0142"), ("(510) 555-0142", "(510) 555-0142"),
     ("+1 510-555-0142", "(510) 555-0142"), ("510.555.0142", "(510) 555-0142"),
     ("5105550142", "(510) 555-0142"), ("559-555-0199 ext. 12", "(559) 555-0199 ext. 12"),
     ("", "")],
)  # fmt: skip
def test_us_numbers_written_any_usual_way_are_stored_in_one_form(typed, stored):
    assert phone.normalise_us_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [("555-0142", phone.INVALID), ("call me", phone.INVALID), ("510 555 014", phone.INVALID),
     ("+44 20 7946 0958", phone.NOT_US), ("123 456 7890", phone.INVALID)],
)  # fmt: skip
def test_numbers_that_are_not_valid_us_numbers_are_refused_in_plain_words(typed, message):
    with pytest.raises(ValidationError) as refused:
        phone.normalise_us_phone(typed)
    assert refused.value.messages == [message]


def test_the_request_forms_contact_phone_is_refused_next_to_the_field(client, lea, lea_staff):
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)
    url = reverse("requests_intake:request_section", args=[draft.pk, "contacts"])
    response = client.post(url, contacts_post(draft, primary_contact_phone="555-0142"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert phone.INVALID in page
    assert 'href="#id_primary_contact_phone"' in page
    assert (
        'aria-invalid="true"'
        in page.split('id="id_primary_contact_phone"')[0][-400:]
        + (page.split('id="id_primary_contact_phone"')[1][:400])
    )
    saved = AssistanceRequest.objects.get(pk=draft.pk)
    assert (saved.version, saved.primary_contact_phone) == (
        draft.version,
        draft.primary_contact_phone,
    )


def test_the_request_forms_contact_phone_is_stored_in_the_one_form(client, lea, lea_staff):
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)
    url = reverse("requests_intake:request_section", args=[draft.pk, "contacts"])
    client.post(url, contacts_post(draft, primary_contact_phone="+1 916.555.0123"))
    assert AssistanceRequest.objects.get(pk=draft.pk).primary_contact_phone == "(916) 555-0123"


def test_sign_up_refuses_a_bad_phone_next_to_the_field_and_stores_a_good_one(client, lea):
    data = {
        "full_name": "Pat Morales",
        "email": "pat@district.k12.ca.us",
        "job_title": "Director",
        "phone": "555-0199",
        "lea": lea.pk,
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
    }
    body = html.unescape(client.post(reverse("accounts:signup"), data).content.decode())
    assert phone.INVALID in body
    assert body.index(phone.INVALID) > body.index('id="id_phone"')
    assert not get_user_model().objects.exists()
    client.post(reverse("accounts:signup"), {**data, "phone": "559 555 0199"})
    assert get_user_model().objects.get().phone == "(559) 555-0199"


def test_the_phone_field_asks_for_a_telephone_keyboard(client):
    body = client.get(reverse("accounts:signup")).content.decode()
    tag = body[body.index('id="id_phone"') - 300 : body.index('id="id_phone"') + 100]
    assert 'type="tel"' in tag and 'autocomplete="tel"' in tag


def _migration(app, name):
    return importlib.import_module(f"{app}.migrations.{name}")


def test_the_migrations_normalise_valid_old_values_and_leave_the_others(lea, lea_staff):
    good = UserFactory(phone="510.555.0142")
    odd = UserFactory(phone="ask the front desk")
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff, primary_contact_phone="5105550100")
    kept = DraftRequestFactory(lea=lea, created_by=lea_staff, primary_contact_phone="x1234")
    _migration("accounts", "0005_normalise_phones").normalise(django_apps, None)
    _migration("requests_intake", "0012_normalise_primary_contact_phones").normalise(
        django_apps, None
    )
    good.refresh_from_db()
    odd.refresh_from_db()
    assert (good.phone, odd.phone) == ("(510) 555-0142", "ask the front desk")
    assert AssistanceRequest.objects.get(pk=draft.pk).primary_contact_phone == "(510) 555-0100"
    assert AssistanceRequest.objects.get(pk=kept.pk).primary_contact_phone == "x1234"


@pytest.mark.parametrize("model", ["requests_intake.LocalEducationalAgency", "accounts.User"])
def test_the_admin_phone_fields_take_us_numbers_too(rf, lea, model):
    from django.contrib import admin

    model_class = django_apps.get_model(model)
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    shown = model_class.objects.first()  # the change form (a person's add form asks no phone)
    field = admin.site._registry[model_class].get_form(request, shown).base_fields["phone"]
    assert field.clean("510.555.0142") == "(510) 555-0142"
    with pytest.raises(ValidationError, match="US phone number"):
        field.clean("555-0142")
