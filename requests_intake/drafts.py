"""Drafting a request: create a draft, save one section at a time, attest and submit.

Every save names the version of the request the person's page was based on. A save based on an
older version is refused (DraftConflict) and says who saved what, and when, so that nobody's
newer text is overwritten without their knowing; the view keeps the refused text in the form.
"""

from django.db import transaction
from django.utils import timezone

from eligibility import rules

from . import permissions, workflow
from .attachments import attachment_create
from .models import AdditionalContact, AssistanceRequest, ImprovementPartner

S = AssistanceRequest.Status

# The form's sections, in order: slug → title.
SECTIONS = {
    "contacts": "Requesting LEA and contacts",
    "eligibility": "Eligibility under EC 52074",
    "threshold": "CCEE's minimum threshold",
    "need": "Presenting need",
    "agreement": "Costs and the agreement",
    "review": "Review and submit",
}


def section_in_sentence(slug: str) -> str:
    """Return a section's name inside a sentence: "requesting LEA and contacts", "CCEE's …"."""
    name = SECTIONS[slug]
    return name if name[:2].isupper() else name[0].lower() + name[1:]


# The request's own fields that each section edits.
SECTION_FIELDS = {
    "contacts": [
        "superintendent_name",
        "superintendent_email",
        "primary_contact_name",
        "primary_contact_title",
        "primary_contact_email",
        "primary_contact_phone",
    ],
    "eligibility": [
        "lea_type",
        "coe_superintendent_determined_necessary",
        "coe_technical_assistance_provided",
        "geographic_lead_agrees",
        "g1a_details",
        "coe_contact_name",
        "coe_contact_email",
        "geographic_lead_agency",
        "geographic_lead_contact_name",
        "geographic_lead_contact_email",
        "spi_determined_necessary",
        "g1b_details",
        "emergency_apportionment",
        "g2a_details",
        "agrees_to_reimburse",
        "at_risk_of_state_intervention",
        "at_risk_basis",
        "intensive_assistance_criteria_met",
    ],
    "threshold": [
        "estimated_months",
        "partner_county_office",
        "partner_county_office_since",
        "partner_geographic_lead",
        "partner_geographic_lead_since",
    ],
    "need": [
        "request_type",
        "school_cds_codes",
        "da_status",
        "lcap_year",
        "lcap_url",
        "problem_of_practice",
        "student_groups",
        "data_evidence",
        "lcap_goals",
        "strategies_tried",
        "desired_outcomes",
        "progress_indicators",
        "assistance_types",
        "preferred_start_date",
    ],
    "agreement": [
        "budget_min",
        "budget_max",
        "reimbursement_fund",
        "board_approval",
        "board_date",
        "legal_name",
        "signatory_name",
        "signatory_title",
        "signatory_email",
    ],
    "review": [],
}

# Which section holds each field, for linking a submission problem to the field to fix.
FIELD_SECTION = {name: slug for slug, names in SECTION_FIELDS.items() for name in names}
FIELD_SECTION["attested_at"] = "review"
FIELD_SECTION["additional_contacts"] = "contacts"
FIELD_SECTION["partners"] = "threshold"

# The request's fields that hold the facts the eligibility rules read, and the fact each holds.
FACT_OF_FIELD = {
    "lea_type": "lea_type",
    **{name: name for name in rules.BOOLEAN_FIELDS},
    "estimated_months": "estimated_months",
    "partner_county_office": "partners.county_office",
    "partner_geographic_lead": "partners.geographic_lead",
    "partners": "partners.other",
}

# How a person reads each field's name (labels on the form, and in a conflict's explanation).
# The facts are labelled as eligibility labels them, so the LEA and the reviewer read one wording.
FIELD_LABELS = {
    "superintendent_name": "Superintendent (or equivalent)",
    "superintendent_email": "Superintendent's email address",
    "primary_contact_name": "Primary contact's name",
    "primary_contact_title": "Primary contact's title",
    "primary_contact_email": "Primary contact's email address",
    "primary_contact_phone": "Primary contact's phone number",
    "g1a_details": "About the county superintendent's determination",
    "coe_contact_name": "County office contact who can confirm the determination",
    "coe_contact_email": "County office contact's email address",
    "geographic_lead_agency": "Geographic lead agency",
    "geographic_lead_contact_name": "Geographic lead agency contact who can confirm its agreement",
    "geographic_lead_contact_email": "Geographic lead agency contact's email address",
    "g1b_details": "About the State Superintendent's determination",
    "g2a_details": "About the emergency apportionment",
    "agrees_to_reimburse": (
        "We ask for CCEE's help outside those processes and agree to reimburse CCEE's costs"
    ),
    "at_risk_basis": "Why the district is at risk of state intervention",
    "partner_county_office_since": "Working with the county office since",
    "partner_geographic_lead_since": "Working with the geographic lead agency since",
    "problem_of_practice": "Problem of practice",
    "student_groups": "Students affected",
    "data_evidence": "Evidence from data",
    "lcap_goals": "LCAP goals it connects to",
    "strategies_tried": "What has been tried",
    "desired_outcomes": "Desired outcomes",
    "progress_indicators": "How progress would be measured (indicators)",
    "request_type": "Type of request",
    "school_cds_codes": "Schools in scope",
    "da_status": "Differentiated assistance status",
    "lcap_year": "LCAP year",
    "lcap_url": "Link to the LCAP",
    "assistance_types": "Other kinds of assistance that would fit",
    "budget_min": "Expected budget, from (dollars)",
    "budget_max": "Expected budget, up to (dollars)",
    "reimbursement_fund": "Fund or resource that will reimburse CCEE",
    "board_approval": "Must the governing board approve the agreement?",
    "board_date": "Expected board meeting date",
    "legal_name": "Legal name for contracting",
    "signatory_name": "Authorised signatory's name",
    "signatory_title": "Authorised signatory's title",
    "signatory_email": "Authorised signatory's email address",
    "preferred_start_date": "Preferred start date",
    "attested_at": "Attestation",
    "additional_contacts": "Additional contacts",
    **{name: rules.FACT_LABELS[fact] for name, fact in FACT_OF_FIELD.items()},
}

