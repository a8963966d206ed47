"""Submitting, confirming, withdrawing and resubmitting a request from the LEA's pages."""

import threading
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from eligibility.models import EmergencyApportionment
from notices.models import Notice
from requests_intake.models import (
    AssistanceRequest,
    ReferenceCounter,
    RequestMessage,
    StatusChange,
)
from requests_intake.notice_kinds import K
from requests_intake.workflow import (
    assistance_request_request_information,
    assistance_request_verify,
)
from tests.factories import DraftRequestFactory, MembershipFactory

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")
S = AssistanceRequest.Status


def review_url(req):
    return reverse("requests_intake:request_section", args=[req.pk, "review"])


def submitted_url(req):
    return reverse("requests_intake:request_submitted", args=[req.pk])


def attest(user):
    return {"attest": "on", "attested_name": user.full_name}


@pytest.fixture
def draft(lea, lea_staff):
    # The factory's attestation is cleared: the person attests on the review page.
    return DraftRequestFactory(lea=lea, created_by=lea_staff, attested_at=None, attested_by=None)


def test_submitting_records_the_attestation_reference_and_receipt(client, draft, lea_staff):
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=PACIFIC), tick=False):
        client.force_login(lea_staff)
        response = client.post(review_url(draft), attest(lea_staff))
        # The confirmation is read in the same frozen clock: by the real one, the session is
        # long past SESSION_COOKIE_AGE and the page is a redirect to the login.
        page = client.get(response.url).content.decode()

    assert response.url == submitted_url(draft)
    req = AssistanceRequest.objects.get(pk=draft.pk)
    assert req.status == S.SUBMITTED
    assert req.reference == "RFA-2026-0001"
    assert req.attested_by == lea_staff
    assert req.attested_at == req.received_at
    assert req.submitted_by == lea_staff
    assert req.determination["rules_version"] == req.rules_version
    assert "RFA-2026-0001" in page
    assert "Monday, November 23, 2026, 10:00 AM PST (Pacific time)" in page
    assert "Wednesday, November 25, 2026, 10:00 AM PST (Pacific time), 48 hours after" in page


def test_the_attestation_is_signed_with_the_person_s_own_name(client, draft, lea_staff):
    client.force_login(lea_staff)

    response = client.post(review_url(draft), {"attest": "on", "attested_name": "Someone Else"})

    assert response.status_code == 400
    assert f"Type your name as it appears on your account: {lea_staff.full_name}." in (
        response.content.decode()
    )
    assert AssistanceRequest.objects.get(pk=draft.pk).status == S.DRAFT


def test_an_unchecked_attestation_is_explained(client, draft, lea_staff):
    client.force_login(lea_staff)

    page = client.post(review_url(draft), {"attested_name": lea_staff.full_name}).content.decode()

    assert "Check the box to confirm the attestation." in page
    assert 'href="#id_attest"' in page


def test_an_incomplete_draft_lists_each_problem_and_keeps_no_attestation(client, lea, lea_staff):
    draft = DraftRequestFactory(
        lea=lea,
        created_by=lea_staff,
        attested_at=None,
        attested_by=None,
        problem_of_practice="",
        estimated_months=None,
    )
    client.force_login(lea_staff)

    response = client.post(review_url(draft), attest(lea_staff))

    page = response.content.decode()
    assert response.status_code == 400
    need = reverse("requests_intake:request_section", args=[draft.pk, "need"])
    threshold = reverse("requests_intake:request_section", args=[draft.pk, "threshold"])
    assert f'href="{need}?check=1#id_problem_of_practice"' in page
    assert f'href="{threshold}?check=1#id_estimated_months"' in page
    req = AssistanceRequest.objects.get(pk=draft.pk)
    assert req.status == S.DRAFT
    assert req.attested_at is None
    assert req.reference is None


