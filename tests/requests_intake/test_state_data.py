"""Facts verified from the state's data: on submission, in the admin, and while drafting."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from eligibility.models import AssistanceStatusRecord, EmergencyApportionment
from requests_intake import state_data, workflow
from requests_intake.models import AssistanceRequest
from tests.factories import DraftRequestFactory, submitted_request

pytestmark = pytest.mark.django_db

THREE_SUBGROUPS = {"AA": [4, 5], "EL": [4, 6], "SWD": [5, 6], "HI": [4]}
ONE_SUBGROUP = {"AA": [4, 5], "EL": [4], "SWD": []}


def store_years(lea, years, subgroups):
    for year in years:
        AssistanceStatusRecord.objects.create(
            cds_code=lea.cds_code, reporting_year=year, lea_name=lea.name, subgroups=subgroups
        )


def without_referral(**overrides):
    """A complete draft from which no referral follows, so the data decides the pathway."""
    return {
        "coe_superintendent_determined_necessary": False,
        "coe_technical_assistance_provided": False,
        "geographic_lead_agrees": False,
        "at_risk_of_state_intervention": False,
        **overrides,
    }


def test_a_district_the_data_shows_meeting_52072a_gets_the_verified_fact_and_pathway(
    lea, lea_staff
):
    store_years(lea, (2023, 2024, 2025), THREE_SUBGROUPS)

    req = submitted_request(lea=lea, created_by=lea_staff, **without_referral())

    req.refresh_from_db()
    assert req.intensive_assistance_criteria_met is False  # nobody typed it
    assert req.data_facts == {
        "intensive_assistance_criteria_met": {
            "value": True,
            "source": "CDE LCFF Assistance Status 2023, 2024, 2025",
        }
    }
    assert req.verified_facts["intensive_assistance_criteria_met"] is True
    assert req.verified_determination["pathways"] == ["52072a"]
    assert (req.pathways, req.cost_basis) == ("52072a", "state_funded")
    assert req.data_mismatch is True  # the LEA left the box unchecked; the data says yes


def test_a_district_attesting_52072a_that_the_data_contradicts_is_flagged(lea, lea_staff):
    store_years(lea, (2024, 2025), THREE_SUBGROUPS)
    store_years(lea, (2023,), ONE_SUBGROUP)

    req = submitted_request(
        lea=lea,
        created_by=lea_staff,
        **without_referral(intensive_assistance_criteria_met=True, agrees_to_reimburse=True),
    )

    req.refresh_from_db()
    assert req.data_mismatch is True
    assert req.determination["pathways"] == ["52072a"]  # what the LEA attested
    assert req.verified_determination["pathways"] == ["g3"]  # what the data supports
    assert req.pathways == "g3"


def test_a_district_whose_attestation_agrees_with_the_data_is_not_flagged(lea, lea_staff):
    store_years(lea, (2023, 2024, 2025), THREE_SUBGROUPS)
    req = submitted_request(
        lea=lea, created_by=lea_staff, **without_referral(intensive_assistance_criteria_met=True)
    )
    req.refresh_from_db()
    assert req.data_mismatch is False
    assert req.pathways == "52072a"


def test_without_any_stored_year_the_facts_stay_the_lea_s_word(lea, lea_staff):
    req = submitted_request(lea=lea, created_by=lea_staff)
    req.refresh_from_db()
    assert req.data_facts is None
    assert req.verified_facts is None
    assert req.data_mismatch is False


def test_the_data_s_52072a_answer_lets_a_request_without_the_agreement_be_submitted(
    client, lea, lea_staff
):
    store_years(lea, (2023, 2024, 2025), THREE_SUBGROUPS)
    draft = DraftRequestFactory(
        lea=lea, created_by=lea_staff, attested_at=None, attested_by=None, **without_referral()
    )
    client.force_login(lea_staff)
    review = reverse("requests_intake:request_section", args=[draft.pk, "review"])

    response = client.post(review, {"attest": "on", "attested_name": lea_staff.full_name})

    assert response.status_code == 302
    assert AssistanceRequest.objects.get(pk=draft.pk).status == AssistanceRequest.Status.SUBMITTED


# --- the reviewer's override -----------------------------------------------------------------


def flagged_request(lea, lea_staff):
    store_years(lea, (2023, 2024, 2025), THREE_SUBGROUPS)
    return submitted_request(lea=lea, created_by=lea_staff, **without_referral())


def test_a_reviewer_differing_from_the_data_must_give_a_reason(lea, lea_staff, reviewer):
    req = flagged_request(lea, lea_staff)
    facts = {**req.verified_facts, "intensive_assistance_criteria_met": False}

    with pytest.raises(workflow.TransitionRefused, match="The state's data says otherwise"):
        workflow.assistance_request_record_verified_facts(
            assistance_request=req, by=reviewer, facts=facts
        )
    req.refresh_from_db()
    assert req.verified_facts["intensive_assistance_criteria_met"] is True

    workflow.assistance_request_record_verified_facts(
        assistance_request=req,
        by=reviewer,
        facts=facts,
        override_reason="The 2023 file was corrected by CDE after publication.",
    )
    req.refresh_from_db()
    assert req.verified_facts["intensive_assistance_criteria_met"] is False
    assert req.data_override_reason == "The 2023 file was corrected by CDE after publication."
    assert req.pathways == "g3"


# --- the reviewers' admin --------------------------------------------------------------------


def test_the_changelist_and_change_view_flag_the_contradiction(client, lea, lea_staff, reviewer):
    req = flagged_request(lea, lea_staff)
    agreeing = submitted_request(lea=lea, created_by=lea_staff)
    AssistanceRequest.objects.filter(pk=agreeing.pk).update(data_mismatch=False)
    client.force_login(reviewer)

    changelist = client.get(
        reverse("admin:requests_intake_assistancerequest_changelist"), {"data_mismatch__exact": 1}
    )
    page = client.get(
        reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])
    ).content.decode()

    assert [r.pk for r in changelist.context["cl"].result_list] == [req.pk]
    assert "Contradicts the LEA" in changelist.content.decode()
    assert "The state's data contradicts the LEA's attestation." in page
    assert "CDE LCFF Assistance Status 2023, 2024, 2025" in page
    assert "<strong>Contradicts</strong>" in page


# --- while drafting ------------------------------------------------------------------------


def test_the_lea_sees_what_the_data_says_and_the_preview_uses_it(client, lea, lea_staff):
    store_years(lea, (2023, 2024, 2025), THREE_SUBGROUPS)
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff, **without_referral())
    client.force_login(lea_staff)

    page = client.get(
        reverse("requests_intake:request_section", args=[draft.pk, "eligibility"])
    ).content.decode()
    preview = client.post(
        reverse("requests_intake:eligibility_preview", args=[draft.pk]),
        {"section": "eligibility", "version": draft.version},
    ).content.decode()

    assert f"What the state's data says about {lea.name}" in page
    assert "(source: CDE LCFF Assistance Status 2023, 2024, 2025)" in page
    assert "Intensive assistance: CCEE determines whether its assistance is necessary" in preview
    assert "Requested by the LEA, with reimbursement" not in preview


# --- emergency apportionments (EC 41320), listed by hand -------------------------------------


def list_apportionment(cds_code, status="received", name="A district"):
    return EmergencyApportionment.objects.create(
        cds_code=cds_code,
        lea_name=name,
        apportionment_date=date(2024, 6, 3),
        amount=Decimal("25000000.00"),
        status=status,
        source_url="https://www.cde.ca.gov/fg/fo/emergencyloans.asp",
    )


def test_a_listed_apportionment_verifies_g2a_without_anyone_typing_it(lea, lea_staff):
    list_apportionment(lea.cds_code)

    req = submitted_request(lea=lea, created_by=lea_staff)

    req.refresh_from_db()
    fact = req.data_facts["emergency_apportionment"]
    assert fact["value"] is True
    assert fact["source"].startswith("CDE emergency apportionments (EC 41320)")
    assert "2024-06-03 (https://www.cde.ca.gov/fg/fo/emergencyloans.asp)" in fact["source"]
    assert req.emergency_apportionment is False
    assert req.data_mismatch is True
    assert "g2A" in req.verified_determination["pathways"]
    assert req.cost_basis == "shared_cost"


def test_an_lea_absent_from_a_maintained_list_is_verified_as_without_one(lea, lea_staff):
    list_apportionment("01999990000000")

    req = submitted_request(
        lea=lea,
        created_by=lea_staff,
        emergency_apportionment=True,
        g2a_details="Received in 2024.",
    )

    req.refresh_from_db()
    assert req.data_facts["emergency_apportionment"]["value"] is False
    assert req.data_mismatch is True
    assert "g2A" in req.determination["pathways"]
    assert "g2A" not in req.verified_determination["pathways"]


def test_an_authorized_apportionment_not_yet_received_does_not_count(lea, lea_staff):
    list_apportionment(lea.cds_code, status="authorized")
    req = submitted_request(lea=lea, created_by=lea_staff)
    req.refresh_from_db()
    assert req.data_facts["emergency_apportionment"]["value"] is False
    assert req.data_mismatch is False


def test_an_empty_list_answers_nothing(lea, lea_staff):
    req = submitted_request(
        lea=lea, created_by=lea_staff, emergency_apportionment=True, g2a_details="In 2024."
    )
    req.refresh_from_db()
    assert req.data_facts is None


def test_an_administrator_maintains_the_list_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:eligibility_emergencyapportionment_add"),
        {
            "cds_code": "01612590000000",
            "lea_name": "Oakland Unified",
            "apportionment_date": "2003-06-04",
            "amount": "100000000.00",
            "status": "repaid",
            "source_url": "https://www.cde.ca.gov/fg/fo/emergencyloans.asp",
        },
    )
    assert response.status_code == 302
    listed = EmergencyApportionment.objects.get()
    assert (listed.lea_name, listed.status) == ("Oakland Unified", "repaid")
    page = admin_client.get(reverse("admin:eligibility_emergencyapportionment_changelist"))
    assert "Oakland Unified" in page.content.decode()


# --- checking again after an import ---------------------------------------------------------


def test_a_reviewer_checks_a_request_against_data_imported_after_its_submission(
    client, lea, lea_staff, reviewer
):
    req = submitted_request(
        lea=lea, created_by=lea_staff, **without_referral(agrees_to_reimburse=True)
    )
    assert req.data_facts is None
    store_years(lea, (2023, 2024, 2025), THREE_SUBGROUPS)
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_check_state_data", args=[req.pk])

    response = client.post(url, {"triage_version": req.triage_version}, follow=True)

    req.refresh_from_db()
    assert req.data_facts["intensive_assistance_criteria_met"]["value"] is True
    assert req.verified_facts["intensive_assistance_criteria_met"] is True
    assert req.pathways == "52072a"
    assert req.data_mismatch is True
    assert req.history.first().history_user == reviewer
    assert "checked against the state&#x27;s data as stored now" in response.content.decode()


def test_checking_again_keeps_a_reviewer_s_reasoned_override(lea, lea_staff, reviewer):
    req = flagged_request(lea, lea_staff)
    facts = {**req.verified_facts, "intensive_assistance_criteria_met": False}
    workflow.assistance_request_record_verified_facts(
        assistance_request=req, by=reviewer, facts=facts, override_reason="CDE corrected 2023."
    )

    workflow.assistance_request_check_state_data(assistance_request=req, by=reviewer)

    req.refresh_from_db()
    assert req.verified_facts["intensive_assistance_criteria_met"] is False
    assert req.data_override_reason == "CDE corrected 2023."


def test_lea_staff_may_not_check_the_state_data(lea, lea_staff):
    req = submitted_request(lea=lea, created_by=lea_staff)
    store_years(lea, (2023, 2024, 2025), THREE_SUBGROUPS)
    with pytest.raises(workflow.TransitionRefused):
        workflow.assistance_request_check_state_data(assistance_request=req, by=lea_staff)
    req.refresh_from_db()
    assert req.data_facts is None


def test_what_the_state_s_data_holds_is_asked_in_one_statement(lea, django_assert_num_queries):
    # Nothing stored: one statement answers that neither the years nor the list hold anything.
    with django_assert_num_queries(1):
        assert state_data.data_facts_for(lea) == {}
    store_years(lea, [2024, 2025], THREE_SUBGROUPS)
    list_apportionment(lea.cds_code)
    # Both stored: that statement, then the LEA's years and its apportionments.
    with django_assert_num_queries(3):
        found = state_data.data_facts_for(lea)
    assert set(found) == {"intensive_assistance_criteria_met", "emergency_apportionment"}
    assert found["emergency_apportionment"]["value"] is True
