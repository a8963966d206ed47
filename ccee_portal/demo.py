"""Demo accounts for `make run`: one approved person per role, with published passwords.

They are created only while DEBUG is on, and sign-in refuses them when DEBUG is off.
"""

from pathlib import Path

from django.conf import settings

from core import roles

SAMPLE_DIRECTORY = Path(settings.BASE_DIR) / "tests" / "data" / "cde_directory_sample.txt"
DEMO_LEA_CDS = "01612590000000"  # Oakland Unified, Alameda County

DEMO_ACCOUNTS = [
    {
        "role": roles.LEA_STAFF,
        "email": "lea@demo.ccee.test",
        "password": "demo-lea-2026",
        "full_name": "Dana Lopez",
        "job_title": "Director of Continuous Improvement",
    },
    {
        "role": roles.CCEE_REVIEWER,
        "email": "reviewer@demo.ccee.test",
        "password": "demo-reviewer-2026",
        "full_name": "Riley Chen",
        "job_title": "CCEE Program Analyst",
    },
    {
        "role": roles.CCEE_LEAD,
        "email": "lead@demo.ccee.test",
        "password": "demo-lead-2026",
        "full_name": "Morgan Ortiz",
        "job_title": "CCEE Director",
    },
    {
        "role": roles.ADMINISTRATIVE_AGENT,
        "email": "agent@demo.ccee.test",
        "password": "demo-agent-2026",
        "full_name": "Sam Patel",
        "job_title": "Contracts Officer, Administrative Agent",
    },
    {
        "role": roles.ASSISTANCE_PROVIDER,
        "email": "provider@demo.ccee.test",
        "password": "demo-provider-2026",
        "full_name": "Jordan Reyes",
        "job_title": "Lead Coach, Bay Area Leadership Coaching",
    },
]

# Two demo requests from the demo LEA, written through the same services a person's clicks use:
# one awaiting its 48-hour verification, one approved (so the agent has a scope of work).
DEMO_REQUEST_SECTIONS = {
    "contacts": {
        "superintendent_name": "Dr. Kyla Johnson-Trammell",
        "superintendent_email": "superintendent@demo.ccee.test",
        "primary_contact_phone": "(510) 555-0142",
    },
    "eligibility": {
        "coe_superintendent_determined_necessary": True,
        "coe_technical_assistance_provided": True,
        "geographic_lead_agrees": True,
        "g1a_details": "After differentiated assistance in 2025-26, the Alameda County "
        "Superintendent determined CCEE's help necessary; the geographic lead concurred.",
        # Each receives a confirmation link on submission (mail under var/mail in `make run`).
        "coe_contact_name": "Demo Alameda County Superintendent",
        "coe_contact_email": "county-superintendent@demo.ccee.test",
        "geographic_lead_agency": "Demo Geographic Lead County Office of Education",
        "geographic_lead_contact_name": "Demo Geographic Lead Director",
        "geographic_lead_contact_email": "geographic-lead@demo.ccee.test",
        "at_risk_of_state_intervention": True,
        "at_risk_basis": "English learners and students with disabilities in the lowest "
        "performance level on ELA, math and chronic absenteeism for three years.",
    },
    "threshold": {
        "estimated_months": 9,
        "partner_county_office": True,
        "partner_geographic_lead": True,
    },
    "need": {
        "problem_of_practice": "Grade 3-5 English learners are not reaching reading proficiency.",
        "student_groups": "English learners in grades 3-5 at twelve elementary schools.",
        "data_evidence": "CAASPP ELA 2025: 11% of English learners met the standard.",
        "lcap_goals": "LCAP Goal 1: every student reads at grade level by the end of grade 3.",
        "strategies_tried": "Tier 2 reading intervention; designated ELD schedules.",
        "desired_outcomes": "More English learners reading at grade level and reclassified.",
        "progress_indicators": "ELPAC levels and reading diagnostics each trimester.",
        "assistance_types": ["facilitated_instructional_review"],
        "request_type": "facilitated_instructional_review",
        "school_cds_codes": ["01612596001788", "01612596001002"],
        "da_status": "eligible",
        "lcap_year": "2025-26",
        "lcap_url": "https://www.ousd.org/lcap",
    },
    "agreement": {
        "board_approval": "not_required",
        "legal_name": "Oakland Unified School District",
        "signatory_name": "Dana Lopez",
        "signatory_title": "Director of Continuous Improvement",
        "signatory_email": "lea@demo.ccee.test",
    },
}
