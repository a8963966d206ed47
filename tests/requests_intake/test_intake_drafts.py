"""Drafting a request by section: start, save, conflicts between editors, expired sessions."""

import pytest
from django.conf import settings
from django.urls import reverse

from requests_intake.drafts import STASH_APPLIED
from requests_intake.models import AssistanceRequest
from requests_intake.workflow import assistance_request_submit
from tests.factories import PASSWORD, DraftRequestFactory, LeaFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def section_url(req, slug):
    return reverse("requests_intake:request_section", args=[req.pk, slug])


def need_post(req, **changes):
    data = {
        "version": req.version,
        "section": "need",
        "action": "save",
        "problem_of_practice": "Too few grade 8 students finish Algebra I.",
        "student_groups": "Grade 8, all three middle schools",
        "data_evidence": "Only 31% passed Algebra I in 2025.",
        "lcap_goals": "Goal 2",
        "strategies_tried": "Summer bridge",
        "desired_outcomes": "Pass rate above 60%",
        "progress_indicators": "Quarterly common assessments",
        "assistance_types": ["coaching"],
        "preferred_start_date": "2027-01-15",
    }
    data.update(changes)
    return data


@pytest.fixture
def draft(lea, lea_staff):
    return DraftRequestFactory(lea=lea, created_by=lea_staff, problem_of_practice="")


def test_starting_a_draft_fills_the_primary_contact_from_the_person(client, lea, lea_staff):
    lea_staff.job_title = "Director of Curriculum"
    lea_staff.phone = "(510) 555-0142"
    lea_staff.save()
    client.force_login(lea_staff)

    response = client.post(reverse("requests_intake:request_create"), {"lea": lea.pk})

    req = AssistanceRequest.objects.get(lea=lea)
    assert response.url == section_url(req, "contacts")
    assert req.status == AssistanceRequest.Status.DRAFT
    assert req.created_by == lea_staff
    assert req.primary_contact_name == lea_staff.full_name
    assert req.primary_contact_title == "Director of Curriculum"
    assert req.primary_contact_email == lea_staff.email
    assert req.primary_contact_phone == "(510) 555-0142"
    assert req.lea_type == lea.lea_type
    page = client.get(section_url(req, "contacts")).content.decode()
    assert f'value="{lea_staff.email}"' in page


