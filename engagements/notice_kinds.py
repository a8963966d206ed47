"""The engagement's kinds of notice: their stored values, labels and subjects.

Registered with the outbox (notices.registry) by EngagementsConfig.ready(); the bodies are
engagements/notices/<kind>.txt and .html, inside the request notices' layout.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notices.registry import NoticeKind
from requests_intake import notices


class K(models.TextChoices):
    ENGAGEMENT_OPENED = "engagement_opened", _("Engagement opened")
    ENGAGEMENT_STATUS = "engagement_status", _("Engagement status changed")
    REPORT_REMINDER = "engagement_report_reminder", _("Progress report due soon")
    REPORT_OVERDUE = "engagement_report_overdue", _("Progress report overdue")
    REPORT_VERY_LATE = "engagement_report_very_late", _("Progress report very late")
    REPORT_SUBMITTED = "engagement_report_submitted", _("Progress report submitted")
    REPORT_REVIEWED = "engagement_report_reviewed", _("Feedback on a progress report")
    REPORT_RETURNED = "engagement_report_returned", _("Progress report returned for changes")


SUBJECTS = {
    K.ENGAGEMENT_OPENED: "The engagement for {ref} is open: define its indicators",
    K.ENGAGEMENT_STATUS: "The engagement for {ref} is now {status}",
    K.REPORT_REMINDER: "Progress report for {ref} due {due}",
    K.REPORT_OVERDUE: "Overdue: progress report for {ref} (due {due})",
    K.REPORT_VERY_LATE: "Very late: progress report for {ref} (due {due})",
    K.REPORT_SUBMITTED: "Progress report submitted for {ref}",
    K.REPORT_REVIEWED: "Feedback on the progress report for {ref}",
    K.REPORT_RETURNED: "The progress report for {ref} needs changes",
}

KINDS = [
    NoticeKind(
        value=kind.value,
        label=kind.label,
        subject=SUBJECTS[kind],
        **{**notices.REQUEST_NOTICE_TEMPLATES, "templates": "engagements/notices"},
        context=notices.request_context,
    )
    for kind in K
]
