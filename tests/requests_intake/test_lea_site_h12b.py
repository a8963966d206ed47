"""The LEA's side of the flow (issue 12, items 8–18): what LEA staff read and do on the site."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contracts.models import ScopeOfWork
from notices import delivery, rendering
from notices.models import Notice, NoticeAttachment
from requests_intake import notices, progress, sweep, waiting
from requests_intake.models import AdditionalContact, AssistanceRequest, RequestMessage
from requests_intake.notice_kinds import K
from requests_intake.selectors import requests_for_member
from requests_intake.workflow import (
    assistance_request_approve,
    assistance_request_record_verified_facts,
    assistance_request_request_information,
    assistance_request_resubmit,
    assistance_request_submit,
    assistance_request_verify,
)
from tests.factories import (
    DraftRequestFactory,
    MembershipFactory,
    UserFactory,
    approved_request,
    submitted_request,
)

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")
S = AssistanceRequest.Status


def _submitted(lea, user, **kwargs):
    return submitted_request(lea=lea, created_by=user, by=user, **kwargs)


def _verified_as_reimbursable(req, reviewer):
    """Verify the request with facts under which no referral applies: the LEA must pay."""
    facts = req.eligibility_facts()
    facts.update(
        coe_superintendent_determined_necessary=False,
        coe_technical_assistance_provided=False,
        geographic_lead_agrees=False,
        agrees_to_reimburse=True,
    )
    req = assistance_request_verify(assistance_request=req, by=reviewer)
    return assistance_request_record_verified_facts(
        assistance_request=req, by=reviewer, facts=facts
    )


# --- 8. Verification that changes who pays ---------------------------------------------------


def test_the_request_page_says_verification_changed_who_pays_and_shows_the_verified_one(
    client, lea, lea_staff, reviewer
):
    req = _verified_as_reimbursable(_submitted(lea, lea_staff), reviewer)
    client.force_login(lea_staff)

    page = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()

    assert "verification changed your determination" in page
    assert "Who pays changed when CCEE verified the facts" in page
    assert "your agency reimburses CCEE for the cost of its services" in page
    # The determination shown is the verified one, not "funded by the state" any more.
    assert "Your agency reimburses CCEE for the cost of its services." in page
    assert "assistance is funded by the state" not in page


def test_the_approval_notice_tells_the_lea_who_pays_on_the_verified_facts(lea, lea_staff, reviewer):
    req = _verified_as_reimbursable(_submitted(lea, lea_staff), reviewer)

    assistance_request_approve(assistance_request=req, by=reviewer)

    notice = Notice.objects.get(request=req, kind=K.APPROVED, recipient_email=lea_staff.email)
    assert "the facts as CCEE verified them" in notice.body_text
    assert "Cost: Reimbursed to CCEE by the LEA" in notice.body_text
    assert "Who pays changed when CCEE verified the facts: your request said the state funds" in (
        notice.body_text
    )


def test_no_change_sentence_when_verification_leaves_cost_and_priority_alone(
    lea, lea_staff, reviewer
):
    req = _submitted(lea, lea_staff)
    req = assistance_request_verify(assistance_request=req, by=reviewer)
    req = assistance_request_record_verified_facts(
        assistance_request=req, by=reviewer, facts=req.eligibility_facts()
    )

    assert notices.determination_changes(req) == []
    assistance_request_approve(assistance_request=req, by=reviewer)
    notice = Notice.objects.get(request=req, kind=K.APPROVED, recipient_email=lea_staff.email)
    assert "changed when CCEE verified" not in notice.body_text


# --- 9. Withdraw, confirmed on its own page ---------------------------------------------------


def test_withdraw_is_confirmed_on_its_own_page_stating_the_consequences(client, lea, lea_staff):
    req = _submitted(lea, lea_staff)
    client.force_login(lea_staff)
    url = reverse("requests_intake:request_withdraw", args=[req.pk])

    detail = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()
    page = client.get(url).content.decode()

    assert f'href="{url}"' in detail and "<textarea" not in detail.split("What has happened")[0]
    assert "The request is closed for good" in page
    assert AssistanceRequest.objects.get(pk=req.pk).status == S.SUBMITTED  # GET changes nothing

    response = client.post(url, {"reason": "We found another provider."})

    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == S.WITHDRAWN
    assert req.status_changes.last().reason == "We found another provider."


def test_the_withdraw_page_of_a_request_that_cannot_be_withdrawn_says_so(
    client, lea, lea_staff, reviewer
):
    req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff, by=lea_staff)
    client.force_login(lea_staff)

    response = client.get(reverse("requests_intake:request_withdraw", args=[req.pk]), follow=True)

    assert "can no longer be withdrawn" in response.content.decode()
    assert AssistanceRequest.objects.get(pk=req.pk).status == S.APPROVED


def test_another_lea_s_withdraw_page_is_not_found(client, lea, lea_staff, other_lea_staff):
    req = _submitted(lea, lea_staff)
    client.force_login(other_lea_staff)

    url = reverse("requests_intake:request_withdraw", args=[req.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


# --- 10. Waiting on, per state ----------------------------------------------------------------


def _agreement_at(req, status):
    ScopeOfWork.objects.filter(request=req).update(
        status=status, executed_on=date(2026, 1, 2) if status == "executed" else None
    )


@pytest.mark.parametrize(
    ("agreement", "words"),
    [
        ("draft", "CCEE and the administrative agent: the agreement"),
        ("agent_approved", "CCEE and the administrative agent: the agreement"),
        ("sent_to_lea", "You: sign the agreement and return it to the administrative agent"),
        (
            "signed_by_lea",
            "The administrative agent: record the execution of the agreement you signed",
        ),
        ("executed", "Nobody: the agreement is executed and the work can begin"),
    ],
)
def test_waiting_on_after_approval_follows_the_agreement_in_both_pages(
    client, lea, lea_staff, reviewer, agreement, words
):
    req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff, by=lea_staff)
    _agreement_at(req, agreement)
    client.force_login(lea_staff)

    listed = client.get(reverse("requests_intake:request_list")).content.decode()
    detail = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()

    assert words in listed
    assert words in detail


def test_waiting_on_names_each_state_before_approval(lea, lea_staff, reviewer):
    with time_machine.travel(datetime(2026, 11, 23, 9, 30, tzinfo=PACIFIC), tick=False):
        draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
        req = _submitted(lea, lea_staff)
        assert waiting.waiting_on(draft) == "You: finish and submit the draft"
        assert waiting.waiting_on(req) == "CCEE: initial verification due Nov 25, 2026, 9:30 AM PST"
        req = assistance_request_verify(assistance_request=req, by=reviewer)
        assert waiting.waiting_on(req) == "CCEE: review of the request"
        req = assistance_request_request_information(
            assistance_request=req,
            by=reviewer,
            message="Attach the letter.",
            respond_by=date(2026, 12, 4),
        )
        listed = requests_for_member(lea_staff).get(pk=req.pk)
        assert waiting.waiting_on(listed) == "You: answer CCEE's questions by Dec 4, 2026"
        req.status = S.DECLINED
        assert waiting.waiting_on(req) == "Nobody: the request is closed"


# --- 11. A failed upload (see test_intake_attachments for the page) ---------------------------

# --- 12. Dates --------------------------------------------------------------------------------


def _threshold_post(req, **extra):
    data = {
        "version": req.version,
        "section": "threshold",
        "action": "save",
        "estimated_months": "9",
        "partner_county_office": "on",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "",
        "partners-0-role": "",
        "partners-0-since": "",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("partner_county_office_since", "2999-01-01", "This date is in the future"),
        ("partner_county_office_since", "1899-12-31", "This date is before 1900"),
        ("partners-0-since", "2999-01-01", "This date is in the future"),
        ("partners-0-since", "1850-05-01", "This date is before 1900"),
    ],
)
def test_a_partner_since_date_in_the_future_or_before_1900_is_refused_next_to_the_field(
    client, lea, lea_staff, field, value, message
):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff, estimated_months=None)
    client.force_login(lea_staff)
    extra = {field: value}
    if field.startswith("partners-"):
        extra.update({"partners-0-name": "Reading Partners", "partners-0-role": "Coaching"})

    response = client.post(
        reverse("requests_intake:request_section", args=[req.pk, "threshold"]),
        _threshold_post(req, **extra),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert AssistanceRequest.objects.get(pk=req.pk).version == req.version  # nothing changed


def test_a_since_date_of_today_is_accepted(client, lea, lea_staff):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)
    today = timezone.localdate().isoformat()

    response = client.post(
        reverse("requests_intake:request_section", args=[req.pk, "threshold"]),
        _threshold_post(req, partner_county_office_since=today),
    )

    assert response.status_code == 302
    assert AssistanceRequest.objects.get(pk=req.pk).partner_county_office_since.isoformat() == today


def test_a_preferred_start_in_the_past_stops_the_submission(client, lea, lea_staff):
    req = DraftRequestFactory(
        lea=lea, created_by=lea_staff, preferred_start_date=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(lea_staff)

    response = client.post(
        reverse("requests_intake:request_review", args=[req.pk]),
        {"attest": "on", "attested_name": lea_staff.get_full_name()},
    )

    assert "The preferred start date is in the past" in response.content.decode()
    assert AssistanceRequest.objects.get(pk=req.pk).status == S.DRAFT


def test_the_preview_does_not_count_a_partner_with_an_impossible_date_and_says_why(
    client, lea, lea_staff
):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff, partner_county_office=False)
    client.force_login(lea_staff)

    response = client.post(
        reverse("requests_intake:eligibility_preview", args=[req.pk]),
        _threshold_post(req, partner_county_office_since="2999-01-01"),
    )

    page = response.content.decode()
    assert "Not counted in this preview" in page
    assert "Working with the county office since: This date is in the future" in page


def test_the_preview_shows_an_error_for_impossible_months_instead_of_the_saved_value(
    client, lea, lea_staff
):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff, estimated_months=9)
    client.force_login(lea_staff)

    response = client.post(
        reverse("requests_intake:eligibility_preview", args=[req.pk]),
        _threshold_post(req, estimated_months="500"),
    )

    page = response.content.decode()
    assert "Enter at most 120 months." in page
    assert "Your eligibility for CCEE assistance" not in page  # no determination on the old 9


# --- 13. The information-request panel -------------------------------------------------------


def _asked(lea, lea_staff, reviewer, **kwargs):
    req = assistance_request_verify(assistance_request=_submitted(lea, lea_staff), by=reviewer)
    return assistance_request_request_information(
        assistance_request=req, by=reviewer, message="Attach the county's letter.", **kwargs
    )


def test_the_information_request_panel_links_sections_offers_an_upload_and_shows_the_date(
    client, lea, lea_staff, reviewer
):
    req = _asked(
        lea, lea_staff, reviewer, sections=["eligibility", "need"], respond_by=date(2026, 12, 4)
    )
    client.force_login(lea_staff)

    page = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()

    assert reverse("requests_intake:request_section", args=[req.pk, "eligibility"]) in page
    assert reverse("requests_intake:request_section", args=[req.pk, "need"]) in page
    assert reverse("requests_intake:evidence_upload", args=[req.pk]) in page
    assert "Answer by Friday, December 4, 2026." in page


def test_evidence_sent_from_the_panel_is_attached_and_a_refused_file_is_explained(
    client, lea, lea_staff, reviewer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import TINY_PDF

    req = _asked(lea, lea_staff, reviewer, sections=["eligibility"])
    client.force_login(lea_staff)
    url = reverse("requests_intake:evidence_upload", args=[req.pk])

    refused = client.post(
        url, {"evidence_for": "g1A", "file": SimpleUploadedFile("letter.pdf", b"plain text")}
    )
    accepted = client.post(
        url, {"evidence_for": "g1A", "file": SimpleUploadedFile("letter.pdf", TINY_PDF)}
    )

    assert refused.status_code == 400
    assert "letter.pdf is not a PDF" in refused.content.decode()
    assert accepted.status_code == 302
    assert list(req.attachments.values_list("original_name", "evidence_for")) == [
        ("letter.pdf", "g1A")
    ]


def test_the_lea_is_reminded_the_day_before_the_answer_is_due_and_when_it_passes(
    lea, lea_staff, reviewer
):
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=PACIFIC), tick=False):
        req = _asked(lea, lea_staff, reviewer, respond_by=date(2026, 12, 3))
        assert sweep.verification_clock_sweep().answer_reminders == 0
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=PACIFIC), tick=False):
        assert sweep.verification_clock_sweep().answer_reminders == 1
        assert sweep.verification_clock_sweep().answer_reminders == 0  # once
    with time_machine.travel(datetime(2026, 12, 4, 10, 0, tzinfo=PACIFIC), tick=False):
        assert sweep.verification_clock_sweep().answer_reminders == 1
    reminders = Notice.objects.filter(
        request=req, kind=K.ANSWER_DUE, recipient_email=lea_staff.email
    )
    assert reminders.count() == 2
    assert any("has passed" in n.body_text for n in reminders)


def test_no_answer_reminder_once_the_lea_has_resubmitted(lea, lea_staff, reviewer):
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=PACIFIC), tick=False):
        req = _asked(lea, lea_staff, reviewer, respond_by=date(2026, 12, 1))
        assistance_request_resubmit(assistance_request=req, by=lea_staff, reply="Attached.")
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=PACIFIC), tick=False):
        assert sweep.verification_clock_sweep().answer_reminders == 0


# --- 14. Drafts -------------------------------------------------------------------------------


def test_continue_the_draft_opens_the_first_unfinished_section(client, lea, lea_staff):
    req = DraftRequestFactory(lea=lea, created_by=lea_staff, estimated_months=None)
    client.force_login(lea_staff)

    page = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()

    threshold = reverse("requests_intake:request_section", args=[req.pk, "threshold"])
    assert f'href="{threshold}">Continue the draft' in page


def test_the_section_navigation_shows_complete_has_problems_and_not_started(lea, lea_staff):
    req = DraftRequestFactory(
        lea=lea,
        created_by=lea_staff,
        estimated_months=None,
        partner_county_office=False,
        partner_geographic_lead=False,
        problem_of_practice="Reading.",
        student_groups="",
        data_evidence="",
        lcap_goals="",
        strategies_tried="",
        desired_outcomes="",
        progress_indicators="",
        assistance_types=[],
    )

    states = progress.section_states(req)

    assert states == {
        "contacts": progress.COMPLETE,
        "eligibility": progress.COMPLETE,
        "threshold": progress.NOT_STARTED,
        "need": progress.HAS_PROBLEMS,
        "agreement": progress.COMPLETE,
    }
    assert progress.first_unfinished(states) == "threshold"


# --- 15. The timeline --------------------------------------------------------------------------


def test_the_timeline_shows_each_message_once(client, lea, lea_staff, reviewer):
    req = _asked(lea, lea_staff, reviewer)
    assistance_request_resubmit(assistance_request=req, by=lea_staff, reply="Attached the letter.")
    client.force_login(lea_staff)

    page = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()
    timeline = page.split("What has happened")[1].split("The request as sent")[0]

    assert timeline.count("Attach the county") == 1
    assert timeline.count("Attached the letter.") == 1


def test_stale_blocks_go_away_and_the_threshold_sentence_is_said_once(
    client, lea, lea_staff, reviewer
):
    req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff, by=lea_staff)
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)

    page = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()
    draft_page = client.get(
        reverse("requests_intake:request_detail", args=[draft.pk])
    ).content.decode()

    assert "Initial verification due" not in page
    assert "Evidence CCEE will check" not in page
    assert page.count("meets CCEE") == 1
    assert "The request as sent" not in draft_page and "Your draft so far" in draft_page


# --- 16. The PDF copy -------------------------------------------------------------------------


def test_the_receipt_carries_the_pdf_copy_and_a_redelivery_sends_the_same_bytes(lea, lea_staff):
    req = _submitted(lea, lea_staff)
    receipt = Notice.objects.get(request=req, kind=K.RECEIPT, recipient_email=lea_staff.email)
    (stored,) = NoticeAttachment.objects.filter(notice=receipt)
    assert not stored.is_made  # made by the worker at the first delivery, not at submission

    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.SENT
    delivery.send_notice_email(receipt)

    first, second = mail.outbox[-2:]
    stored.refresh_from_db()
    assert first.attachments[0][0] == f"{req.reference}.pdf"
    assert first.attachments[0][1] == second.attachments[0][1]
    assert first.attachments[0][1].startswith(b"%PDF")
    assert len(first.attachments[0][1]) == stored.size
    assert not NoticeAttachment.objects.exclude(notice__kind=K.RECEIPT).exists()


def test_members_download_the_pdf_copy_and_others_get_404(client, lea, lea_staff, other_lea_staff):
    req = _submitted(lea, lea_staff)
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    url = reverse("requests_intake:request_pdf", args=[req.pk])

    client.force_login(lea_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(reverse("requests_intake:request_pdf", args=[draft.pk])).status_code == 404

    client.force_login(other_lea_staff)
    assert client.get(url).status_code == 404


# --- 18. Contacts without access; links completed at sending ---------------------------------


def test_a_contact_without_an_account_is_told_how_to_get_access_instead_of_a_link(lea, lea_staff):
    draft = DraftRequestFactory(
        lea=lea, created_by=lea_staff, primary_contact_email=lea_staff.email
    )
    MembershipFactory(user=UserFactory(email="member@example.org"), lea=lea)
    AdditionalContact.objects.create(request=draft, name="Sam Guest", email="Guest@Example.org")
    AdditionalContact.objects.create(request=draft, name="Mo Member", email="member@example.org")
    req = assistance_request_submit(assistance_request=draft, by=lea_staff)
    guest = Notice.objects.get(request=req, kind=K.RECEIPT, recipient_email="guest@example.org")
    member_notice = Notice.objects.get(
        request=req, kind=K.RECEIPT, recipient_email="member@example.org"
    )
    page = reverse("requests_intake:request_detail", args=[req.pk])

    assert page not in guest.body_text and page not in guest.body_html
    assert "/accounts/signup/" in rendering.at_send(guest.body_text)
    assert f"ask to join {lea.name}" in guest.body_text
    assert page in member_notice.body_text


def test_links_in_a_notice_are_built_from_site_url_when_sent_not_when_queued(
    settings, lea, lea_staff
):
    settings.SITE_URL = "https://old.example.org"
    req = _submitted(lea, lea_staff)
    receipt = Notice.objects.get(request=req, kind=K.RECEIPT, recipient_email=lea_staff.email)
    assert "old.example.org" not in receipt.body_text

    settings.SITE_URL = "https://portal.ccee-ca.org"
    delivery.send_notice_email(receipt)

    sent = mail.outbox[-1]
    link = f"https://portal.ccee-ca.org{reverse('requests_intake:request_detail', args=[req.pk])}"
    assert link in sent.body
    assert f'href="{link}"' in sent.alternatives[0][0]
    assert "[[SITE_URL]]" not in sent.body


def test_the_request_page_query_count_does_not_grow_with_messages(
    client, lea, lea_staff, reviewer, django_assert_max_num_queries
):
    req = _asked(lea, lea_staff, reviewer)
    client.force_login(lea_staff)
    url = reverse("requests_intake:request_detail", args=[req.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        RequestMessage.objects.create(
            request=req, kind=RequestMessage.Kind.LEA_REPLY, author=lea_staff, body=f"Note {n}"
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
