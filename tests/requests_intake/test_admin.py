"""The reviewers' admin: who may open it, the changelist, actions, change view, concurrent edits."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core import roles
from eligibility import rules
from notices.models import Notice
from requests_intake import workflow
from requests_intake.models import AssistanceRequest, InternalNote, StatusChange
from requests_intake.notice_kinds import K
from tests.factories import LeaFactory, UserFactory, submitted_request

S = AssistanceRequest.Status
CHANGELIST = "admin:requests_intake_assistancerequest_changelist"
NOTES = "admin:requests_intake_internalnote_changelist"


def change_url(req):
    return reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])


def transition_url(req, name):
    return reverse("admin:requests_intake_assistancerequest_transition", args=[req.pk, name])


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def submitted(lea, lea_staff):
    return submitted_request(lea=lea, created_by=lea_staff)


# -- who may open what -----------------------------------------------------------------------


@pytest.mark.django_db
def test_lea_staff_opening_the_admin_is_sent_to_the_admin_login(client, lea_staff):
    client.force_login(lea_staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_agent_sees_no_request_no_note_and_no_dashboard(client, agent, submitted, reviewer):
    InternalNote.objects.create(request=submitted, author=reviewer, body="Call the county first.")
    note = InternalNote.objects.get()
    client.force_login(agent)
    urls = [
        reverse(CHANGELIST),
        change_url(submitted),
        reverse("admin:requests_intake_assistancerequest_history", args=[submitted.pk]),
        reverse("admin:requests_intake_assistancerequest_dashboard"),
        reverse(NOTES),
        reverse("admin:requests_intake_internalnote_change", args=[note.pk]),
        transition_url(submitted, "verify"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert b"Call the county first." not in response.content
    assert client.post(transition_url(submitted, "verify")).status_code in (403, 404)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


@pytest.mark.django_db
def test_reviewer_sees_the_request_and_its_internal_notes(client, reviewer, submitted):
    InternalNote.objects.create(request=submitted, author=reviewer, body="Call the county first.")
    client.force_login(reviewer)
    response = client.get(change_url(submitted))
    assert response.status_code == 200
    assert b"Call the county first." in response.content
    assert client.get(reverse(NOTES)).status_code == 200


@pytest.mark.django_db
def test_admin_index_links_the_dashboard_for_reviewers(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/admin/")
    assert reverse("admin:requests_intake_assistancerequest_dashboard").encode() in response.content


# -- the changelist -------------------------------------------------------------------------


@pytest.mark.django_db
def test_changelist_puts_overdue_first_then_least_time_left_and_says_overdue_in_words(
    client, reviewer, lea_staff, lea
):
    start = timezone.now() - timedelta(hours=60)
    with time_machine.travel(start, tick=False):
        overdue = submitted_request(lea=lea, created_by=lea_staff)
    with time_machine.travel(start + timedelta(hours=20), tick=False):
        older = submitted_request(lea=lea, created_by=lea_staff)
    with time_machine.travel(start + timedelta(hours=30), tick=False):
        newer = submitted_request(lea=lea, created_by=lea_staff)
    AssistanceRequest.objects.filter(pk=overdue.pk).update(priority_tier=3)
    AssistanceRequest.objects.filter(pk=older.pk).update(priority_tier=2)
    AssistanceRequest.objects.filter(pk=newer.pk).update(priority_tier=1)

    with time_machine.travel(start + timedelta(hours=60), tick=False):
        client.force_login(reviewer)
        response = client.get(reverse(CHANGELIST))

    shown = [r.pk for r in response.context["cl"].result_list]
    # The 48-hour clock first (older has 8 hours left, newer 18), whatever the tier.
    assert shown == [overdue.pk, older.pk, newer.pk]
    body = response.content.decode()
    assert "OVERDUE by 12 h" in body
    assert "18 h left" in body  # newer: received 30 h ago
    assert "OVERDUE" not in body.split(newer.reference, 1)[1].split("</tr>", 1)[0]
    assert body.index(overdue.reference) < body.index(older.reference) < body.index(newer.reference)


@pytest.mark.django_db
def test_changelist_filters_and_search(client, reviewer, lea_staff, lea):
    mine = submitted_request(lea=lea, created_by=lea_staff)
    other_lea = LeaFactory(name="Rivertown Elementary", county="Yolo")
    theirs = submitted_request(lea=other_lea)
    workflow.assistance_request_assign(assistance_request=mine, by=reviewer, assignee=reviewer)
    client.force_login(reviewer)

    def shown(**params):
        response = client.get(reverse(CHANGELIST), params)
        assert response.status_code == 200
        return {r.pk for r in response.context["cl"].result_list}

    assert shown(assigned="me") == {mine.pk}
    assert shown(assigned="nobody") == {theirs.pk}
    assert shown(q="Rivertown") == {theirs.pk}
    assert shown(q=other_lea.cds_code) == {theirs.pk}
    assert shown(q=mine.primary_contact_email) == {mine.pk}
    assert shown(q=mine.reference) == {mine.pk}
    assert shown(county="Yolo") == {theirs.pk}
    assert shown(verification="overdue") == set()
    assert shown(verification="awaiting") == {mine.pk, theirs.pk}
    tier = mine.priority_tier
    assert mine.pk in shown(tier=str(tier))
    pathway = mine.pathways.split(",")[0]
    assert mine.pk in shown(pathway=pathway)
    assert mine.pk in shown(cost_basis=mine.cost_basis)


@pytest.mark.django_db
def test_drafts_never_show_in_the_triage_changelist(client, reviewer, lea_staff, lea):
    from tests.factories import DraftRequestFactory

    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    client.force_login(reviewer)
    response = client.get(reverse(CHANGELIST))
    assert draft.pk not in {r.pk for r in response.context["cl"].result_list}
    assert client.get(change_url(draft)).status_code in (302, 404)


# -- actions --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_verify_reports_each_row_done_or_skipped_with_the_reason(
    client, reviewer, lea_staff, lea
):
    first = submitted_request(lea=lea, created_by=lea_staff)
    second = submitted_request(lea=lea, created_by=lea_staff)
    workflow.assistance_request_verify(assistance_request=second, by=reviewer)
    client.force_login(reviewer)

    response = client.post(
        reverse(CHANGELIST),
        {"action": "verify", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    first.refresh_from_db()
    assert first.status == S.VERIFIED
    messages = texts(response)
    assert f"1 verified: {first.reference}." in messages
    assert (
        f"Skipped {second.reference}: {second.reference} cannot be verified: it is verified."
        in (messages)
    )


@pytest.mark.django_db
def test_bulk_request_information_asks_for_the_message_then_sends_it(
    client, reviewer, lea_staff, lea
):
    reqs = [submitted_request(lea=lea, created_by=lea_staff) for _ in range(2)]
    for req in reqs:
        workflow.assistance_request_verify(assistance_request=req, by=reviewer)
    client.force_login(reviewer)
    selected = {"action": "request_information", "_selected_action": [r.pk for r in reqs]}

    page = client.post(reverse(CHANGELIST), selected)
    assert page.status_code == 200
    assert b"Message to the LEA" in page.content
    empty = client.post(reverse(CHANGELIST), {**selected, "confirm": "yes", "reason": " "})
    assert b"Write the reason" in empty.content
    assert b'aria-describedby="id_reason_error"' in empty.content
    assert AssistanceRequest.objects.filter(status=S.INFORMATION_REQUESTED).count() == 0

    done = client.post(
        reverse(CHANGELIST),
        {**selected, "confirm": "yes", "reason": "Attach the county's letter."},
        follow=True,
    )

    assert AssistanceRequest.objects.filter(status=S.INFORMATION_REQUESTED).count() == 2
    assert StatusChange.objects.filter(reason="Attach the county's letter.").count() == 2
    assert Notice.objects.filter(kind=K.INFORMATION_REQUESTED).count() >= 2
    assert any(m.startswith("2 sent a request for information") for m in texts(done))


@pytest.mark.django_db
def test_reopen_action_is_offered_to_leads_only(client, reviewer, lead, submitted):
    client.force_login(reviewer)
    assert b'value="reopen"' not in client.get(reverse(CHANGELIST)).content
    client.force_login(lead)
    assert b'value="reopen"' in client.get(reverse(CHANGELIST)).content


@pytest.mark.django_db
def test_assign_to_me_and_to_a_reviewer(client, reviewer, lead, submitted):
    client.force_login(lead)
    client.post(reverse(CHANGELIST), {"action": "assign_to_me", "_selected_action": [submitted.pk]})
    submitted.refresh_from_db()
    assert submitted.assigned_to == lead
    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "assign_to_reviewer",
            "_selected_action": [submitted.pk],
            "confirm": "yes",
            "assignee": reviewer.pk,
        },
        follow=True,
    )
    submitted.refresh_from_db()
    assert submitted.assigned_to == reviewer
    assert f"1 assigned to Riley Reviewer: {submitted.reference}." in texts(response)
    assert Notice.objects.filter(kind=K.ASSIGNED, recipient=reviewer).exists()


# -- the change view ------------------------------------------------------------------------


@pytest.mark.django_db
def test_change_view_shows_the_request_read_only_with_determination_and_timeline(
    client, reviewer, submitted
):
    client.force_login(reviewer)
    response = client.get(change_url(submitted))
    body = response.content.decode()
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.fields) == ["assigned_to", "seen_triage_version"]
    assert submitted.problem_of_practice in body
    assert "Facilitated Instructional Review" in body  # the kinds sought, named as people do
    assert "facilitated_instructional_review" not in body
    assert "EC 52074(g)(1)(A)" in body
    assert "Submitted → Draft" not in body and "Draft → Submitted" in body
    assert "Receipt to the LEA" in body
    assert "48-hour verification" in body and "47 h left" in body
    assert f'action="{transition_url(submitted, "verify")}"' in body
    assert transition_url(submitted, "decline") not in body  # not possible from submitted


@pytest.mark.django_db
def test_change_view_buttons_verify_and_decline_with_a_reason(client, reviewer, submitted):
    client.force_login(reviewer)
    response = client.post(transition_url(submitted, "verify"), follow=True)
    submitted.refresh_from_db()
    assert submitted.status == S.VERIFIED
    assert f"{submitted.reference} was verified." in texts(response)

    form_page = client.get(transition_url(submitted, "decline"))
    assert b"Reason for declining" in form_page.content
    assert submitted.status == S.VERIFIED
    response = client.post(
        transition_url(submitted, "decline"), {"reason": "Outside (g) and (h)."}, follow=True
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decision_reason) == (S.DECLINED, "Outside (g) and (h).")
    assert f"{submitted.reference} was declined." in texts(response)


@pytest.mark.django_db
def test_change_view_button_for_an_impossible_transition_says_why_and_changes_nothing(
    client, reviewer, submitted
):
    client.force_login(reviewer)
    response = client.post(transition_url(submitted, "approve"), follow=True)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert f"{submitted.reference} cannot be approved: it is submitted." in texts(response)


@pytest.mark.django_db
def test_reviewer_may_not_reopen_through_the_url(client, reviewer, submitted):
    workflow.assistance_request_verify(assistance_request=submitted, by=reviewer)
    workflow.assistance_request_decline(assistance_request=submitted, by=reviewer, reason="No")
    client.force_login(reviewer)
    response = client.post(transition_url(submitted, "reopen"), {"reason": "Why not"}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == S.DECLINED
    assert "Only a CCEE lead can reopen a declined request." in texts(response)


@pytest.mark.django_db
def test_verified_facts_form_records_facts_and_shows_the_differences(client, reviewer, submitted):
    client.force_login(reviewer)
    form = client.get(change_url(submitted)).context["facts_form"]
    data = {k: v for k, v in form.initial.items() if v is not False}
    data["estimated_months"] = 18
    url = reverse("admin:requests_intake_assistancerequest_verified_facts", args=[submitted.pk])

    response = client.post(url, data, follow=True)

    submitted.refresh_from_db()
    assert submitted.verified_facts["estimated_months"] == 18
    assert submitted.verified_determination is not None
    assert "Months needed to address the presenting need" in response.content.decode()
    assert any("Verified facts recorded" in m for m in texts(response))


@pytest.mark.django_db
def test_internal_note_added_in_the_change_view_records_its_author(client, reviewer, submitted):
    client.force_login(reviewer)
    page = client.get(change_url(submitted))
    version = page.context["adminform"].form["seen_triage_version"].value()
    response = client.post(
        change_url(submitted),
        {
            "assigned_to": "",
            "seen_triage_version": version,
            "internal_notes-TOTAL_FORMS": "1",
            "internal_notes-INITIAL_FORMS": "0",
            "internal_notes-MIN_NUM_FORMS": "0",
            "internal_notes-MAX_NUM_FORMS": "1000",
            "internal_notes-0-body": "Spoke with the county office.",
            "_continue": "Save",
        },
    )
    assert response.status_code == 302
    note = InternalNote.objects.get(request=submitted)
    assert (note.author, note.body) == (reviewer, "Spoke with the county office.")
    assert note.history.get().history_user == reviewer


@pytest.mark.django_db
def test_change_view_writes_its_form_inputs_and_selects_without_djangos_widget_templates(
    client, reviewer, submitted, form_templates_used
):
    client.force_login(reviewer)
    page = client.get(change_url(submitted)).content.decode()

    # The reviewer select (no admin wrapper), the note form and its management form are all
    # written by core.form_rendering.PLAIN_INPUTS.
    assert [n for n in form_templates_used if n.startswith("django/forms/widgets/")] == []
    assert "related-widget-wrapper" not in page
    assert f'<option value="{reviewer.pk}">{reviewer.get_full_name()}</option>' in page
    assert 'name="internal_notes-TOTAL_FORMS" value="1"' in page


@pytest.mark.django_db
def test_the_reviewer_select_lists_the_reviewers_of_the_moment(client, reviewer, submitted):
    client.force_login(reviewer)
    client.get(change_url(submitted))
    newcomer = UserFactory(role=roles.CCEE_REVIEWER, full_name="Nia Newcomer")

    choices = client.get(change_url(submitted)).context["adminform"].form["assigned_to"]
    assert newcomer.get_full_name() in str(choices)

    newcomer.is_active = False
    newcomer.save()
    choices = client.get(change_url(submitted)).context["adminform"].form["assigned_to"]
    assert newcomer.get_full_name() not in str(choices)


@pytest.mark.django_db
def test_a_second_reviewers_stale_triage_save_is_refused_with_who_changed_it(
    client, reviewer, lead, submitted
):
    client.force_login(reviewer)
    page = client.get(change_url(submitted))
    seen = page.context["adminform"].form["seen_triage_version"].value()
    # Meanwhile the lead assigns the request to themself.
    workflow.assistance_request_assign(assistance_request=submitted, by=lead, assignee=lead)

    response = client.post(
        change_url(submitted),
        {
            "assigned_to": reviewer.pk,
            "seen_triage_version": seen,
            "internal_notes-0-body": "Taking this one.",
            "internal_notes-TOTAL_FORMS": "1",
            "internal_notes-INITIAL_FORMS": "0",
            "internal_notes-MIN_NUM_FORMS": "0",
            "internal_notes-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        },
        follow=True,
    )

    submitted.refresh_from_db()
    assert submitted.assigned_to == lead
    refused = [m for m in texts(response) if "Lee Lead changed" in m]
    assert len(refused) == 1
    assert "Your change was not saved" in refused[0]
    assert not any("was changed successfully" in m for m in texts(response))
    # The note typed with the refused change is kept, and the reviewer is told so.
    assert InternalNote.objects.get(request=submitted).body == "Taking this one."
    assert "Your internal note was saved." in texts(response)


@pytest.mark.django_db
def test_history_is_viewable_and_cannot_be_reverted(client, reviewer, submitted):
    workflow.assistance_request_verify(assistance_request=submitted, by=reviewer)
    client.force_login(reviewer)
    history = client.get(
        reverse("admin:requests_intake_assistancerequest_history", args=[submitted.pk])
    )
    assert history.status_code == 200
    assert b"Riley Reviewer" in history.content
    record = submitted.history.earliest()
    revert = reverse(
        "admin:requests_intake_assistancerequest_simple_history",
        args=[submitted.pk, record.history_id],
    )
    assert client.post(revert, {}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == S.VERIFIED


@pytest.mark.django_db
def test_change_view_links_attachments_to_the_authorised_download(client, reviewer, submitted):
    from tests.factories import AttachmentFactory

    attachment = AttachmentFactory(request=submitted, original_name="county-letter.pdf")
    client.force_login(reviewer)
    body = client.get(change_url(submitted)).content.decode()
    url = reverse("requests_intake:attachment_download", args=[submitted.pk, attachment.pk])
    assert f'<a href="{url}">county-letter.pdf</a>' in body


@pytest.mark.django_db
def test_lea_request_page_never_shows_internal_notes(client, lea_staff, reviewer, submitted):
    InternalNote.objects.create(request=submitted, author=reviewer, body="Budget looks thin.")
    client.force_login(lea_staff)
    response = client.get(reverse("requests_intake:request_detail", args=[submitted.pk]))
    assert response.status_code == 200
    assert submitted.reference in response.content.decode()
    assert b"Budget looks thin." not in response.content


def computed_under_old_rules(req, version="2025-11-23.1"):
    """Store the request's determination as if an older rules version had computed it."""
    req.determination = {**req.determination, "rules_version": version}
    req.rules_version = version
    req.save()
    return req


