"""Provider fixtures: an engagement under way for LEA A, another for LEA B, and assignments."""

import pytest

from engagements import services
from tests.engagements.flow import add_indicator, executed_engagement
from tests.factories import assign_provider


def running_engagement(*, lea, lea_staff, reviewer, agent):
    """An executed agreement's engagement, activated (indicator and leading team)."""
    engagement = executed_engagement(lea=lea, lea_staff=lea_staff, reviewer=reviewer, agent=agent)
    add_indicator(engagement, lea_staff)
    services.team_member_add(
        engagement=engagement,
        by=lea_staff,
        name="Dana Diaz",
        role="Principal",
        email=lea_staff.email,
    )
    return services.engagement_activate(engagement=engagement, by=reviewer)


@pytest.fixture
def engagement(lea, lea_staff, reviewer, agent):
    return running_engagement(lea=lea, lea_staff=lea_staff, reviewer=reviewer, agent=agent)


@pytest.fixture
def other_engagement(other_lea, other_lea_staff, reviewer, agent):
    return running_engagement(
        lea=other_lea, lea_staff=other_lea_staff, reviewer=reviewer, agent=agent
    )


@pytest.fixture
def assignment(provider, engagement, reviewer):
    return assign_provider(provider, engagement=engagement, by=reviewer)
