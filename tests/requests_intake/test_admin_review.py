"""Issue 12, the reviewers' and leads' side: confirmations, request-information from Submitted,
the LEA's entries, readable history and labels, internal notes, the work-queue filters."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.admin import CostLineForm, CostLineInline
from contracts.models import CostLine
from eligibility import rules
from notices.models import Notice
from requests_intake import memberships, workflow
from requests_intake.admin_history import pacific
from requests_intake.drafts import section_in_sentence
from requests_intake.models import (
    AdditionalContact,
    AssistanceRequest,
    ImprovementPartner,
    InternalNote,
    LeaMembership,
    RequestMessage,
)
from requests_intake.notice_kinds import K
from tests.factories import (
    AttachmentFactory,
    MembershipFactory,
    UserFactory,
    approved_request,
    submitted_request,
)

S = AssistanceRequest.Status
CHANGELIST = "admin:requests_intake_assistancerequest_changelist"


def change_url(req):
    return reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])


def transition_url(req, name):
    return reverse("admin:requests_intake_assistancerequest_transition", args=[req.pk, name])


def page_text(response):
    return response.content.decode()


@pytest.fixture
def verified(lea, lea_staff, reviewer):
    req = submitted_request(lea=lea, created_by=lea_staff)
    return workflow.assistance_request_verify(assistance_request=req, by=reviewer)


def record_facts(req, reviewer, **changes):
    facts = {**req.eligibility_facts(), **changes}
    return workflow.assistance_request_record_verified_facts(
        assistance_request=req, by=reviewer, facts=facts
    )


# 1. Approve and decline are confirmed -------------------------------------------------------


@pytest.mark.django_db
def test_approve_button_opens_a_page_and_a_post_without_confirmation_changes_nothing(
    client, reviewer, verified
):
    client.force_login(reviewer)
    assert "Approve…</a>" in page_text(client.get(change_url(verified)))

    response = client.post(transition_url(verified, "approve"))
    verified.refresh_from_db()
    assert verified.status == S.VERIFIED
    assert response.status_code == 200
    assert "Determination attested by the LEA" in page_text(response)

    response = client.post(transition_url(verified, "approve"), {"confirm": "yes"}, follow=True)
    verified.refresh_from_db()
    assert verified.status == S.APPROVED
    assert f"{verified.reference} was approved." in page_text(response)


@pytest.mark.django_db
def test_approve_page_shows_both_determinations_cost_basis_and_tier(client, reviewer, verified):
    client.force_login(reviewer)
    text = page_text(client.get(transition_url(verified, "approve")))
    assert "Determination attested by the LEA" in text
    assert "Determination from the verified facts" in text
    assert rules.COST_BASIS_LABELS[verified.cost_basis] in text
    assert f"Tier {verified.priority_tier}" in text
    assert "No facts were verified" in text


@pytest.mark.django_db
def test_approve_page_warns_when_verification_fails_the_threshold_and_changes_who_pays(
    client, reviewer, verified
):
    # Without the county superintendent's referral (g)(1)(A) falls away: g3, reimbursable.
    record_facts(
        verified,
        reviewer,
        coe_superintendent_determined_necessary=False,
        agrees_to_reimburse=True,
        estimated_months=24,
    )
    verified.refresh_from_db()
    assert verified.verified_determination["cost_basis"] != verified.determination["cost_basis"]
    client.force_login(reviewer)
    text = page_text(client.get(transition_url(verified, "decline")))
    assert "does not meet CCEE&#x27;s minimum threshold" in text
    assert "Verification changes who pays" in text
    assert rules.COST_BASIS_LABELS["reimbursable"] in text


@pytest.mark.django_db
def test_bulk_approve_lists_each_request_with_its_determination_before_anything_happens(
    client, reviewer, verified, lea, lea_staff
):
    second = workflow.assistance_request_verify(
        assistance_request=submitted_request(lea=lea, created_by=lea_staff), by=reviewer
    )
    client.force_login(reviewer)
    selection = {"action": "approve", "_selected_action": [verified.pk, second.pk]}
    response = client.post(reverse(CHANGELIST), selection)
    text = page_text(response)
    assert text.count("Determination attested by the LEA") == 2
    assert verified.reference in text and second.reference in text
    assert set(AssistanceRequest.objects.values_list("status", flat=True)) == {S.VERIFIED}

    client.post(reverse(CHANGELIST), {**selection, "confirm": "yes"})
    assert set(AssistanceRequest.objects.values_list("status", flat=True)) == {S.APPROVED}


@pytest.mark.django_db
def test_bulk_decline_is_refused_before_its_form_when_a_selected_row_cannot_be_declined(
    client, reviewer, verified, lea, lea_staff
):
    still_submitted = submitted_request(lea=lea, created_by=lea_staff)
    client.force_login(reviewer)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "decline", "_selected_action": [verified.pk, still_submitted.pk]},
        follow=True,
    )
    text = page_text(response)
    assert "Reason for declining" not in text  # no form to type into
    assert "Nothing was declined" in text
    assert f"{still_submitted.reference}: {still_submitted.reference} cannot be declined" in text
    verified.refresh_from_db()
    assert verified.status == S.VERIFIED


@pytest.mark.django_db
def test_a_transition_page_for_a_request_in_the_wrong_state_says_why_instead_of_a_form(
    client, reviewer, lea, lea_staff
):
    req = submitted_request(lea=lea, created_by=lea_staff)
    client.force_login(reviewer)
    response = client.get(transition_url(req, "decline"), follow=True)
    assert "Reason for declining" not in page_text(response)
    assert f"{req.reference} cannot be declined: it is submitted." in page_text(response)


# 2. Request information from Submitted -----------------------------------------------------


@pytest.mark.django_db
def test_request_information_from_submitted_is_the_initial_verification_follow_up(
    client, reviewer, lea, lea_staff
):
    req = submitted_request(lea=lea, created_by=lea_staff)
    client.force_login(reviewer)
    assert "Request information…" in page_text(client.get(change_url(req)))
    form = page_text(client.get(transition_url(req, "request_information")))
    assert "initial verification follow-up for the 48-hour clock" in form

    client.post(
        transition_url(req, "request_information"), {"reason": "Attach the county's letter."}
    )
    req.refresh_from_db()
    assert req.status == S.INFORMATION_REQUESTED
    assert req.verified_by == reviewer and req.verified_at is not None
    assert req.assigned_to == reviewer
    assert not AssistanceRequest.objects.awaiting_verification().filter(pk=req.pk).exists()
    to_lea = Notice.objects.get(
        request=req, kind=K.INFORMATION_REQUESTED, recipient_email=req.primary_contact_email
    )
    assert "initial verification follow-up on your request" in to_lea.body_text
    assert "Attach the county's letter." in to_lea.body_text


@pytest.mark.django_db
def test_request_information_after_verification_keeps_the_verification_and_says_nothing_of_it(
    reviewer, lead, verified
):
    verified_at = verified.verified_at
    workflow.assistance_request_request_information(
        assistance_request=verified, by=lead, message="Which schools?"
    )
    verified.refresh_from_db()
    assert (verified.verified_at, verified.verified_by) == (verified_at, reviewer)
    notice = Notice.objects.get(
        request=verified,
        kind=K.INFORMATION_REQUESTED,
        recipient_email=verified.primary_contact_email,
    )
    assert "initial verification follow-up" not in notice.body_text


# 6. The verify notice says what happened ---------------------------------------------------


@pytest.mark.django_db
def test_verify_notice_says_received_and_complete_for_review(verified):
    notice = Notice.objects.get(
        request=verified, kind=K.VERIFIED, recipient_email=verified.primary_contact_email
    )
    assert "checked that it is complete: it is ready for review" in notice.body_text
    assert "confirmed the information" not in notice.body_text
    assert notice.subject.startswith("Received complete, ready for review")


# 3. Everything the LEA entered -------------------------------------------------------------


@pytest.mark.django_db
def test_change_view_shows_contacts_every_partner_with_role_and_since_and_attachments_by_kind(
    client, reviewer, lea, lea_staff
):
    req = submitted_request(
        lea=lea, created_by=lea_staff, partner_county_office_since=date(2024, 8, 1)
    )
    AdditionalContact.objects.create(
        request=req, name="Sam Ortiz", title="Principal", email="sam@example.org"
    )
    ImprovementPartner.objects.create(
        request=req, name="Reading Partners", role="Tutoring", since=date(2023, 1, 9)
    )
    AttachmentFactory(request=req, evidence_for="g1A", original_name="coe-letter.pdf")
    AttachmentFactory(request=req, evidence_for="other", original_name="data.pdf")
    client.force_login(reviewer)
    text = page_text(client.get(change_url(req)))
    for shown in (
        "Sam Ortiz",
        "Principal",
        "sam@example.org",
        "Reading Partners",
        "Tutoring",
        "January 9, 2023",
        "The county office of education",
        "August 1, 2024",
        "coe-letter.pdf",
        "data.pdf",
        "Other supporting evidence",
        "County superintendent&#x27;s determination and geographic lead&#x27;s concurrence",
    ):
        assert shown in text, shown


# 5. Labels and history ---------------------------------------------------------------------


@pytest.mark.django_db
def test_change_view_labels_fields_as_people_write_them(client, reviewer, verified):
    client.force_login(reviewer)
    text = page_text(client.get(change_url(verified)))
    assert "<label>LEA:</label>" in text
    assert "LCAP goals it connects to" in text
    assert "Lcap goals" not in text and "G1a details" not in text and "<label>Lea:" not in text
    assert "School district" in text  # the type of agency, as a word


@pytest.mark.django_db
def test_change_view_shows_every_section_of_the_request_read_only_under_its_heading(
    client, reviewer, verified
):
    client.force_login(reviewer)
    page = client.get(change_url(verified))
    text = page_text(page)
    for title in ("Request", "Attestation, receipt and decision"):
        assert f'class="fieldset-heading">{title}</h2>' in text
    received = f'<label>Received:</label><div class="readonly">{pacific(verified.received_at)}'
    assert received in text
    assert f'<div class="readonly">{verified.reference}</div>' in text
    # Only the triage fields are a form; the facts are not inputs.
    assert set(page.context["adminform"].form.fields) == {"assigned_to", "seen_triage_version"}


@pytest.mark.django_db
def test_history_says_who_did_what_in_words_and_pacific_time(client, reviewer, verified):
    reviewer.full_name = "Riley Chen"
    reviewer.save(update_fields=["full_name"])
    workflow.assistance_request_approve(assistance_request=verified, by=reviewer)
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_history", args=[verified.pk])
    text = page_text(client.get(url))
    assert "Riley Chen approved" in text
    assert "Riley Chen verified" in text
    assert "Status:</strong> Verified &rarr; Approved" in text
    assert "Deleted user" not in text and "pk=None" not in text
    assert "PST" in text or "PDT" in text


@pytest.mark.django_db
def test_membership_history_names_who_decided_in_words(client, reviewer, lea):
    reviewer.full_name = "Riley Chen"
    reviewer.save(update_fields=["full_name"])
    pending = MembershipFactory(lea=lea, status=LeaMembership.Status.PENDING)
    memberships.LIFECYCLE.perform("approve", pending, by=reviewer)
    client.force_login(reviewer)
    text = page_text(
        client.get(reverse("admin:requests_intake_leamembership_change", args=[pending.pk]))
    )
    assert "Riley Chen approved the membership (it was pending approval)" in text
    assert "<label>LEA:</label>" in text


def test_section_names_read_as_people_write_them_inside_a_sentence():
    assert section_in_sentence("contacts") == "requesting LEA and contacts"
    assert section_in_sentence("threshold") == "CCEE's minimum threshold"


# 7. Internal notes -------------------------------------------------------------------------


@pytest.mark.django_db
def test_notes_are_listed_apart_from_the_one_form_that_adds_a_note(client, reviewer, verified):
    client.force_login(reviewer)
    text = page_text(client.get(change_url(verified)))
    assert "No internal note yet." in text
    assert "Add an internal note" in text and 'value="Save the note"' in text
    form = client.get(change_url(verified)).context["inline_admin_formsets"][0].formset
    data = {
        "seen_triage_version": verified.triage_version,
        "assigned_to": verified.assigned_to_id,
        f"{form.prefix}-TOTAL_FORMS": "1",
        f"{form.prefix}-INITIAL_FORMS": "0",
        f"{form.prefix}-0-body": "Called the superintendent's office.",
        "_continue": "Save the note",
    }
    client.post(change_url(verified), data)
    note = InternalNote.objects.get(request=verified)
    assert (note.author, note.body) == (reviewer, "Called the superintendent's office.")
    text = page_text(client.get(change_url(verified)))
    assert "Saved notes (1)" in text and "Called the superintendent&#x27;s office." in text


@pytest.mark.django_db
def test_an_empty_note_form_saves_no_note(client, reviewer, verified):
    client.force_login(reviewer)
    form = client.get(change_url(verified)).context["inline_admin_formsets"][0].formset
    client.post(
        change_url(verified),
        {
            "seen_triage_version": verified.triage_version,
            "assigned_to": verified.assigned_to_id,
            f"{form.prefix}-TOTAL_FORMS": "1",
            f"{form.prefix}-INITIAL_FORMS": "0",
            f"{form.prefix}-0-body": "",
            "_continue": "Save the note",
        },
    )
    assert not InternalNote.objects.filter(request=verified).exists()


# 4. The changelist as a work queue ---------------------------------------------------------


@pytest.mark.django_db
def test_changelist_filters_put_the_work_queue_first_and_never_offer_draft(
    client, reviewer, verified
):
    client.force_login(reviewer)
    response = client.get(reverse(CHANGELIST))
    titles = [spec.title for spec in response.context["cl"].filter_specs]
    assert titles[:2] == ["assigned to", "48-hour verification"]
    status = next(s for s in response.context["cl"].filter_specs if s.title == "status")
    assert "draft" not in dict(status.lookup_choices)
    text = page_text(response)
    assert 'aria-label="Filter by county"' in text and 'aria-label="Filter by pathway"' in text
    assert verified.lea.county in text
    assert "js/admin_filters" in text


@pytest.mark.django_db
def test_county_select_filters_the_requests(client, reviewer, verified, lea_staff):
    from tests.factories import LeaFactory

    elsewhere = submitted_request(lea=LeaFactory(county="Modoc"))
    client.force_login(reviewer)
    shown = client.get(reverse(CHANGELIST), {"county": "Modoc"}).context["cl"].result_list
    assert [r.pk for r in shown] == [elsewhere.pk]


# 22. A negative cost line ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_negative_cost_line_gets_an_error_next_to_its_field(lea, lea_staff, reviewer):
    sow = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff).scope_of_work
    assert CostLineInline.form is CostLineForm
    form = CostLineForm(
        data={
            "order": 1,
            "description": "Coaching",
            "quantity": "2",
            "unit": "day",
            "unit_cost": "-100",
        },
        instance=CostLine(scope_of_work=sow),
    )
    assert not form.is_valid()
    assert form.errors["unit_cost"] == [CostLineForm.NEGATIVE]
    assert "Constraint" not in str(form.errors)
    assert not CostLine.objects.filter(scope_of_work=sow, unit_cost__lt=Decimal("0")).exists()


@pytest.mark.django_db
def test_reviewer_without_notes_permission_sees_no_notes(client, reviewer, verified):
    InternalNote.objects.create(request=verified, author=reviewer, body="Private")
    agentlike = UserFactory(is_staff=True)
    client.force_login(agentlike)
    assert client.get(change_url(verified)).status_code in (302, 403, 404)


@pytest.mark.django_db
def test_a_note_history_says_who_added_it(client, reviewer, verified):
    note = InternalNote.objects.create(request=verified, author=reviewer, body="Checked")
    note.history.update(history_user=reviewer)
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_internalnote_history", args=[note.pk])
    text = page_text(client.get(url))
    assert f"{reviewer.get_full_name()} added it" in text and "started the draft" not in text


@pytest.mark.django_db
def test_request_information_records_the_sections_and_answer_by_date_for_the_lea_s_panel(
    client, reviewer, verified
):
    client.force_login(reviewer)
    answer_by = timezone.localdate() + timedelta(days=10)
    response = client.post(
        transition_url(verified, "request_information"),
        {
            "reason": "Attach the county's letter.",
            "sections": ["eligibility"],
            "respond_by": answer_by.isoformat(),
        },
    )
    assert response.status_code == 302
    message = RequestMessage.objects.get(
        request=verified, kind=RequestMessage.Kind.INFORMATION_REQUEST
    )
    assert message.sections == ["eligibility"] and message.respond_by == answer_by


@pytest.mark.django_db
def test_an_answer_by_date_that_is_not_after_today_is_refused_next_to_its_field(
    client, reviewer, verified
):
    client.force_login(reviewer)
    response = client.post(
        transition_url(verified, "request_information"),
        {
            "reason": "Attach the county's letter.",
            "respond_by": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Choose a date after today" in page_text(response)
    verified.refresh_from_db()
    assert verified.status == S.VERIFIED


@pytest.mark.django_db
def test_the_assignee_select_offers_nobody_and_each_reviewer_by_name(
    client, reviewer, lead, lea, lea_staff
):
    req = submitted_request(lea=lea, created_by=lea_staff)
    client.force_login(reviewer)

    response = client.get(change_url(req))

    field = response.context["adminform"].form.fields["assigned_to"]
    choices = [(str(value), str(label)) for value, label in field.choices]
    assert choices[0] == ("", "Nobody (unassigned)")
    assert {(str(p.pk), p.get_full_name()) for p in (reviewer, lead)} <= set(choices)
    assert str(lea_staff.pk) not in {value for value, _label in choices}
    html = response.content.decode()
    assert f'<option value="{lead.pk}">{lead.get_full_name()}</option>' in html