def test_a_draft_can_be_started_only_for_an_approved_lea(client, lea_staff, other_lea):
    client.force_login(lea_staff)

    response = client.post(reverse("requests_intake:request_create"), {"lea": other_lea.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not AssistanceRequest.objects.exists()


def test_an_unapproved_member_is_told_to_wait_for_approval(client, unapproved_member):
    client.force_login(unapproved_member)

    page = client.get(reverse("requests_intake:request_create")).content.decode()

    assert "once a CCEE reviewer has approved your membership" in page
    assert 'name="lea"' not in page


def test_saving_a_section_keeps_the_text_and_moves_the_version_on(client, draft, lea_staff):
    client.force_login(lea_staff)

    response = client.post(section_url(draft, "need"), need_post(draft, action="continue"))

    assert response.status_code == 302
    assert response.url == section_url(draft, "agreement")
    saved = AssistanceRequest.objects.get(pk=draft.pk)
    assert saved.problem_of_practice == "Too few grade 8 students finish Algebra I."
    assert saved.assistance_types == ["coaching"]
    assert str(saved.preferred_start_date) == "2027-01-15"
    assert saved.version == draft.version + 1
    assert saved.last_edited_by == lea_staff


def test_save_draft_stays_on_the_section_and_says_it_saved(client, draft, lea_staff):
    client.force_login(lea_staff)

    response = client.post(section_url(draft, "need"), need_post(draft), follow=True)

    assert response.redirect_chain[-1][0] == section_url(draft, "need")
    assert "Saved presenting need." in response.content.decode()


def test_additional_contacts_are_saved_and_empty_rows_ignored(client, draft, lea_staff):
    client.force_login(lea_staff)
    data = {
        "version": draft.version,
        "superintendent_name": "Dr. Alex Rivera",
        "superintendent_email": "",
        "primary_contact_name": "Jordan Lee",
        "primary_contact_title": "Director",
        "primary_contact_email": "jordan@example.org",
        "primary_contact_phone": "510 555 0100",
        "contacts-TOTAL_FORMS": "3",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Sam Ortiz",
        "contacts-0-title": "Principal",
        "contacts-0-email": "sam@example.org",
        "contacts-1-name": "",
        "contacts-1-email": "",
        "contacts-2-name": "Pat Kim",
        "contacts-2-email": "pat@example.org",
    }

    client.post(section_url(draft, "contacts"), data)

    assert [(c.name, c.email) for c in draft.additional_contacts.all()] == [
        ("Sam Ortiz", "sam@example.org"),
        ("Pat Kim", "pat@example.org"),
    ]
    page = client.get(section_url(draft, "contacts")).content.decode()
    # The saved rows come back, with two empty rows to add more without JavaScript.
    assert 'name="contacts-TOTAL_FORMS" value="4"' in page


def test_a_contact_row_without_an_email_is_shown_next_to_the_field(client, draft, lea_staff):
    client.force_login(lea_staff)
    data = {
        "version": draft.version,
        "primary_contact_email": "not-an-email",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Sam Ortiz",
        "contacts-0-email": "",
    }

    response = client.post(section_url(draft, "contacts"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_primary_contact_email"' in page
    assert 'aria-describedby="id_primary_contact_email_help id_primary_contact_email_error"' in (
        page
    )
    assert 'aria-invalid="true"' in page
    assert "Give this contact&#x27;s email address, or clear the row." in page
    assert 'href="#id_contacts-0-email"' in page
    assert AssistanceRequest.objects.get(pk=draft.pk).version == draft.version


def test_a_save_based_on_an_older_version_is_refused_and_says_who_saved(client, draft, lea):
    first = MembershipFactory(lea=lea, user__full_name="Jordan Lee").user
    second = MembershipFactory(lea=lea, user__full_name="Casey Park").user
    seen_version = draft.version
    client.force_login(first)
    client.post(section_url(draft, "need"), need_post(draft, problem_of_practice="Jordan's text"))
    client.force_login(second)

    response = client.post(
        section_url(draft, "need"),
        need_post(draft, version=seen_version, problem_of_practice="Casey's text"),
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Jordan Lee saved changes to this request at" in page
    assert "Problem of practice" in page
    assert "Nothing of yours was saved" in page
    # Casey's text is still in the form, Jordan's is shown as what was saved.
    assert "Casey&#x27;s text</textarea>" in page
    assert "Jordan&#x27;s text" in page
    saved = AssistanceRequest.objects.get(pk=draft.pk)
    assert saved.problem_of_practice == "Jordan's text"
    assert f'name="version" value="{saved.version}"' in page

    # Saving again from the refreshed form keeps Casey's text knowingly.
    client.post(
        section_url(draft, "need"),
        need_post(draft, version=saved.version, problem_of_practice="Casey's text"),
    )
    assert AssistanceRequest.objects.get(pk=draft.pk).problem_of_practice == "Casey's text"


def test_text_posted_after_the_session_expired_is_kept_through_login(client, draft, lea_staff):
    client.force_login(lea_staff)
    client.get(section_url(draft, "need"))
    client.cookies.pop(settings.SESSION_COOKIE_NAME)  # the session ended while they typed

    response = client.post(section_url(draft, "need"), need_post(draft))

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={section_url(draft, 'need')}"
    assert AssistanceRequest.objects.get(pk=draft.pk).problem_of_practice == ""

    login = client.post(
        reverse("accounts:login"),
        {"username": lea_staff.email, "password": PASSWORD, "next": section_url(draft, "need")},
    )
    assert login.url == section_url(draft, "need")
    page = client.get(login.url, follow=True).content.decode()

    assert STASH_APPLIED in page
    saved = AssistanceRequest.objects.get(pk=draft.pk)
    assert saved.problem_of_practice == "Too few grade 8 students finish Algebra I."
    assert "Too few grade 8 students finish Algebra I." in page


def test_kept_text_is_not_applied_for_someone_outside_the_lea(client, draft, other_lea_staff):
    client.post(section_url(draft, "need"), need_post(draft))
    client.force_login(other_lea_staff)

    response = client.get(section_url(draft, "need"))

    assert response.status_code == 404
    assert AssistanceRequest.objects.get(pk=draft.pk).problem_of_practice == ""


@pytest.mark.parametrize("slug", ["contacts", "eligibility", "threshold", "need", "review"])
def test_sections_of_another_lea_are_not_found(client, draft, other_lea_staff, slug):
    client.force_login(other_lea_staff)

    assert client.get(section_url(draft, slug)).status_code == 404
    assert client.post(section_url(draft, slug), need_post(draft)).status_code == 404
    assert AssistanceRequest.objects.get(pk=draft.pk).version == draft.version


def test_an_unapproved_member_cannot_open_the_draft(client, draft, unapproved_member):
    client.force_login(unapproved_member)

    assert client.get(section_url(draft, "need")).status_code == 404
    assert client.get(reverse("requests_intake:request_detail", args=[draft.pk])).status_code == 404


def test_a_submitted_request_is_read_only_to_the_lea(client, lea, lea_staff):
    req = assistance_request_submit(
        assistance_request=DraftRequestFactory(lea=lea, created_by=lea_staff), by=lea_staff
    )
    client.force_login(lea_staff)

    response = client.post(section_url(req, "need"), need_post(req))

    assert response.url == reverse("requests_intake:request_detail", args=[req.pk])
    saved = AssistanceRequest.objects.get(pk=req.pk)
    assert saved.problem_of_practice == req.problem_of_practice
    assert saved.version == req.version


def test_check_mode_shows_what_submission_needs_next_to_the_fields(client, lea, lea_staff):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff, data_evidence="", request_type="")
    client.force_login(lea_staff)

    page = client.get(section_url(req, "need") + "?check=1").content.decode()

    assert "Give the evidence from data." in page
    assert 'href="#id_data_evidence"' in page
    assert "Choose the type of request." in page
    assert 'href="#id_request_type"' in page


def test_unknown_section_is_not_found(client, draft, lea_staff):
    client.force_login(lea_staff)

    assert client.get(section_url(draft, "budget")).status_code == 404


def test_threshold_partners_are_saved_with_their_role_and_date(client, draft, lea_staff):
    client.force_login(lea_staff)
    data = {
        "version": draft.version,
        "estimated_months": "6",
        "partner_county_office": "on",
        "partner_county_office_since": "2025-08-01",
        "partners-TOTAL_FORMS": "2",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "UC Berkeley",
        "partners-0-role": "Math coaching",
        "partners-0-since": "2025-09-01",
    }

    client.post(section_url(draft, "threshold"), data)

    saved = AssistanceRequest.objects.get(pk=draft.pk)
    assert saved.estimated_months == 6
    assert saved.partner_county_office is True
    assert saved.partner_geographic_lead is False
    assert [(p.name, p.role, str(p.since)) for p in saved.partners.all()] == [
        ("UC Berkeley", "Math coaching", "2025-09-01")
    ]
    assert saved.eligibility_facts()["partners"]["other"] == ["UC Berkeley"]


def test_months_out_of_range_is_explained(client, draft, lea_staff):
    client.force_login(lea_staff)
    data = {
        "version": draft.version,
        "estimated_months": "0",
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
    }

    page = client.post(section_url(draft, "threshold"), data).content.decode()

    assert "Enter at least 1 month." in page
    assert AssistanceRequest.objects.get(pk=draft.pk).estimated_months == draft.estimated_months


def test_anonymous_visitor_is_sent_to_sign_in(client, draft):
    response = client.get(section_url(draft, "need"))

    assert response.url.startswith(reverse("accounts:login"))


def test_a_colleague_at_the_same_lea_sees_and_continues_the_draft(client, draft, lea):
    colleague = MembershipFactory(lea=lea).user
    LeaFactory()  # another LEA's data stays out of the way
    client.force_login(colleague)

    response = client.post(section_url(draft, "need"), need_post(draft))

    assert response.status_code == 302
    assert AssistanceRequest.objects.get(pk=draft.pk).last_edited_by == colleague


def test_the_save_service_refuses_a_request_that_left_draft(lea, lea_staff):
    from requests_intake.drafts import DraftRefused, draft_save_section

    req = assistance_request_submit(
        assistance_request=DraftRequestFactory(lea=lea, created_by=lea_staff), by=lea_staff
    )

    with pytest.raises(DraftRefused, match="submitted and can no longer be edited"):
        draft_save_section(
            assistance_request=req,
            by=lea_staff,
            section="need",
            values={"problem_of_practice": "Changed after submission"},
            base_version=req.version,
        )
    assert AssistanceRequest.objects.get(pk=req.pk).problem_of_practice != (
        "Changed after submission"
    )


def test_the_create_service_refuses_someone_outside_the_lea(other_lea_staff, lea):
    from requests_intake.drafts import DraftRefused, draft_create

    with pytest.raises(DraftRefused):
        draft_create(lea=lea, by=other_lea_staff)
    assert not AssistanceRequest.objects.exists()


def test_a_section_save_writes_its_section_and_stamps_and_keeps_the_rest_and_a_whole_history_row(
    client, draft, lea_staff
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    superintendent = draft.superintendent_name
    client.force_login(lea_staff)

    with CaptureQueriesContext(connection) as captured:
        response = client.post(section_url(draft, "need"), need_post(draft))

    assert response.status_code == 302
    update = next(q["sql"] for q in captured if q["sql"].startswith("UPDATE"))
    assert '"problem_of_practice"' in update and '"version"' in update
    assert '"superintendent_name"' not in update  # another section's field: not written
    saved = AssistanceRequest.objects.get(pk=draft.pk)
    assert saved.version == draft.version + 1 and saved.last_edited_by == lea_staff
    assert saved.updated_at > draft.updated_at
    assert saved.superintendent_name == superintendent
    latest = saved.history.order_by("-history_date").first()
    assert latest.version == saved.version
    assert latest.problem_of_practice == "Too few grade 8 students finish Algebra I."
    assert latest.superintendent_name == superintendent  # the history row holds the whole request
