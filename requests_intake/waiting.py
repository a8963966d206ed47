"""Who a request is waiting on, and for what: the one wording of every page and list.

A request's own status says it until approval; after approval the agreement's status (the
contracts app's `ScopeOfWork.status`, read by its stored value so that this app never imports
contracts) says whether CCEE and the agent are still preparing it, the LEA must sign and return
it, or it is executed. My requests, the request page and the agreement's pages use these words.
"""

from django.utils import timezone

from core.dates import format_date

from .models import AssistanceRequest

S = AssistanceRequest.Status

# The agreement's stored statuses that change who a request waits on.
AGREEMENT_SENT_TO_LEA = "sent_to_lea"
AGREEMENT_SIGNED_BY_LEA = "signed_by_lea"
AGREEMENT_EXECUTED = "executed"


def _when(value) -> str:
    return format_date(timezone.localtime(value), "M j, Y, g:i A T")


def draft() -> str:
    return "You: finish and submit the draft"


def submitted(req) -> str:
    return f"CCEE: initial verification due {_when(req.verification_due_at)}"


def information_requested(req) -> str:
    due = getattr(req, "information_due", None)
    if due:
        return f"You: answer CCEE's questions by {format_date(due, 'M j, Y')}"
    return "You: answer CCEE's questions"


def in_review() -> str:
    return "CCEE: review of the request"


def agreement_in_preparation() -> str:
    return "CCEE and the administrative agent: the agreement"


def agreement_sent_to_lea() -> str:
    return "You: sign the agreement and return it to the administrative agent"


def agreement_signed_by_lea() -> str:
    return "The administrative agent: record the execution of the agreement you signed"


def agreement_executed() -> str:
    return "Nobody: the agreement is executed and the work can begin"


def closed() -> str:
    return "Nobody: the request is closed"


def waiting_on(req: AssistanceRequest, agreement_status: str | None = None) -> str:
    """Return who the request is waiting on now, and for what.

    `agreement_status` is the stored status of the request's agreement, if it has one (the
    selectors annotate it as `agreement_status`; it is read from the request when not given).
    """
    if agreement_status is None:
        agreement_status = getattr(req, "agreement_status", None)
    if req.status == S.DRAFT:
        return draft()
    if req.status == S.SUBMITTED:
        return submitted(req)
    if req.status == S.INFORMATION_REQUESTED:
        return information_requested(req)
    if req.status in (S.VERIFIED, S.UNDER_REVIEW):
        return in_review()
    if req.status == S.APPROVED:
        if agreement_status == AGREEMENT_SENT_TO_LEA:
            return agreement_sent_to_lea()
        if agreement_status == AGREEMENT_SIGNED_BY_LEA:
            return agreement_signed_by_lea()
        if agreement_status == AGREEMENT_EXECUTED:
            return agreement_executed()
        return agreement_in_preparation()
    return closed()
