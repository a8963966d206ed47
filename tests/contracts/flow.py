"""Drive a scope of work through the contract services to a given status (tests' helper)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from contracts import services
from contracts.models import ScopeOfWork
from requests_intake.attachments import check_upload
from tests.factories import TINY_PDF

S = ScopeOfWork.Status
PDF = TINY_PDF  # a complete PDF, as every uploaded PDF is read


def signed_pdf():
    return SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")


def checked_signed_pdf():
    """A signed copy as the LEA's upload form hands it over: checked by its content."""
    return check_upload(signed_pdf())


def advance(sow, target, *, reviewer, agent):
    """Drive the scope of work through the services until it reaches `target`."""
    steps = {
        S.DRAFT: None,
        S.SENT_TO_AGENT: lambda: services.scope_of_work_send_to_agent(
            scope_of_work=sow, by=reviewer
        ),
        S.REVISIONS_REQUESTED: lambda: services.scope_of_work_request_revisions(
            scope_of_work=sow, by=agent, comments="Name the coach."
        ),
        S.AGENT_APPROVED: lambda: services.scope_of_work_approve(scope_of_work=sow, by=agent),
        S.SENT_TO_LEA: lambda: services.scope_of_work_send_to_lea(scope_of_work=sow, by=agent),
        S.SIGNED_BY_LEA: lambda: services.agreement_return_signed_copy(
            scope_of_work=sow, by=sow.request.created_by, checked=checked_signed_pdf()
        ),
        S.EXECUTED: lambda: services.scope_of_work_execute(
            scope_of_work=sow, by=agent, signed_copy=signed_pdf(), executed_on=date(2026, 1, 2)
        ),
    }
    path = {
        S.DRAFT: [],
        S.SENT_TO_AGENT: [S.SENT_TO_AGENT],
        S.REVISIONS_REQUESTED: [S.SENT_TO_AGENT, S.REVISIONS_REQUESTED],
        S.AGENT_APPROVED: [S.SENT_TO_AGENT, S.AGENT_APPROVED],
        S.SENT_TO_LEA: [S.SENT_TO_AGENT, S.AGENT_APPROVED, S.SENT_TO_LEA],
        S.SIGNED_BY_LEA: [S.SENT_TO_AGENT, S.AGENT_APPROVED, S.SENT_TO_LEA, S.SIGNED_BY_LEA],
        S.EXECUTED: [S.SENT_TO_AGENT, S.AGENT_APPROVED, S.SENT_TO_LEA, S.EXECUTED],
    }[target]
    for status in path:
        steps[status]()
    sow.refresh_from_db()
    assert sow.status == target
    return sow
