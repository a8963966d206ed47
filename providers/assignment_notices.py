"""The notices a provider's people get when the provider is assigned to work, or taken off it.

Registered with the outbox by ProvidersConfig.ready(); the bodies are
providers/notices/<kind>.txt and .html, inside providers/notices/notice (no link to the
request's page, which a provider's people cannot open).
"""

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from notices.registry import NoticeKind
from notices.rendering import SITE_URL_MARK


class K(models.TextChoices):
    ASSIGNED = "provider_assigned", _("Provider assigned")
    UNASSIGNED = "provider_unassigned", _("Provider assignment ended")


SUBJECTS = {
    K.ASSIGNED: "{provider_name} is assigned to {ref} ({lea})",
    K.UNASSIGNED: "{provider_name}'s assignment to {ref} ({lea}) has ended",
}

# Where a provider's people see their assignments, if the registry's pages are installed.
PROVIDER_HOME_URL_NAME = "providers:home"


def provider_home_url() -> str:
    try:
        return SITE_URL_MARK + reverse(PROVIDER_HOME_URL_NAME)
    except NoReverseMatch:  # the registry's provider pages are not installed
        return SITE_URL_MARK + "/"


def assignment_context(req, recipient) -> dict:
    return {
        "request": req,
        "ref": req.reference or f"request #{req.pk}",
        "lea": req.lea.name,
        "home_url": provider_home_url(),
    }


KINDS = [
    NoticeKind(
        value=kind.value,
        label=kind.label,
        subject=SUBJECTS[kind],
        templates="providers/notices",
        layout="providers/notices/notice",
        context=assignment_context,
    )
    for kind in K
]
