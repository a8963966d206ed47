"""My requests, the request page, the live eligibility preview, and the pages' query counts."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import format_html

from requests_intake import panels
from requests_intake.models import AssistanceRequest
from requests_intake.workflow import (
    assistance_request_request_information,
    assistance_request_submit,
    assistance_request_verify,
)
from tests.factories import AttachmentFactory, DraftRequestFactory, LeaFactory

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def submitted(lea, user, **kwargs):
    return assistance_request_submit(
        assistance_request=DraftRequestFactory(lea=lea, created_by=user, **kwargs), by=user
    )


def test_my_requests_says_what_each_request_is_waiting_on(client, lea, lea_staff, reviewer):
    with time_machine.travel(datetime(2026, 11, 23, 9, 30, tzinfo=PACIFIC), tick=False):
        draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
        waiting = submitted(lea, lea_staff)
        asked = assistance_request_verify(assistance_request=submitted(lea, lea_staff), by=reviewer)
        assistance_request_request_information(assistance_request=asked, by=reviewer, message="?")
        client.force_login(lea_staff)

        page = client.get(reverse("requests_intake:request_list")).content.decode()

    assert f"Draft #{draft.pk}" in page
    assert "You: finish and submit the draft" in page
    assert waiting.reference in page
    assert "CCEE: initial verification due Nov 25, 2026, 9:30 AM PST" in page
    assert "You: answer CCEE&#x27;s questions" in page


def test_my_requests_shows_only_the_person_s_approved_leas(client, lea_staff, other_lea_staff):
    other = DraftRequestFactory(lea=other_lea_staff.memberships.get().lea)
    client.force_login(lea_staff)

    page = client.get(reverse("requests_intake:request_list")).content.decode()

    assert f"Draft #{other.pk}" not in page
    assert "Your LEAs have no Requests for Assistance yet." in page


@pytest.mark.parametrize("count", [1, 50])
def test_my_requests_runs_a_fixed_number_of_queries(
    client, lea, lea_staff, count, django_assert_num_queries
):
    DraftRequestFactory.create_batch(count, lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)

    # session, user, the count, a page of requests with their LEAs, the person's approved LEAs;
    # the navigation's has_perm (the person's own and their groups' permissions, in one query)
    with django_assert_num_queries(6):
        response = client.get(reverse("requests_intake:request_list"))

    assert response.content.decode().count("Draft #") == min(count, 25)


def test_my_requests_shows_25_a_page_and_pages_through_the_rest(client, lea, lea_staff):
    DraftRequestFactory.create_batch(30, lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)

    first = client.get(reverse("requests_intake:request_list")).content.decode()
    second = client.get(reverse("requests_intake:request_list"), {"page": 2}).content.decode()

    assert first.count("Draft #") == 25 and "30 requests, page 1 of 2." in first
    assert "Next page" in first and "Previous page" not in first
    assert second.count("Draft #") == 5 and "Previous page" in second
    beyond = client.get(reverse("requests_intake:request_list"), {"page": "99"}).content.decode()
    assert beyond.count("Draft #") == 5  # a page past the end shows the last one


def test_my_requests_narrows_to_one_status(client, lea, lea_staff):
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    sent = submitted(lea, lea_staff)
    client.force_login(lea_staff)

    page = client.get(reverse("requests_intake:request_list"), {"status": "submitted"})

    body = page.content.decode()
    assert sent.reference in body and f"Draft #{draft.pk}" not in body
    assert "1 request with the status “Submitted”." in body


def test_a_status_that_is_not_one_is_said_next_to_the_field(client, lea, lea_staff):
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)

    page = client.get(reverse("requests_intake:request_list"), {"status": "lost"})

    body = page.content.decode()
    assert "Choose a status from the list." in body
    assert 'aria-invalid="true"' in body and 'aria-describedby="id_status_error"' in body
    assert f"Draft #{draft.pk}" in body  # the whole list, unfiltered


@pytest.mark.parametrize("count", [1, 50])
def test_the_request_page_runs_a_fixed_number_of_queries(
    client, lea, lea_staff, count, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(panels, "REQUEST_PAGE_PANELS", [])
    req = submitted(lea, lea_staff)
    AttachmentFactory.create_batch(count, request=req)
    client.force_login(lea_staff)

    # session, user, request, contacts, partners, attachments, status changes, messages, notices,
    # every person the page names (one query); the navigation's has_perm (the person's own and
    # their groups' permissions, in one query)
    with django_assert_num_queries(11):
        response = client.get(reverse("requests_intake:request_detail", args=[req.pk]))

    assert response.content.decode().count("determination-letter-") == count


def test_the_request_page_with_other_apps_panels_stays_fixed_from_1_to_50_attachments(
    client, lea, lea_staff, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    req = submitted(lea, lea_staff)
    AttachmentFactory(request=req)
    client.force_login(lea_staff)
    url = reverse("requests_intake:request_detail", args=[req.pk])
    with CaptureQueriesContext(connection) as with_one:
        client.get(url)
    AttachmentFactory.create_batch(49, request=req)

    with django_assert_num_queries(len(with_one.captured_queries)):
        response = client.get(url)

    assert response.content.decode().count("determination-letter-") == 50


def test_before_an_agreement_the_request_page_asks_nothing_of_agreements_or_engagements(
    client, lea, lea_staff, django_assert_num_queries
):
    req = submitted(lea, lea_staff)
    client.force_login(lea_staff)

    # The eleven queries of the page alone, and the county confirmation panel's one: the
    # agreement and engagement panels know from the request's own read that it has no agreement.
    with django_assert_num_queries(12):
        response = client.get(reverse("requests_intake:request_detail", args=[req.pk]))

    assert response.status_code == 200
    assert "agreement-heading" not in response.content.decode()


@pytest.mark.parametrize(
    "slug", ["contacts", "eligibility", "threshold", "need", "agreement", "review"]
)
@pytest.mark.parametrize("count", [1, 50])
def test_section_pages_run_a_fixed_number_of_queries(
    client, lea, lea_staff, slug, count, django_assert_num_queries
):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff)
    AttachmentFactory.create_batch(count, request=req)
    client.force_login(lea_staff)

    # The eligibility and threshold pages read the state's data once, the review page twice
    # (preview and checks); with no data stored, as here, a reading is one query (the latest
    # assistance status year and whether any emergency apportionment is listed, together).
    # The section navigation's states read the submission checks once more (the state's data).
    # The need section reads the state's assistance status years once more (the DA status); the
    # eligibility page also reads the county office whose administrator it prefills. Every page
    # adds the navigation's has_perm (the person's own and their groups' permissions, in one).
    expected = {
        "contacts": 8,
        "eligibility": 10,
        "threshold": 9,
        "need": 9,
        "agreement": 8,
        "review": 10,
    }[slug]
    with django_assert_num_queries(expected):
        response = client.get(reverse("requests_intake:request_section", args=[req.pk, slug]))

    assert response.status_code == 200


def test_the_request_page_tells_the_story_without_ccee_s_internal_alerts(
    client, lea, lea_staff, reviewer
):
    req = submitted(lea, lea_staff)
    assistance_request_verify(assistance_request=req, by=reviewer)
    client.force_login(lea_staff)

    page = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()

    assert "Status: Submitted" in page
    assert "Status: Verified" in page
    assert f"Email: Received: your Request for Assistance {req.reference}" in page
    assert "New Request for Assistance" not in page
    assert reviewer.email not in page
    assert "Your eligibility for CCEE assistance" in page
    assert "Referred by the county superintendent of schools" in page


def test_the_request_page_shows_the_panels_of_other_apps(client, lea, lea_staff, monkeypatch):
    req = submitted(lea, lea_staff)
    monkeypatch.setattr(
        panels,
        "REQUEST_PAGE_PANELS",
        [lambda http_request, r: format_html("<p>Agreement for {}</p>", r.reference)],
    )
    client.force_login(lea_staff)

    page = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()

    assert f"<p>Agreement for {req.reference}</p>" in page


def test_the_request_page_of_another_lea_is_not_found(client, lea, lea_staff, other_lea_staff):
    req = submitted(lea, lea_staff)
    client.force_login(other_lea_staff)

    assert client.get(reverse("requests_intake:request_detail", args=[req.pk])).status_code == 404


def test_the_preview_follows_the_boxes_as_checked(client, lea, lea_staff):
    req = DraftRequestFactory(
        lea=lea,
        created_by=lea_staff,
        coe_superintendent_determined_necessary=False,
        at_risk_of_state_intervention=False,
    )
    client.force_login(lea_staff)
    url = reverse("requests_intake:eligibility_preview", args=[req.pk])

    nothing_checked = client.post(url, {"section": "eligibility", "version": req.version})
    referred = client.post(
        url,
        {
            "section": "eligibility",
            "version": req.version,
            "coe_superintendent_determined_necessary": "on",
            "coe_technical_assistance_provided": "on",
            "geographic_lead_agrees": "on",
        },
    )

    assert "Requested by the LEA, with reimbursement" in nothing_checked.content.decode()
    assert "Referred by the county superintendent of schools" in referred.content.decode()
    req.refresh_from_db()
    assert req.coe_superintendent_determined_necessary is False  # a preview saves nothing


def test_the_preview_asks_for_the_months_before_it_can_decide(client, lea, lea_staff):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff, estimated_months=None)
    client.force_login(lea_staff)

    response = client.post(
        reverse("requests_intake:eligibility_preview", args=[req.pk]),
        {"section": "threshold", "version": req.version, "estimated_months": ""},
    )

    assert "once section 3" in response.content.decode()


def test_the_preview_of_another_lea_s_draft_is_not_found(client, other_lea_staff):
    req = DraftRequestFactory(lea=LeaFactory())
    client.force_login(other_lea_staff)

    response = client.post(
        reverse("requests_intake:eligibility_preview", args=[req.pk]), {"section": "eligibility"}
    )

    assert response.status_code == 404


def test_without_javascript_the_saved_section_shows_the_new_determination(client, lea, lea_staff):
    req = DraftRequestFactory(
        lea=lea, created_by=lea_staff, coe_superintendent_determined_necessary=False
    )
    client.force_login(lea_staff)

    response = client.post(
        reverse("requests_intake:request_section", args=[req.pk, "eligibility"]),
        {
            "version": req.version,
            "lea_type": "school_district",
            "coe_superintendent_determined_necessary": "on",
            "coe_technical_assistance_provided": "on",
            "geographic_lead_agrees": "on",
            "g1a_details": "March 3",
        },
        follow=True,
    )

    assert "Referred by the county superintendent of schools" in response.content.decode()


def test_every_eligibility_checkbox_quotes_the_statute(client, lea, lea_staff):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)

    page = client.get(
        reverse("requests_intake:request_section", args=[req.pk, "eligibility"])
    ).content.decode()

    for citation in ("(g)(1)(A)", "(g)(1)(B)", "(g)(2)(A)", "(g)(3)", "(h)"):
        assert f"<summary>Read EC 52074 {citation}</summary>" in page
    assert 'class="statute' in page
    assert "shall be deemed to have been referred" in page


def test_the_preview_reads_the_reimbursement_agreement_and_the_52072a_criteria(
    client, lea, lea_staff
):
    req = DraftRequestFactory(
        lea=lea,
        created_by=lea_staff,
        coe_superintendent_determined_necessary=False,
        at_risk_of_state_intervention=False,
    )
    client.force_login(lea_staff)
    url = reverse("requests_intake:eligibility_preview", args=[req.pk])
    base = {"section": "eligibility", "version": req.version}

    not_agreed = client.post(url, base).content.decode()
    agreed = client.post(url, {**base, "agrees_to_reimburse": "on"}).content.decode()
    intensive = client.post(
        url, {**base, "intensive_assistance_criteria_met": "on"}
    ).content.decode()

    assert "has not agreed to reimburse" in not_agreed
    assert "has not agreed to reimburse" not in agreed
    assert "Requested by the LEA, with reimbursement" in agreed
    assert "Intensive assistance: CCEE determines whether its assistance is necessary" in intensive
    assert "Requested by the LEA, with reimbursement" not in intensive


def _need_answers(req, **changes):
    data = {
        "version": req.version,
        "section": "need",
        "action": "save",
        "problem_of_practice": "Too few grade 8 students finish Algebra I.",
        "student_groups": "Grade 8",
        "data_evidence": "31% passed Algebra I in 2025.",
        "lcap_goals": "Goal 2",
        "strategies_tried": "Summer bridge",
        "desired_outcomes": "Pass rate above 60%",
        "progress_indicators": "Quarterly common assessments",
        "assistance_types": ["coaching"],
    }
    return data | changes


@pytest.mark.parametrize("count", [1, 50])
def test_a_section_save_runs_a_fixed_number_of_queries_without_reading_what_it_does_not_show(
    client, lea, lea_staff, count, django_assert_num_queries
):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff)
    AttachmentFactory.create_batch(count, request=req)
    client.force_login(lea_staff)

    # session, user, the request (not its contacts, partners or evidence: a save redirects; nor
    # the LEA's schools: none is named); then the save: savepoint, the locked row, the person's
    # permissions and approved membership, the update and its history row, release.
    with django_assert_num_queries(10):
        response = client.post(
            reverse("requests_intake:request_section", args=[req.pk, "need"]), _need_answers(req)
        )

    assert response.status_code == 302
    req.refresh_from_db()
    assert req.problem_of_practice == "Too few grade 8 students finish Algebra I."


def test_a_refused_section_save_still_shows_the_saved_evidence(client, lea, lea_staff):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff)
    lcap = AttachmentFactory(request=req, evidence_for="lcap")
    client.force_login(lea_staff)

    need = client.post(
        reverse("requests_intake:request_section", args=[req.pk, "need"]),
        _need_answers(req, version="not a version"),
    )

    assert need.status_code == 200  # the section again, with its messages
    assert AssistanceRequest.objects.get(pk=req.pk).version == req.version
    assert lcap.original_name in need.content.decode()
