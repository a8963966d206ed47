"""Values that go into email headers (LEA names, people's names and titles) are refused at entry
when they hold a line break or another control character, with the reason next to the field."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from core.header_values import validate_header_value
from requests_intake.models import AssistanceRequest, LocalEducationalAgency
from tests.factories import DraftRequestFactory, LeaFactory

pytestmark = pytest.mark.django_db

MESSAGE = "line breaks, tabs and other control characters cannot be used here"


@pytest.mark.parametrize(
    "value",
    ["Oakland\r\nBcc: all@example.org", "Oakland\nUnified", "Tab\there", "Bell\x07", "Next\x85line",
     "Line\u2028separator", "Nul\x00"],
)  # fmt: skip
def test_line_breaks_and_control_characters_are_refused(value):
    with pytest.raises(ValidationError, match=MESSAGE):
        validate_header_value(value)


@pytest.mark.parametrize("value", ["", "Oakland Unified", "Escuela Niños — K–8 (Charter) #2"])
def test_ordinary_names_with_accents_and_punctuation_pass(value):
    validate_header_value(value)


def contacts_post(req, **overrides):
    return {
        "version": req.version,
        "superintendent_name": "Dr. Alex Rivera",
        "superintendent_email": "",
        "primary_contact_name": "Jordan Lee",
        "primary_contact_title": "Director",
        "primary_contact_email": "jordan@example.org",
        "primary_contact_phone": "510 555 0100",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Sam Ortiz",
        "contacts-0-title": "Principal",
        "contacts-0-email": "sam@example.org",
        **overrides,
    }


@pytest.mark.parametrize(
    "field",
    ["superintendent_name", "primary_contact_name", "primary_contact_title", "contacts-0-name",
     "contacts-0-title"],
)  # fmt: skip
def test_a_contact_name_with_a_line_break_is_refused_next_to_its_field(
    client, lea, lea_staff, field
):
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)
    url = reverse("requests_intake:request_section", args=[draft.pk, "contacts"])

    response = client.post(url, contacts_post(draft, **{field: "Jordan\r\nBcc: x@example.org"}))

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert MESSAGE in page
    assert f'href="#id_{field}"' in page
    saved = AssistanceRequest.objects.get(pk=draft.pk)
    assert saved.version == draft.version
    assert saved.primary_contact_name == draft.primary_contact_name
    assert not saved.additional_contacts.exists()


def test_the_lea_name_is_validated_in_the_admin_model(lea):
    lea.name = "Oakland\nUnified"
    with pytest.raises(ValidationError) as refused:
        lea.full_clean()
    assert MESSAGE in str(refused.value.message_dict["name"])


def test_sign_up_refuses_a_full_name_with_a_line_break(client, lea):
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Pat\r\nBcc: all@example.org",
            "email": "pat@district.k12.ca.us",
            "job_title": "Director",
            "phone": "",
            "lea": lea.pk,
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
        },
    )
    assert MESSAGE in html.unescape(response.content.decode())
    assert not LocalEducationalAgency.objects.exclude(pk=lea.pk).exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email__iexact="pat@district.k12.ca.us").exists()


def test_the_directory_import_refuses_a_name_with_a_control_character(tmp_path):
    LeaFactory()  # a directory that already holds something is left as it is
    before = list(LocalEducationalAgency.objects.values_list("pk", "name"))
    path = tmp_path / "directory.txt"
    path.write_text(
        "CDSCode\tStatusType\tCounty\tDistrict\tSchool\tCharter\tDOC\tDOCType\n"
        "01612590000000\tActive\tAlameda\tOakland\x0bUnified\tNo Data\t\t56\tUnified\n"
    )
    with pytest.raises(CommandError, match="line 2: the name for CDS code 01612590000000 holds"):
        call_command("import_lea_directory", str(path))
    assert list(LocalEducationalAgency.objects.values_list("pk", "name")) == before
