"""What a request needs before it can be submitted, as messages next to the fields."""

from django.utils import timezone

from eligibility import rules

from . import state_data
from .models import AssistanceRequest, BoardApproval, EvidenceFor

# (g)(3) is an agreement to pay: a request that falls to it is not submitted without one.
REIMBURSEMENT_NOT_AGREED = (
    "No referral applies, so under EC 52074(g)(3) your agency must reimburse CCEE for the cost "
    "of its services: check the reimbursement agreement, or the referral that applies."
)

REQUIRED_TEXT = {
    "superintendent_name": "Name the superintendent or equivalent.",
    "primary_contact_name": "Name the primary contact.",
    "primary_contact_title": "Give the primary contact's title.",
    "primary_contact_email": "Give the primary contact's email address.",
    "primary_contact_phone": "Give the primary contact's phone number.",
    "problem_of_practice": "Describe the problem of practice.",
    "student_groups": "Say which students the problem of practice affects.",
    "data_evidence": "Give the evidence from data.",
    "desired_outcomes": "Describe the outcomes you want.",
    "progress_indicators": "Say how progress would be measured.",
    "request_type": "Choose the type of request.",
    "da_status": "Choose your differentiated assistance status, or Not sure.",
    "lcap_year": "Give the year of the LCAP this work supports, such as 2025-26.",
    "legal_name": "Give your agency's legal name for contracting.",
    "signatory_name": "Name the person authorised to sign the agreement.",
    "signatory_title": "Give the authorised signatory's title.",
    "signatory_email": "Give the authorised signatory's email address.",
    "board_approval": "Say whether your governing board must approve the agreement.",
}


def submission_problems(
    req: AssistanceRequest, *, data_facts: dict | None = None
) -> dict[str, list[str]]:
    """Return {field: [messages]} for everything that stops the request being submitted.

    `data_facts` is the state's data for the LEA (state_data.data_facts_for) when the caller
    has read it already; otherwise it is read here.
    """
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    for field, message in REQUIRED_TEXT.items():
        if not str(getattr(req, field) or "").strip():
            add(field, message)
    if req.estimated_months is None:
        add("estimated_months", "Estimate how many months the presenting need will take.")
    _contract_problems(req, add)
    if req.preferred_start_date and req.preferred_start_date < timezone.localdate():
        add(
            "preferred_start_date",
            "The preferred start date is in the past: choose today or a later date.",
        )
    if data_facts is None:
        data_facts = state_data.data_facts_for(req.lea)
    _eligibility_problems(req, add, data_facts)
    if req.attested_at is None:
        add("attested_at", "Confirm the attestation before submitting.")
    return problems


def _contract_problems(req: AssistanceRequest, add) -> None:
    """Add what the agreement needs: the LCAP, the board's date, and for (g)(3) who pays."""
    if not req.lcap_url and not any(
        a.evidence_for == EvidenceFor.LCAP for a in req.attachments.all()
    ):
        add("lcap_url", "Give a link to your LCAP, or upload it.")
    if req.board_approval == BoardApproval.REQUIRED and req.board_date is None:
        add("board_date", "Give the date the board is expected to approve the agreement.")
    if req.board_date and req.board_date < timezone.localdate():
        add("board_date", "The board meeting date is in the past: give the meeting to come.")
    if req.agrees_to_reimburse:
        if not req.reimbursement_fund.strip():
            add(
                "reimbursement_fund",
                "Under EC 52074(g)(3) your agency reimburses CCEE: name the fund or resource.",
            )
        if req.budget_max is None:
            add("budget_max", "Give the most your agency expects to spend on this assistance.")


def _eligibility_problems(req: AssistanceRequest, add, data_facts: dict) -> None:
    """Add what section 2 (eligibility) lacks: a condition claimed, its details, the agreement."""
    claimed_any = any(
        [
            req.coe_superintendent_determined_necessary,
            req.spi_determined_necessary,
            req.emergency_apportionment,
            req.agrees_to_reimburse,
            req.at_risk_of_state_intervention,
            req.intensive_assistance_criteria_met,
        ]
    )
    # The facts the state's data answers count as claimed, and decide the pathway.
    facts = state_data.with_data(req.eligibility_facts(), data_facts)
    claimed_any = (
        claimed_any
        or facts["intensive_assistance_criteria_met"]
        or facts["emergency_apportionment"]
    )
    if not claimed_any:
        add(
            "coe_superintendent_determined_necessary",
            "Check at least one condition of EC 52074 (g) or (h); a request outside the "
            "referral processes is made under (g)(3) with an agreement to reimburse CCEE.",
        )
    if req.coe_superintendent_determined_necessary and not req.g1a_details.strip():
        add("g1a_details", "Describe the county superintendent's determination.")
    if req.spi_determined_necessary and not req.g1b_details.strip():
        add("g1b_details", "Describe the State Superintendent's determination.")
    if req.emergency_apportionment and not req.g2a_details.strip():
        add("g2a_details", "Describe the emergency apportionment.")
    if req.at_risk_of_state_intervention and not req.at_risk_basis.strip():
        add("at_risk_basis", "Give the basis for being at risk of state intervention.")
    if claimed_any and _reimbursement_not_agreed(req, facts):
        add("agrees_to_reimburse", REIMBURSEMENT_NOT_AGREED)


def _reimbursement_not_agreed(req: AssistanceRequest, facts: dict) -> bool:
    """Return whether the rules put the request under (g)(3) without the LEA's agreement to pay.

    The rules need the months estimate; until it is given, its own problem is listed instead.
    """
    if req.estimated_months is None:
        return False
    determination = rules.evaluate(facts, directory={"lea_type": req.lea.lea_type})
    return "REIMBURSEMENT_NOT_AGREED" in determination.codes