def test_posting_submit_twice_makes_one_submission(client, draft, lea_staff):
    client.force_login(lea_staff)

    first = client.post(review_url(draft), attest(lea_staff))
    second = client.post(review_url(draft), attest(lea_staff))

    assert first.url == second.url == submitted_url(draft)
    assert StatusChange.objects.filter(request=draft).count() == 1
    assert AssistanceRequest.objects.get(pk=draft.pk).reference.endswith("-0001")
    assert ReferenceCounter.objects.count() == 1
    receipts = Notice.objects.filter(request=draft, kind=K.RECEIPT)
    assert receipts.count() == len({n.recipient_email for n in receipts})
    assert receipts.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_make_one_submission(lea, lea_staff):
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff, attested_at=None, attested_by=None)
    start = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            browser = Client()
            browser.force_login(lea_staff)
            start.wait()
            response = browser.post(review_url(draft), attest(lea_staff))
            outcomes.append((response.status_code, response.get("Location")))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == [(302, submitted_url(draft))] * 2
    req = AssistanceRequest.objects.get(pk=draft.pk)
    assert req.reference.endswith("-0001")
    assert StatusChange.objects.filter(request=req).count() == 1
    assert ReferenceCounter.objects.count() == 1
    receipts = Notice.objects.filter(request=req, kind=K.RECEIPT)
    assert receipts.count() == len({n.recipient_email for n in receipts}) > 0


def test_the_reference_year_is_the_pacific_year_of_receipt(client, lea, lea_staff):
    late = DraftRequestFactory(lea=lea, created_by=lea_staff, attested_at=None, attested_by=None)
    early = DraftRequestFactory(lea=lea, created_by=lea_staff, attested_at=None, attested_by=None)
    # 23:59 on New Year's Eve in California is already January 1 in UTC.
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, tzinfo=PACIFIC), tick=False):
        client.force_login(lea_staff)
        client.post(review_url(late), attest(lea_staff))
        late_page = client.get(submitted_url(late)).content.decode()
    with time_machine.travel(datetime(2027, 1, 1, 0, 1, tzinfo=PACIFIC), tick=False):
        client.force_login(lea_staff)
        client.post(review_url(early), attest(lea_staff))
        early_page = client.get(submitted_url(early)).content.decode()

    assert AssistanceRequest.objects.get(pk=late.pk).reference == "RFA-2026-0001"
    assert AssistanceRequest.objects.get(pk=early.pk).reference == "RFA-2027-0001"
    assert "RFA-2026-0001" in late_page
    assert "Thursday, December 31, 2026, 11:59 PM PST" in late_page
    assert "Saturday, January 2, 2027, 11:59 PM PST" in late_page
    assert "RFA-2027-0001" in early_page
    assert "Friday, January 1, 2027, 12:01 AM PST" in early_page


def test_references_run_on_in_sequence_within_a_year(client, lea, lea_staff):
    references = []
    for _ in range(3):
        draft = DraftRequestFactory(
            lea=lea, created_by=lea_staff, attested_at=None, attested_by=None
        )
        with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=PACIFIC), tick=False):
            client.force_login(lea_staff)
            client.post(review_url(draft), attest(lea_staff))
        references.append(AssistanceRequest.objects.get(pk=draft.pk).reference)

    assert references == ["RFA-2026-0001", "RFA-2026-0002", "RFA-2026-0003"]


def test_the_confirmation_of_a_draft_goes_back_to_review(client, draft, lea_staff):
    client.force_login(lea_staff)

    assert client.get(submitted_url(draft)).url == review_url(draft)


def test_the_review_step_is_its_own_view_at_the_sections_review_address(client, draft, lea_staff):
    own = reverse("requests_intake:request_review", args=[draft.pk])
    assert own == review_url(draft)
    assert resolve(own).url_name == "request_review"
    client.force_login(lea_staff)

    page = client.get(own).content.decode()

    assert "I attest that the information in this request is accurate" in page
    assert (
        client.get(
            reverse("requests_intake:request_section", args=[draft.pk, "contacts"])
        ).status_code
        == 200
    )


def test_an_expired_session_signs_in_again_and_comes_back_to_the_review_step(
    client, draft, lea_staff
):
    response = client.post(review_url(draft), attest(lea_staff))

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={review_url(draft)}"
    assert AssistanceRequest.objects.get(pk=draft.pk).status == S.DRAFT


def test_another_lea_cannot_submit_or_see_the_confirmation(client, draft, other_lea_staff):
    client.force_login(other_lea_staff)

    assert client.post(review_url(draft), attest(other_lea_staff)).status_code == 404
    assert client.get(submitted_url(draft)).status_code == 404
    assert AssistanceRequest.objects.get(pk=draft.pk).status == S.DRAFT


