"""The registry's kinds of notice: their stored values, labels and subjects.

Registered with the outbox (notices.registry) by ProvidersConfig.ready(); the bodies are
providers/notices/<kind>.txt and .html.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notices.registry import NoticeKind


class K(models.TextChoices):
    APPLICATION_RECEIVED = "provider_application_received", _("Provider application received")
    APPLICATION_ALERT = "provider_application_alert", _("New provider application (reviewers)")
    STATUS_CHANGED = "provider_status_changed", _("Provider registry decision")


SUBJECTS = {
    K.APPLICATION_RECEIVED: "CCEE received the application of {provider_name}",
    K.APPLICATION_ALERT: "New assistance provider application: {provider_name}",
    K.STATUS_CHANGED: "{provider_name} in the CCEE provider registry: {status}",
}

KINDS = [
    NoticeKind(
        value=kind.value,
        label=kind.label,
        subject=SUBJECTS[kind],
        templates="providers/notices",
    )
    for kind in K
]
