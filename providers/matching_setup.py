"""Plug matching into the apps below (called from ProvidersConfig.ready).

The outbox learns the assignment notices; the agreement (contracts) names the providers
assigned to its scope of work; the request's and the engagement's admin change views link to
their candidates page.
"""

from django.contrib import admin

from contracts import documents
from core.admin_site import IndexPanel, ObjectLink
from notices import registry

from . import assignment_notices, assignments

CANDIDATES_PERMISSION = "providers.add_providerassignment"


def connect() -> None:
    # The matching pages' admin (cohorts, candidates, ending an assignment, suggestions).
    from . import admin_matching  # noqa: F401

    registry.register(*assignment_notices.KINDS)
    if assignments.agreement_rows not in documents.AGREEMENT_PROVIDER_HOOKS:
        documents.AGREEMENT_PROVIDER_HOOKS.append(assignments.agreement_rows)
    for model, url_name in (
        ("requests_intake.assistancerequest", "admin:providers_candidates_request"),
        ("engagements.engagement", "admin:providers_candidates_engagement"),
    ):
        admin.site.register_object_link(
            ObjectLink(
                model=model,
                title="Provider candidates",
                url_name=url_name,
                permission=CANDIDATES_PERMISSION,
            )
        )
    admin.site.register_index_panel(
        IndexPanel(
            title="Cohort suggestions",
            url_name="admin:providers_cohort_suggestions",
            text="Districts facing a similar challenge now, to group into a cohort.",
            permission="providers.view_cohort",
        )
    )