def submit(client, draft, user):
    client.force_login(user)
    client.post(review_url(draft), attest(user))
    return AssistanceRequest.objects.get(pk=draft.pk)


def test_the_lea_withdraws_a_request_before_approval(client, draft, lea_staff):
    req = submit(client, draft, lea_staff)

    response = client.post(
        reverse("requests_intake:request_withdraw", args=[req.pk]),
        {"reason": "The board chose another provider."},
        follow=True,
    )

    req.refresh_from_db()
    assert req.status == S.WITHDRAWN
    assert req.withdrawn_at is not None
    change = StatusChange.objects.get(request=req, to_status=S.WITHDRAWN)
    assert change.reason == "The board chose another provider."
    page = response.content.decode()
    assert f"{req.reference} is withdrawn" in page
    assert "Withdraw the request</button>" not in page


def test_another_lea_cannot_withdraw(client, draft, lea_staff, other_lea_staff):
    req = submit(client, draft, lea_staff)
    client.force_login(other_lea_staff)

    response = client.post(reverse("requests_intake:request_withdraw", args=[req.pk]))

    assert response.status_code == 404
    assert AssistanceRequest.objects.get(pk=req.pk).status == S.SUBMITTED


def test_the_lea_answers_a_request_for_information_and_resubmits(
    client, draft, lea_staff, reviewer
):
    req = submit(client, draft, lea_staff)
    req = assistance_request_verify(assistance_request=req, by=reviewer)
    assistance_request_request_information(
        assistance_request=req,
        by=reviewer,
        message="Please add the 2025 Dashboard results.",
        sections=["need"],
    )
    detail = client.get(reverse("requests_intake:request_detail", args=[req.pk])).content.decode()
    need_url = reverse("requests_intake:request_section", args=[req.pk, "need"])
    assert "Please add the 2025 Dashboard results." in detail
    assert f'href="{need_url}"' in detail
    assert "You: answer CCEE&#x27;s questions" in detail

    section_page = client.get(need_url).content.decode()
    assert "CCEE asked for more information" in section_page
    assert "Please add the 2025 Dashboard results." in section_page

    req.refresh_from_db()
    edit = client.post(
        need_url,
        {
            "version": req.version,
            "problem_of_practice": req.problem_of_practice,
            "student_groups": req.student_groups,
            "data_evidence": "Dashboard 2025: red for English learners in ELA and math.",
            "desired_outcomes": req.desired_outcomes,
            "progress_indicators": req.progress_indicators,
            "assistance_types": req.assistance_types,
            "request_type": req.request_type,
            "da_status": req.da_status,
            "lcap_year": req.lcap_year,
            "lcap_url": req.lcap_url,
        },
    )
    assert edit.status_code == 302
    response = client.post(
        reverse("requests_intake:request_resubmit", args=[req.pk]),
        {"reply": "Added the Dashboard results to the evidence from data."},
    )

    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == S.UNDER_REVIEW
    assert req.data_evidence.startswith("Dashboard 2025")
    reply = RequestMessage.objects.get(request=req, kind=RequestMessage.Kind.LEA_REPLY)
    assert reply.author == lea_staff
    assert reply.body == "Added the Dashboard results to the evidence from data."


def test_a_resubmission_needs_a_reply(client, draft, lea_staff, reviewer):
    req = submit(client, draft, lea_staff)
    req = assistance_request_verify(assistance_request=req, by=reviewer)
    assistance_request_request_information(assistance_request=req, by=reviewer, message="More.")

    response = client.post(reverse("requests_intake:request_resubmit", args=[req.pk]), {})

    assert response.status_code == 400
    assert "Write a reply that says what you changed." in response.content.decode()
    assert AssistanceRequest.objects.get(pk=req.pk).status == S.INFORMATION_REQUESTED


def test_a_colleague_submits_a_draft_started_by_someone_else(client, draft, lea):
    colleague = MembershipFactory(lea=lea).user

    req = submit(client, draft, colleague)

    assert req.status == S.SUBMITTED
    assert req.submitted_by == colleague
    assert req.attested_by == colleague


def g3_draft(lea, lea_staff, **overrides):
    """A complete draft from which no referral follows: only (h) is claimed, so (g)(3) applies."""
    return DraftRequestFactory(
        lea=lea,
        created_by=lea_staff,
        attested_at=None,
        attested_by=None,
        coe_superintendent_determined_necessary=False,
        coe_technical_assistance_provided=False,
        geographic_lead_agrees=False,
        **overrides,
    )


