"""Writes of the provider registry: applying, vetting steps, notes, members, assignments."""

from __future__ import annotations

from engagements.models import Engagement

from .models import ProviderAssignment


def assignments_follow_execution(sow, by) -> int:
    """Set the opened engagement on the scope of work's active assignments (EXECUTION_HOOKS).

    Return how many assignments now name the engagement.
    """
    engagement = Engagement.objects.filter(agreement=sow).first()
    if engagement is None:
        return 0
    return (
        ProviderAssignment.objects.active()
        .filter(scope_of_work=sow, engagement__isnull=True)
        .update(engagement=engagement)
    )
