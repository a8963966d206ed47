"""Engagement fixtures: an executed agreement (its engagement opened by the hook), indicators."""

import pytest

from engagements import services

from .flow import add_indicator, executed_engagement, fill_report

__all__ = ["add_indicator", "fill_report"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT


@pytest.fixture
def engagement(lea, lea_staff, reviewer, agent):
    return executed_engagement(lea=lea, lea_staff=lea_staff, reviewer=reviewer, agent=agent)


@pytest.fixture
def active_engagement(engagement, lea_staff, reviewer):
    add_indicator(engagement, lea_staff)
    services.team_member_add(
        engagement=engagement,
        by=lea_staff,
        name="Dana Diaz",
        role="Principal",
        email=lea_staff.email,
    )
    return services.engagement_activate(engagement=engagement, by=reviewer)