@pytest.mark.django_db
def test_the_change_view_shows_an_older_rules_version_and_recomputes_it(
    client, reviewer, submitted
):
    computed_under_old_rules(submitted)
    client.force_login(reviewer)

    page = client.get(change_url(submitted)).content.decode()
    assert "Computed under an older rules version." in page
    assert f"Recompute under rules version {rules.RULES_VERSION}" in page

    url = reverse("admin:requests_intake_assistancerequest_recompute", args=[submitted.pk])
    response = client.post(url, {"triage_version": submitted.triage_version}, follow=True)

    submitted.refresh_from_db()
    assert submitted.rules_version == rules.RULES_VERSION
    assert any("the earlier one is kept in its history" in m for m in texts(response))
    assert "Computed under an older rules version." not in response.content.decode()
    assert submitted.history.filter(rules_version="2025-11-23.1").exists()


@pytest.mark.django_db
def test_a_current_determination_offers_no_recompute(client, reviewer, submitted):
    client.force_login(reviewer)
    page = client.get(change_url(submitted)).content.decode()
    assert "Computed under an older rules version." not in page
    assert "Recompute under rules version" not in page


@pytest.mark.django_db
def test_recompute_is_refused_to_lea_staff(client, lea_staff, submitted):
    computed_under_old_rules(submitted)
    client.force_login(lea_staff)
    url = reverse("admin:requests_intake_assistancerequest_recompute", args=[submitted.pk])

    response = client.post(url, {"triage_version": submitted.triage_version})

    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.rules_version == "2025-11-23.1"


@pytest.mark.django_db
def test_the_changelist_filters_requests_computed_under_an_older_version(
    client, reviewer, lea, lea_staff
):
    old = computed_under_old_rules(submitted_request(lea=lea, created_by=lea_staff))
    current = submitted_request(lea=lea, created_by=lea_staff)
    client.force_login(reviewer)

    older = client.get(reverse(CHANGELIST), {"rules": "older"})
    in_force = client.get(reverse(CHANGELIST), {"rules": "current"})

    assert [r.pk for r in older.context["cl"].result_list] == [old.pk]
    assert [r.pk for r in in_force.context["cl"].result_list] == [current.pk]