STASH_APPLIED = "We kept what you typed before your session ended."
STASH_TOO_LARGE = (
    "Your session had ended, and what you sent was too large to keep while you sign in: sign in, "
    "then send the section again."
)


class DraftRefused(Exception):
    """The person may not change this request now; the message says why."""


class DraftConflict(Exception):
    """Someone saved the request after the version this save was based on."""

    def __init__(self, *, saved_by, saved_at, changed_fields, current_version):
        self.saved_by = saved_by
        self.saved_at = saved_at
        self.changed_fields = changed_fields
        self.current_version = current_version
        who = saved_by.get_full_name() if saved_by is not None else "Someone else"
        when = timezone.localtime(saved_at)
        what = ", ".join(FIELD_LABELS.get(name, name) for name in changed_fields)
        changed = f" ({what})" if what else ""
        super().__init__(
            f"{who} saved changes to this request at {when:%-I:%M %p} on {when:%b %-d, %Y}"
            f"{changed}, after you opened this page. Nothing of yours was saved, and what you "
            "typed is still in the form below: compare it with their changes, then save again "
            "to keep yours."
        )


def draft_create(*, lea, by) -> AssistanceRequest:
    """Start a draft for an LEA the person is an approved member of, with their contact details."""
    if not permissions.can_act_for_lea(by, lea.pk):
        raise DraftRefused("Only approved members of this LEA can start a request for it.")
    req = AssistanceRequest(
        lea=lea,
        created_by=by,
        last_edited_by=by,
        lea_type=lea.lea_type,
        primary_contact_name=by.full_name,
        primary_contact_title=by.job_title,
        primary_contact_email=by.email,
        primary_contact_phone=by.phone,
        legal_name=lea.name,
    )
    req._history_user = by
    req.save()
    return req


def _changed_since(req: AssistanceRequest, base_version: int) -> list[str]:
    """Return the fields that differ between the version the person saw and the current one."""
    seen = req.history.filter(version=base_version).order_by("-history_date").first()
    if seen is None:
        return []
    return [
        name
        for names in SECTION_FIELDS.values()
        for name in names
        if getattr(seen, name) != getattr(req, name)
    ]


@transaction.atomic
def draft_save_section(
    *,
    assistance_request: AssistanceRequest,
    by,
    section: str,
    values: dict,
    base_version: int,
    contacts: list[dict] | None = None,
    partners: list[dict] | None = None,
    uploads: list[tuple] = (),
) -> AssistanceRequest:
    """Save one section of a draft (or of a request returned for information).

    `values` holds the section's fields; `contacts` / `partners` replace the inline rows when
    given; `uploads` are (evidence_for, CheckedUpload) pairs. Raise DraftConflict when the
    request changed since `base_version`, DraftRefused when the person may not edit it.
    """
    req = AssistanceRequest.objects.select_for_update().get(pk=assistance_request.pk)
    decision = permissions.can_edit_request_as_lea(by, req)
    if not decision:
        raise DraftRefused(decision.reason)
    if req.version != base_version:
        saved_by = req.last_edited_by
        raise DraftConflict(
            saved_by=saved_by,
            saved_at=req.updated_at,
            changed_fields=_changed_since(req, base_version),
            current_version=req.version,
        )
    changed = [name for name in SECTION_FIELDS[section] if name in values]
    for name in changed:
        setattr(req, name, values[name])
    if contacts is not None:
        req.additional_contacts.all().delete()
        AdditionalContact.objects.bulk_create(
            [AdditionalContact(request=req, **row) for row in contacts]
        )
    if partners is not None:
        req.partners.all().delete()
        ImprovementPartner.objects.bulk_create(
            [ImprovementPartner(request=req, **row) for row in partners]
        )
    for evidence_for, checked in uploads:
        attachment_create(assistance_request=req, by=by, evidence_for=evidence_for, checked=checked)
    req.version += 1
    req.last_edited_by = by
    req.last_activity_at = timezone.now()
    req._history_user = by
    # The row is locked: only the section's fields and the edit's stamps are written (an UPDATE
    # of every column of the request was a tenth of a save's time); the history row is whole.
    req.save(
        update_fields=[*changed, "version", "last_edited_by", "last_activity_at", "updated_at"]
    )
    return req


@transaction.atomic
def attachment_delete(*, attachment, by) -> None:
    """Remove evidence from a request the person may still edit (the stored file too)."""
    req = AssistanceRequest.objects.select_for_update().get(pk=attachment.request_id)
    decision = permissions.can_edit_request_as_lea(by, req)
    if not decision:
        raise DraftRefused(decision.reason)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def request_attest_and_submit(*, assistance_request: AssistanceRequest, by) -> AssistanceRequest:
    """Record the person's attestation and submit the draft, together or not at all.

    A repeated submit raises workflow.AlreadySubmitted (the view shows the same confirmation);
    an incomplete draft raises workflow.IncompleteRequest and the attestation is not kept; a
    person who may not act for the LEA gets workflow.TransitionRefused. The attestation is
    written by the submission's own change, under its one lock and permission check.
    """
    return workflow.assistance_request_submit(
        assistance_request=assistance_request, by=by, attest=True
    )
