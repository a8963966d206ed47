"""The county office and the geographic lead confirm (g)(1)(A) themselves, through a signed link."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils.html import escape

from notices.models import Notice
from requests_intake import county_confirmations as cc
from requests_intake import sweep, workflow
from requests_intake.models import AssistanceRequest, CountyConfirmation
from requests_intake.notice_kinds import CK
from tests.factories import ClosureFactory, DraftRequestFactory, submitted_request

PACIFIC = ZoneInfo("America/Los_Angeles")
C = CountyConfirmation.Status
Role = CountyConfirmation.Role
# The Wednesday before Thanksgiving: Thursday and Friday are CalHR holidays.
BEFORE_THANKSGIVING = datetime(2026, 11, 25, 10, 0, tzinfo=PACIFIC)

CONTACTS = {
    "coe_contact_name": "Casey Moreno",
    "coe_contact_email": "cmoreno@coe.example.org",
    "geographic_lead_agency": "Sample Lead County Office of Education",
    "geographic_lead_contact_name": "Gale Ortiz",
    "geographic_lead_contact_email": "gortiz@lead.example.org",
}


def frozen(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def now():
    """A fixed moment (a Monday morning in California) that the whole test runs at."""
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=PACIFIC)
    with frozen(moment):
        yield moment


@pytest.fixture
def req(now, lea, lea_staff, reviewer):
    return submitted_request(lea=lea, created_by=lea_staff, **CONTACTS)


def confirmation(req, role=Role.COUNTY_OFFICE):
    return req.county_confirmations.exclude(status=C.SUPERSEDED).get(role=role)


def link_from_outbox(email, kind=CK.CONFIRMATION_REQUEST):
    """Return the path of the link in the rendered email the contact received."""
    notice = Notice.objects.filter(recipient_email=email, kind=kind).latest("pk")
    url = re.search(r"\[\[SITE_URL\]\](/requests/confirm/[^/\s]+/)", notice.body_text)
    return url.group(1)


def answer(client, path, choice="confirm", note=""):
    return client.post(path, {"answer": choice, "note": note})


# --- Sending ----------------------------------------------------------------------------------


def test_submission_sends_each_named_contact_a_link_that_needs_no_account(req):
    rows = {c.role: c for c in req.county_confirmations.all()}
    assert set(rows) == {Role.COUNTY_OFFICE, Role.GEOGRAPHIC_LEAD}
    assert rows[Role.COUNTY_OFFICE].contact_email == "cmoreno@coe.example.org"
    assert rows[Role.GEOGRAPHIC_LEAD].agency_name == "Sample Lead County Office of Education"
    assert all(c.status == C.PENDING for c in rows.values())
    sent = Notice.objects.filter(request=req, kind=CK.CONFIRMATION_REQUEST)
    assert {n.recipient_email for n in sent} == {
        "cmoreno@coe.example.org",
        "gortiz@lead.example.org",
    }
    assert all(n.recipient_id is None for n in sent)
    assert "/requests/confirm/" in sent.first().body_text


def test_a_request_not_claiming_g1a_sends_no_link(now, lea, lea_staff):
    req = submitted_request(
        lea=lea,
        created_by=lea_staff,
        coe_superintendent_determined_necessary=False,
        agrees_to_reimburse=True,
        **CONTACTS,
    )
    assert not req.county_confirmations.exists()


def test_a_g1a_claim_naming_no_contact_reads_nothing_at_submission(
    django_assert_num_queries, now, lea, lea_staff
):
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    assert draft.coe_superintendent_determined_necessary
    with django_assert_num_queries(0):
        assert cc.county_confirmations_open(draft) == []
    # Naming one contact asks that one only (and reads the confirmations to compare).
    draft.coe_contact_name, draft.coe_contact_email = "Casey Moreno", "CMoreno@coe.example.org"
    opened = cc.county_confirmations_open(draft)
    assert [(c.role, c.contact_email) for c in opened] == [
        (Role.COUNTY_OFFICE, "cmoreno@coe.example.org")
    ]


def test_the_page_shows_only_what_the_contact_must_confirm(client, req):
    page = client.get(link_from_outbox("cmoreno@coe.example.org")).content.decode()
    assert req.reference in page
    assert req.lea.name in page
    assert "The county superintendent" in page or "county superintendent" in page
    assert escape(req.g1a_details) in page
    # Nothing else of the request: not its contacts, its need, nor the other contact.
    assert req.primary_contact_email not in page
    assert req.problem_of_practice not in page
    assert "gortiz@lead.example.org" not in page


# --- Answers ----------------------------------------------------------------------------------


def test_a_confirmation_becomes_a_verified_fact_with_its_source_and_is_re_evaluated(
    client, req, now
):
    response = answer(client, link_from_outbox("cmoreno@coe.example.org"), note="Decided in May.")
    assert response.status_code == 200
    assert "your answer is recorded" in response.content.decode()

    row = confirmation(req)
    assert (row.status, row.note, row.answered_at) == (C.CONFIRMED, "Decided in May.", now)
    req.refresh_from_db()
    fact = req.confirmed_facts["coe_superintendent_determined_necessary"]
    assert fact["value"] is True
    assert (fact["by"], fact["agency"]) == ("Casey Moreno", row.agency_name)
    assert "Casey Moreno" in fact["source"] and row.agency_name in fact["source"]
    assert "Mar 2, 2026, 9:00 AM" in fact["source"]
    assert req.verified_facts["coe_technical_assistance_provided"] is True
    assert req.verified_determination is not None
    change = row.changes.get(to_status=C.CONFIRMED)
    assert change.by is None and "cmoreno@coe.example.org" in change.by_contact


def test_a_decline_verifies_the_fact_as_false_and_drops_g1a_from_the_verified_determination(
    client, req, lea_staff, reviewer
):
    assert "g1A" in req.determination["pathways"]
    answer(client, link_from_outbox("gortiz@lead.example.org"), "decline", "We did not agree.")

    req.refresh_from_db()
    assert req.verified_facts["geographic_lead_agrees"] is False
    assert "g1A" not in req.verified_determination["pathways"]
    assert "g1A" not in req.pathways.split(",")  # the changelist's summary follows
    told = Notice.objects.filter(request=req, kind=CK.CONFIRMATION_ANSWERED)
    assert {lea_staff.email, reviewer.email} <= {n.recipient_email for n in told}
    assert "declined" in told.first().body_text
    assert "We did not agree." in told.first().body_text


def test_a_decline_is_shown_on_the_lea_request_page(client, req, lea_staff):
    answer(client, link_from_outbox("gortiz@lead.example.org"), "decline", "Not agreed.")
    client.force_login(lea_staff)
    page = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()
    assert "declined" in page and "Not agreed." in page


def test_the_reviewer_sees_the_answer_beside_the_attested_fact_with_its_source(
    client, req, reviewer
):
    answer(client, link_from_outbox("gortiz@lead.example.org"), "decline")
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])
    page = client.get(url).content.decode()
    assert "No: declined" in page
    assert "Declined by Gale Ortiz (Sample Lead County Office of Education" in page


def test_an_answer_without_a_choice_is_refused_next_to_the_field_and_changes_nothing(client, req):
    response = client.post(link_from_outbox("cmoreno@coe.example.org"), {"note": "hm"})
    assert response.status_code == 400
    assert "Choose whether you confirm or decline." in response.content.decode()
    assert confirmation(req).status == C.PENDING


# --- The token --------------------------------------------------------------------------------


def test_a_link_works_once(client, req):
    path = link_from_outbox("cmoreno@coe.example.org")
    answer(client, path, "confirm")
    second = answer(client, path, "decline")
    assert second.status_code == 410
    assert "This link has been used" in second.content.decode()
    assert client.get(path).status_code == 410
    assert confirmation(req).status == C.CONFIRMED
    assert confirmation(req).changes.count() == 2  # sent, confirmed


def test_a_link_expires_after_the_configured_days_and_changes_nothing(client, req, now):
    path = link_from_outbox("cmoreno@coe.example.org")
    sent = now.astimezone(UTC)  # ten days of 24 hours, across the change to summer time
    with frozen(sent + timedelta(days=9, hours=23)):
        assert client.get(path).status_code == 200
    with frozen(sent + timedelta(days=10, minutes=1)):
        response = answer(client, path)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert confirmation(req).status == C.PENDING


def test_the_expiry_is_a_setting(client, settings, now, lea, lea_staff):
    settings.COUNTY_CONFIRMATION_DAYS = 2
    req = submitted_request(lea=lea, created_by=lea_staff, **CONTACTS)
    assert confirmation(req).expires_at == now + timedelta(days=2)
    with frozen(now + timedelta(days=2, minutes=1)):
        assert client.get(link_from_outbox("cmoreno@coe.example.org")).status_code == 410


def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(client, req):
    path = link_from_outbox("cmoreno@coe.example.org")
    token = path.split("/")[-2]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = answer(client, reverse("requests_intake:county_confirmation", args=[tampered]))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert confirmation(req).status == C.PENDING


def test_a_token_bound_to_another_request_or_role_opens_nothing(client, req, lea, lea_staff):
    other = submitted_request(lea=lea, created_by=lea_staff, **CONTACTS)
    row = confirmation(req)
    forged = [
        {"c": row.pk, "r": other.pk, "f": row.role, "n": row.nonce},
        {"c": row.pk, "r": req.pk, "f": Role.GEOGRAPHIC_LEAD, "n": row.nonce},
        {"c": row.pk, "r": req.pk, "f": row.role, "n": confirmation(other).nonce},
    ]
    for payload in forged:
        token = signing.dumps(payload, salt=cc.TOKEN_SALT)
        response = answer(client, reverse("requests_intake:county_confirmation", args=[token]))
        assert response.status_code == 404
        assert other.reference not in response.content.decode()
    assert confirmation(req).status == confirmation(other).status == C.PENDING


def test_a_token_signed_for_another_purpose_opens_nothing(client, req):
    row = confirmation(req)
    token = signing.dumps({"c": row.pk, "r": req.pk, "f": row.role, "n": row.nonce})
    path = reverse("requests_intake:county_confirmation", args=[token])
    assert client.get(path).status_code == 404


def test_a_link_to_a_withdrawn_request_changes_nothing(client, req, lea_staff):
    workflow.assistance_request_withdraw(assistance_request=req, by=lea_staff)
    response = answer(client, link_from_outbox("cmoreno@coe.example.org"))
    assert response.status_code == 410
    assert confirmation(req).status == C.PENDING


def test_opening_links_is_rate_limited_per_address(client, settings, req):
    settings.RATE_COUNTY_CONFIRMATION_PER_IP = "3/h"
    path = link_from_outbox("cmoreno@coe.example.org")
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 200]
    refused = answer(client, path)
    assert refused.status_code == 429
    assert "Too many" in refused.content.decode()
    assert confirmation(req).status == C.PENDING


# --- Reviewers: resend and replace ------------------------------------------------------------


def test_resending_supersedes_the_old_link_and_keeps_it_in_the_history(client, req, reviewer):
    old_path = link_from_outbox("cmoreno@coe.example.org")
    old = confirmation(req)
    new = cc.county_confirmation_resend(confirmation=old, by=reviewer)
    old.refresh_from_db()
    assert old.status == C.SUPERSEDED and new.replaces == old and new.sent_by == reviewer
    assert old.changes.get(to_status=C.SUPERSEDED).by == reviewer
    assert client.get(old_path).status_code == 410
    new_path = link_from_outbox("cmoreno@coe.example.org")
    assert new_path != old_path
    assert answer(client, new_path).status_code == 200


def test_a_reviewer_replaces_the_contact_from_the_change_view(client, req, reviewer):
    old = confirmation(req, Role.GEOGRAPHIC_LEAD)
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_county_replace", args=[req.pk, old.pk])
    prefix = f"c{old.pk}"
    response = client.post(
        url, {f"{prefix}-name": "Robin Park", f"{prefix}-email": "rpark@lead.example.org"}
    )
    assert response.status_code == 302
    new = confirmation(req, Role.GEOGRAPHIC_LEAD)
    assert (new.contact_name, new.contact_email) == ("Robin Park", "rpark@lead.example.org")
    assert new.agency_name == old.agency_name
    assert Notice.objects.filter(recipient_email="rpark@lead.example.org").exists()
    old.refresh_from_db()
    assert old.status == C.SUPERSEDED
    assert "Gale Ortiz" in old.changes.get(to_status=C.SUPERSEDED).reason


def test_replacing_without_an_address_sends_nothing(client, req, reviewer):
    old = confirmation(req, Role.GEOGRAPHIC_LEAD)
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_county_replace", args=[req.pk, old.pk])
    client.post(url, {f"c{old.pk}-name": "Robin Park"})
    assert confirmation(req, Role.GEOGRAPHIC_LEAD) == old
    assert old.status == C.PENDING


def test_lea_staff_cannot_resend_through_the_admin(client, req, lea_staff):
    old = confirmation(req)
    client.force_login(lea_staff)
    url = reverse("admin:requests_intake_assistancerequest_county_resend", args=[req.pk, old.pk])
    assert client.post(url).status_code == 302  # to the admin's sign-in
    assert confirmation(req) == old


def test_resubmitting_with_another_contact_sends_them_a_link(now, lea, lea_staff, reviewer):
    req = submitted_request(lea=lea, created_by=lea_staff, **CONTACTS)
    req = workflow.assistance_request_request_information(
        assistance_request=req, by=reviewer, message="Who at the county?"
    )
    AssistanceRequest.objects.filter(pk=req.pk).update(coe_contact_email="new@coe.example.org")
    req.refresh_from_db()
    workflow.assistance_request_resubmit(assistance_request=req, by=lea_staff)
    assert confirmation(req).contact_email == "new@coe.example.org"
    assert req.county_confirmations.filter(status=C.SUPERSEDED).count() == 1
    assert confirmation(req, Role.GEOGRAPHIC_LEAD).replaces is None  # unchanged, not resent


# --- The reminder -----------------------------------------------------------------------------


def reminders(email):
    return Notice.objects.filter(recipient_email=email, kind=CK.CONFIRMATION_REMINDER).count()


def test_the_reminder_goes_after_two_california_business_days(db, lea, lea_staff):
    with frozen(BEFORE_THANKSGIVING):
        req = submitted_request(lea=lea, created_by=lea_staff, **CONTACTS)
    # Thursday and Friday are CalHR holidays: the two business days are Monday and Tuesday.
    assert confirmation(req).reminder_due_at == datetime(2026, 12, 1, 10, 0, tzinfo=PACIFIC)
    with frozen(datetime(2026, 11, 30, 17, 0, tzinfo=PACIFIC)):
        assert sweep.verification_clock_sweep().county_reminders == 0
    with frozen(datetime(2026, 12, 1, 10, 0, tzinfo=PACIFIC)):
        assert sweep.verification_clock_sweep().county_reminders == 2
    with frozen(datetime(2026, 12, 2, 10, 0, tzinfo=PACIFIC)):
        assert sweep.verification_clock_sweep().county_reminders == 0
    assert reminders("cmoreno@coe.example.org") == 1
    notice = Notice.objects.get(
        recipient_email="cmoreno@coe.example.org", kind=CK.CONFIRMATION_REMINDER
    )
    assert "/requests/confirm/" in notice.body_text


def test_an_office_closure_pushes_the_reminder_a_business_day(db, lea, lea_staff):
    ClosureFactory(date=datetime(2026, 3, 3).date())
    with frozen(datetime(2026, 3, 2, 9, 0, tzinfo=PACIFIC)):
        req = submitted_request(lea=lea, created_by=lea_staff, **CONTACTS)
    assert confirmation(req).reminder_due_at == datetime(2026, 3, 5, 9, 0, tzinfo=PACIFIC)


def test_an_answered_link_is_not_reminded(client, db, lea, lea_staff):
    with frozen(BEFORE_THANKSGIVING):
        req = submitted_request(lea=lea, created_by=lea_staff, **CONTACTS)
        answer(client, link_from_outbox("cmoreno@coe.example.org"))
    with frozen(datetime(2026, 12, 1, 11, 0, tzinfo=PACIFIC)):
        assert sweep.verification_clock_sweep().county_reminders == 1  # the other contact
    assert reminders("cmoreno@coe.example.org") == 0
    assert confirmation(req).status == C.CONFIRMED


def test_the_reminder_sweep_takes_a_fixed_number_of_queries(
    db, lea, lea_staff, django_assert_max_num_queries
):
    for count in (1, 6):
        with frozen(BEFORE_THANKSGIVING):
            for _ in range(count):
                submitted_request(lea=lea, created_by=lea_staff, **CONTACTS)
        with (
            frozen(datetime(2026, 12, 1, 10, 0, tzinfo=PACIFIC)),
            django_assert_max_num_queries(16),
        ):
            assert sweep.verification_clock_sweep().county_reminders == 2 * count


# --- The draft --------------------------------------------------------------------------------


def test_the_eligibility_section_prefills_the_county_office_contact_from_the_directory(
    client, lea, lea_staff
):
    from tests.factories import LeaFactory

    LeaFactory(
        lea_type="county_office",
        county_code=lea.county_code,
        county=lea.county,
        cds_code=f"{lea.county_code}100170000000",
        administrator_name="Pat Superintendent",
        administrator_email="pat@coe.example.org",
    )
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)
    url = reverse("requests_intake:request_section", args=[draft.pk, "eligibility"])
    page = client.get(url).content.decode()
    assert 'value="pat@coe.example.org"' in page
    assert 'value="Pat Superintendent"' in page


def test_a_contact_without_an_address_is_refused_next_to_the_field(client, lea, lea_staff):
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff)
    client.force_login(lea_staff)
    url = reverse("requests_intake:request_section", args=[draft.pk, "eligibility"])
    data = {
        "version": draft.version,
        "lea_type": "school_district",
        "coe_superintendent_determined_necessary": "on",
        "g1a_details": "Decided in March.",
        "coe_contact_name": "Casey Moreno",
        "coe_contact_email": "",
    }
    page = client.post(url, data).content.decode()
    assert "Give this person&#x27;s email address." in page
    draft.refresh_from_db()
    assert draft.coe_contact_name == ""


# --- The changelist ---------------------------------------------------------------------------


def changelist(client, query=""):
    url = reverse("admin:requests_intake_assistancerequest_changelist")
    return client.get(f"{url}{query}").content.decode()


def test_the_changelist_filters_and_shows_requests_awaiting_county_confirmation(
    client, req, reviewer, lea, lea_staff
):
    answered = submitted_request(lea=lea, created_by=lea_staff, **CONTACTS)
    for row in answered.county_confirmations.all():
        cc.county_confirmation_answer(
            confirmation=row, holder=cc.LinkHolder(row.nonce), confirmed=True
        )
    client.force_login(reviewer)
    awaiting = changelist(client, "?county_confirmation=awaiting")
    assert req.reference in awaiting and answered.reference not in awaiting
    confirmed = changelist(client, "?county_confirmation=confirmed")
    assert answered.reference in confirmed and req.reference not in confirmed
    assert "Awaiting county confirmation" in changelist(client)


@pytest.mark.parametrize("count", [10, 200])
def test_the_filtered_changelist_runs_a_fixed_number_of_queries(
    client, db, reviewer, lead, count, django_assert_num_queries
):
    from tests.requests_intake.test_admin_queries import CHANGELIST_QUERIES, bulk_requests

    bulk_requests(count, [reviewer, lead])
    now = datetime.now(UTC)
    CountyConfirmation.objects.bulk_create(
        CountyConfirmation(
            request=req,
            role=Role.COUNTY_OFFICE,
            contact_name="Casey Moreno",
            contact_email="cmoreno@coe.example.org",
            agency_name="Sample County Office",
            nonce=f"nonce-{req.pk}",
            expires_at=now + timedelta(days=10),
            reminder_due_at=now + timedelta(days=2),
        )
        for req in AssistanceRequest.objects.all()
    )
    client.force_login(reviewer)
    changelist(client)  # the permission cache and the session, outside the count
    # A filtered list also counts the unfiltered total, beside its own count: two more.
    with django_assert_num_queries(CHANGELIST_QUERIES + 2):
        page = changelist(client, "?county_confirmation=awaiting")
    assert page.count(">Awaiting<") == min(count, 50)


# --- A document with the answer ---------------------------------------------------------------


def test_the_contact_attaches_a_document_the_reviewer_downloads(client, req, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import TINY_PDF

    letter = SimpleUploadedFile("determination.pdf", TINY_PDF, content_type="application/pdf")
    path = link_from_outbox("cmoreno@coe.example.org")
    response = client.post(path, {"answer": "confirm", "document": letter})
    assert response.status_code == 200
    row = confirmation(req)
    assert (row.file_name, row.file_content_type) == ("determination.pdf", "application/pdf")
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_county_document", args=[req.pk, row.pk])
    assert b"".join(client.get(url).streaming_content) == TINY_PDF


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_recorded(client, req):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("letter.pdf", b"just text", content_type="application/pdf")
    response = client.post(
        link_from_outbox("cmoreno@coe.example.org"), {"answer": "confirm", "document": fake}
    )
    assert response.status_code == 400
    assert "Error:" in response.content.decode()
    row = confirmation(req)
    assert row.status == C.PENDING and not row.file