def test_a_g3_request_is_not_submitted_without_the_reimbursement_agreement(client, lea, lea_staff):
    draft = g3_draft(lea, lea_staff)
    client.force_login(lea_staff)

    response = client.post(review_url(draft), attest(lea_staff))

    page = response.content.decode()
    assert response.status_code == 400
    eligibility = reverse("requests_intake:request_section", args=[draft.pk, "eligibility"])
    assert f'href="{eligibility}?check=1#id_agrees_to_reimburse"' in page
    assert "under EC 52074(g)(3) your agency must reimburse CCEE" in page
    req = AssistanceRequest.objects.get(pk=draft.pk)
    assert req.status == S.DRAFT
    assert req.reference is None
    assert req.determination is None


def test_a_g3_request_with_the_reimbursement_agreement_is_submitted(client, lea, lea_staff):
    draft = g3_draft(lea, lea_staff, agrees_to_reimburse=True)
    client.force_login(lea_staff)

    response = client.post(review_url(draft), attest(lea_staff))

    assert response.url == submitted_url(draft)
    req = AssistanceRequest.objects.get(pk=draft.pk)
    assert req.status == S.SUBMITTED
    assert req.determination["pathways"] == ["g3"]
    assert req.cost_basis == "reimbursable"
    codes = {f["code"] for f in req.determination["findings"]}
    assert "REIMBURSEMENT_REQUIRED" in codes
    assert "REIMBURSEMENT_NOT_AGREED" not in codes


def test_a_referred_request_needs_no_reimbursement_agreement(client, draft, lea_staff):
    assert draft.agrees_to_reimburse is False
    client.force_login(lea_staff)

    response = client.post(review_url(draft), attest(lea_staff))

    assert response.url == submitted_url(draft)
    assert AssistanceRequest.objects.get(pk=draft.pk).determination["pathways"] == ["g1A"]


def test_a_district_attesting_the_52072a_criteria_is_submitted_under_52072a(client, lea, lea_staff):
    draft = g3_draft(
        lea,
        lea_staff,
        intensive_assistance_criteria_met=True,
        at_risk_of_state_intervention=False,
    )
    client.force_login(lea_staff)

    response = client.post(review_url(draft), attest(lea_staff))

    assert response.url == submitted_url(draft)
    req = AssistanceRequest.objects.get(pk=draft.pk)
    assert req.pathways == "52072a"
    assert req.cost_basis == "state_funded"
    assert req.priority_tier == 2


def test_a_submission_locks_checks_and_reads_the_state_data_once(client, draft, lea_staff):
    # The draft's LEA is on the emergency apportionments list: the state's data answers a fact.
    EmergencyApportionment.objects.create(
        cds_code=draft.lea.cds_code,
        lea_name=draft.lea.name,
        apportionment_date=date(2024, 6, 3),
        amount=Decimal("25000000.00"),
        status="received",
        source_url="https://www.cde.ca.gov/fg/fo/emergencyloans.asp",
    )
    client.force_login(lea_staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(review_url(draft), attest(lea_staff))
    assert response.url == submitted_url(draft)
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("FOR UPDATE" in s for s in sql) == 1
    # The row is read twice: before the lock only its status and reference, then whole, locked.
    reads = [s for s in sql if s.startswith('SELECT "requests_intake_assistancerequest"."id"')]
    assert len(reads) == 2 and "FOR UPDATE" in reads[1]
    assert '"requests_intake_assistancerequest"."status"' in reads[0]
    assert '"requests_intake_assistancerequest"."problem_of_practice"' not in reads[0]
    assert '"requests_intake_localeducationalagency"' not in reads[0]
    # The list's "any row?" and the LEA's rows: read once, for the checks and the verified facts.
    assert sum('FROM "eligibility_emergencyapportionment"' in s for s in sql) == 2
    assert sum('FROM "requests_intake_leamembership"' in s and "SELECT 1" in s for s in sql) == 1
    assert sum(s.startswith('UPDATE "requests_intake_assistancerequest"') for s in sql) == 1
    req = AssistanceRequest.objects.get(pk=draft.pk)
    assert req.attested_by == lea_staff and req.reference
    assert req.data_facts["emergency_apportionment"]["value"] is True
