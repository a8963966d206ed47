"""The agreement's kinds of notice: their stored values, labels and subjects.

Registered with the outbox (notices.registry) by ContractsConfig.ready(); the bodies are
contracts/notices/<kind>.txt and .html, inside the request notices' layout.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notices.registry import NoticeKind
from requests_intake import notices


class K(models.TextChoices):
    CONTRACT_DRAFT_SENT = "contract_draft_sent", _("Scope of work sent to the agent")
    CONTRACT_REVISIONS_REQUESTED = "contract_revisions_requested", _("Revisions requested")
    CONTRACT_APPROVED = "contract_approved", _("Scope of work approved by the agent")
    CONTRACT_SENT_TO_LEA = "contract_sent_to_lea", _("Agreement ready for the LEA")
    CONTRACT_SIGNED_RETURNED = "contract_signed_returned", _("Signed agreement returned")
    CONTRACT_SIGNATURE_REFUSED = "contract_signature_refused", _("New signed copy asked for")
    CONTRACT_EXECUTED = "contract_executed", _("Agreement executed")
    CONTRACT_DUE_REMINDER = "contract_due_reminder", _("Agreement due tomorrow")
    CONTRACT_OVERDUE = "contract_overdue", _("Agreement overdue")


# Subject lines; "{ref}" is the request's reference.
SUBJECTS = {
    K.CONTRACT_DRAFT_SENT: "Scope of work for {ref} awaits your review",
    K.CONTRACT_REVISIONS_REQUESTED: "Revisions requested on the scope of work for {ref}",
    K.CONTRACT_APPROVED: "Scope of work for {ref} approved by the administrative agent",
    K.CONTRACT_SENT_TO_LEA: "Your agreement for {ref} is ready",
    K.CONTRACT_SIGNED_RETURNED: "The LEA returned the signed agreement for {ref}",
    K.CONTRACT_SIGNATURE_REFUSED: "Your agreement for {ref}: please sign and return it again",
    K.CONTRACT_EXECUTED: "Agreement for {ref} executed",
    K.CONTRACT_DUE_REMINDER: "Agreement for {ref} is due tomorrow",
    K.CONTRACT_OVERDUE: "Overdue: agreement for {ref}",
}

KINDS = [
    NoticeKind(
        value=kind.value,
        label=kind.label,
        subject=SUBJECTS[kind],
        **{**notices.REQUEST_NOTICE_TEMPLATES, "templates": "contracts/notices"},
        context=notices.request_context,
    )
    for kind in K
]
