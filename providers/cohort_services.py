"""Group districts into a cohort (seed 004: "two or more districts face a similar challenge
and devise a solution collectively")."""

from __future__ import annotations

from django.db import transaction

from core.decisions import ALLOW, Decision, deny
from engagements.models import Engagement
from requests_intake.models import AssistanceRequest

from . import cohorts
from .matching_models import Cohort

COHORT_PERMISSION = "providers.add_cohort"


class CohortRefused(Exception):
    """A cohort that cannot be made as asked; the message says why."""


def can_create_cohort(user) -> Decision:
    if not user.has_perm(COHORT_PERMISSION):
        return deny("You may not group districts into cohorts.")
    return ALLOW


def parse_member(value: str) -> tuple[str, int] | None:
    """Return ("request" | "engagement", pk) from "request:12", or None when malformed."""
    kind, _sep, pk = (value or "").partition(":")
    if kind not in (cohorts.REQUEST, cohorts.ENGAGEMENT) or not pk.isdigit():
        return None
    return kind, int(pk)


@transaction.atomic
def cohort_create(*, name: str, note: str, members, by) -> Cohort:
    """Create the cohort of these requests and engagements, at least two LEAs among them."""
    decision = can_create_cohort(by)
    if not decision:
        raise CohortRefused(decision.reason)
    request_ids = {pk for kind, pk in members if kind == cohorts.REQUEST}
    engagement_ids = {pk for kind, pk in members if kind == cohorts.ENGAGEMENT}
    requests = list(AssistanceRequest.objects.filter(pk__in=request_ids))
    engagements = list(Engagement.objects.filter(pk__in=engagement_ids).select_related("request"))
    leas = {r.lea_id for r in requests} | {e.request.lea_id for e in engagements}
    if len(leas) < 2:
        raise CohortRefused("Choose members from at least two LEAs.")
    cohort = Cohort.objects.create(name=name.strip(), note=note.strip(), created_by=by)
    cohort.requests.set(requests)
    cohort.engagements.set(engagements)
    return cohort
