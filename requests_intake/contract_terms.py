"""What the contract needs, as the LEA gave it: request type, schools, LCAP, costs, the party.

One place says how each of these fields reads (the intake summary, its PDF copy, the reviewers'
admin and the drafted scope of work all call it), so a value reads the same wherever it is shown.
"""

import re

from django.utils import dateformat

from .drafts import FIELD_LABELS
from .models import AssistanceType, BoardApproval, DaStatus, School

# The fields this module shows, in the order the summary lists them: (section, field names).
NEED_FIELDS = ["request_type", "school_cds_codes", "da_status", "lcap_year", "lcap_url"]
AGREEMENT_FIELDS = [
    "budget_min",
    "budget_max",
    "reimbursement_fund",
    "board_approval",
    "board_date",
    "legal_name",
    "signatory_name",
    "signatory_title",
    "signatory_email",
]
CDS_IN_TEXT = re.compile(r"\b\d{14}\b")


def dollars(value: int | None) -> str:
    return f"${value:,}" if value is not None else ""


def long_date(value) -> str:
    return dateformat.format(value, "F j, Y") if value else ""


def schools_by_code(codes) -> dict[str, School]:
    """Return {CDS code: School} for the codes given, in one query."""
    codes = list(codes or [])
    if not codes:
        return {}
    return {s.cds_code: s for s in School.objects.filter(cds_code__in=codes)}


def school_lines(codes, known: dict | None = None) -> list[str]:
    """Return each school as "Name (CDS code)", in the order the LEA chose them."""
    known = schools_by_code(codes) if known is None else known
    return [str(known[code]) if code in known else code for code in codes or []]


def budget_text(req) -> str:
    """Return the expected budget range as people write it: "$40,000 to $60,000"."""
    low, high = req.budget_min, req.budget_max
    if low is not None and high is not None:
        return dollars(low) if low == high else f"{dollars(low)} to {dollars(high)}"
    if high is not None:
        return f"up to {dollars(high)}"
    if low is not None:
        return f"from {dollars(low)}"
    return ""


def board_text(req) -> str:
    """Return whether the governing board must approve, and when it is expected to."""
    if req.board_approval == BoardApproval.REQUIRED:
        when = f", expected {long_date(req.board_date)}" if req.board_date else ""
        return f"Required{when}"
    if req.board_approval == BoardApproval.NOT_REQUIRED:
        return "Not required"
    return ""


def funding_lines(req) -> list[str]:
    """Return the cost side as the scope of work states it, one sentence a line."""
    found = []
    if budget := budget_text(req):
        found.append(f"Expected budget: {budget}.")
    if req.reimbursement_fund:
        found.append(f"Fund or resource that reimburses CCEE: {req.reimbursement_fund}.")
    if board := board_text(req):
        found.append(f"Approval by the LEA's governing board: {board[0].lower()}{board[1:]}.")
    return found


def display(name: str, value, known_schools: dict | None = None) -> str:
    """Return the value of one of this module's fields as a person reads it ("" when empty)."""
    if name == "school_cds_codes":
        return "; ".join(school_lines(value, known_schools))
    if name in ("budget_min", "budget_max"):
        return dollars(value)
    if name == "board_date":
        return long_date(value)
    if name == "request_type" and value:
        return str(AssistanceType(value).label)
    if name == "da_status" and value:
        return str(DaStatus(value).label)
    if name == "board_approval" and value:
        return str(BoardApproval(value).label)
    return str(value or "")


def summary_rows(req, names) -> list[dict]:
    """Return [{label, value}] for the fields named, labelled as the intake form labels them."""
    known = schools_by_code(req.school_cds_codes) if "school_cds_codes" in names else {}
    return [
        {"label": FIELD_LABELS[name], "value": display(name, getattr(req, name), known)}
        for name in names
    ]
