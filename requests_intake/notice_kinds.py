"""The request's kinds of notice: their stored values, labels and subjects.

Registered with the outbox (notices.registry) by RequestsIntakeConfig.ready(); the bodies are
requests_intake/notices/<kind>.txt and .html, inside requests_intake/notices/notice.txt|html.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notices.registry import NoticeKind

from . import notices


class K(models.TextChoices):
    RECEIPT = "receipt", _("Receipt to the LEA")
    NEW_REQUEST_ALERT = "new_request_alert", _("New request alert to reviewers")
    VERIFICATION_REMINDER = "verification_reminder", _("24-hour verification reminder")
    VERIFICATION_ESCALATION = "verification_escalation", _("48-hour verification escalation")
    VERIFIED = "verified", _("Verification notice")
    REVIEW_STARTED = "review_started", _("Review started")
    INFORMATION_REQUESTED = "information_requested", _("Request for more information")
    RESUBMITTED = "resubmitted", _("Request resubmitted")
    APPROVED = "approved", _("Approval")
    DECLINED = "declined", _("Decline")
    REOPENED = "reopened", _("Reopened")
    WITHDRAWN = "withdrawn", _("Withdrawal")
    ASSIGNED = "assigned", _("Assignment")
    ANSWER_DUE = "answer_due", _("Reminder to answer CCEE's questions")


# Subject lines; "{ref}" is the request's reference, "{lea}" its LEA's name.
SUBJECTS = {
    K.RECEIPT: "Received: your Request for Assistance {ref}",
    K.NEW_REQUEST_ALERT: "New Request for Assistance {ref} from {lea}",
    K.VERIFICATION_REMINDER: "Reminder: {ref} awaits its initial verification",
    K.VERIFICATION_ESCALATION: "Overdue: {ref} was not verified within 48 hours",
    K.VERIFIED: "Received complete, ready for review: your Request for Assistance {ref}",
    K.REVIEW_STARTED: "Under review: your Request for Assistance {ref}",
    K.INFORMATION_REQUESTED: "More information needed for {ref}",
    K.RESUBMITTED: "{ref} was resubmitted by {lea}",
    K.APPROVED: "Approved: Request for Assistance {ref}",
    K.DECLINED: "Decision on Request for Assistance {ref}",
    K.REOPENED: "Reopened: Request for Assistance {ref}",
    K.WITHDRAWN: "Withdrawn: Request for Assistance {ref}",
    K.ASSIGNED: "{ref} is assigned to you",
    K.ANSWER_DUE: "Reminder: CCEE's questions on {ref} await your answer",
}

# The verification and approval notices also explain the determination in force.
_CONTEXT = {K.VERIFIED: notices.verified_context, K.APPROVED: notices.verified_context}

KINDS = [
    NoticeKind(
        value=kind.value,
        label=kind.label,
        subject=SUBJECTS[kind],
        **notices.REQUEST_NOTICE_TEMPLATES,
        context=_CONTEXT.get(kind, notices.request_context),
    )
    for kind in K
]


class MK(models.TextChoices):
    """A membership decision, told to the person who applied."""

    MEMBERSHIP_APPROVED = "membership_approved", _("Membership approved")
    MEMBERSHIP_REJECTED = "membership_rejected", _("Membership rejected")


KINDS += [
    NoticeKind(
        value=MK.MEMBERSHIP_APPROVED.value,
        label=MK.MEMBERSHIP_APPROVED.label,
        subject="You can now act for {lea.name} on the CCEE Assistance Portal",
        templates="requests_intake/notices",
    ),
    NoticeKind(
        value=MK.MEMBERSHIP_REJECTED.value,
        label=MK.MEMBERSHIP_REJECTED.label,
        subject="Your membership of {lea.name} on the CCEE Assistance Portal",
        templates="requests_intake/notices",
    ),
]


class CK(models.TextChoices):
    """The county office's and geographic lead's confirmation of (g)(1)(A)."""

    CONFIRMATION_REQUEST = "county_confirmation_request", _("County confirmation link")
    CONFIRMATION_REMINDER = "county_confirmation_reminder", _("County confirmation reminder")
    CONFIRMATION_ANSWERED = "county_confirmation_answered", _("County confirmation answered")


_COUNTY_CONTACT = {
    "templates": "requests_intake/notices",
    "layout": "requests_intake/notices/county_contact",
    # The body carries the contact's personal link: the admin shows all of it but the body.
    "confidential": True,
}

KINDS += [
    NoticeKind(
        value=CK.CONFIRMATION_REQUEST.value,
        label=CK.CONFIRMATION_REQUEST.label,
        subject="Please confirm: {lea} names {agency} in its Request for Assistance {ref}",
        context=notices.county_contact_context,
        **_COUNTY_CONTACT,
    ),
    NoticeKind(
        value=CK.CONFIRMATION_REMINDER.value,
        label=CK.CONFIRMATION_REMINDER.label,
        subject="Reminder: {lea}'s Request for Assistance {ref} awaits your confirmation",
        context=notices.county_contact_context,
        **_COUNTY_CONTACT,
    ),
    NoticeKind(
        value=CK.CONFIRMATION_ANSWERED.value,
        label=CK.CONFIRMATION_ANSWERED.label,
        subject="{ref}: the {role} {answer} the county's referral",
        **notices.REQUEST_NOTICE_TEMPLATES,
        context=notices.request_context,
    ),
]


class IK(models.TextChoices):
    """A colleague's invitation to join an LEA, sent to an address (maybe without an account)."""

    COLLEAGUE_INVITATION = "colleague_invitation", _("Invitation to join an LEA")


KINDS += [
    NoticeKind(
        value=IK.COLLEAGUE_INVITATION.value,
        label=IK.COLLEAGUE_INVITATION.label,
        subject="{inviter.full_name} invites you to join {lea.name} on the CCEE Assistance Portal",
        templates="requests_intake/notices",
        confidential=True,
    ),
]
