"""The engagement opens on execution and follows active ⇄ paused → completed, or closed early."""

from decimal import Decimal

import pytest

from engagements import services
from engagements.models import Engagement, EngagementChange, Indicator
from engagements.notice_kinds import K
from notices.models import Notice

from .conftest import add_indicator

S = Engagement.Status
pytestmark = pytest.mark.django_db


def test_executing_the_agreement_opens_one_engagement_being_set_up(engagement):
    sow = engagement.agreement
    assert engagement.request_id == sow.request_id
    assert engagement.status == S.SETUP
    assert (engagement.start_date, engagement.end_date) == (sow.term_start, sow.term_end)
    assert engagement.problem_versions.get().text == sow.problem_of_practice
    assert engagement.changes.get().action == "opened"
    assert engagement.team.get().email == sow.request.primary_contact_email.lower()
    assert Notice.objects.filter(kind=K.ENGAGEMENT_OPENED, request=sow.request).exists()
    # A second call of the hook (a repeated execution) opens nothing new.
    assert services.engagement_open_on_execution(sow, None) == engagement
    assert Engagement.objects.count() == 1


def test_activation_needs_a_student_learning_indicator(engagement, lea_staff, reviewer):
    add_indicator(
        engagement, lea_staff, kind=Indicator.Kind.TEACHER_PRACTICE, dashboard_indicator=""
    )
    with pytest.raises(services.EngagementRefused, match="student-learning indicator"):
        services.engagement_activate(engagement=engagement, by=reviewer)
    engagement.refresh_from_db()
    assert engagement.status == S.SETUP and engagement.reports.count() == 0
    add_indicator(engagement, lea_staff)
    services.engagement_activate(engagement=engagement, by=reviewer)
    engagement.refresh_from_db()
    assert engagement.status == S.ACTIVE
    assert engagement.activated_on is not None
    assert engagement.reports.filter(is_final=True).count() == 1
    assert engagement.reports.count() >= 4  # quarterly over a year, then the final report


def test_pause_and_close_need_a_reason_and_keep_history(active_engagement, reviewer):
    with pytest.raises(services.EngagementRefused, match="reason"):
        services.engagement_pause(engagement=active_engagement, by=reviewer, reason=" ")
    services.engagement_pause(engagement=active_engagement, by=reviewer, reason="Strike.")
    services.engagement_resume(engagement=active_engagement, by=reviewer)
    services.engagement_close(engagement=active_engagement, by=reviewer, reason="New leadership.")
    active_engagement.refresh_from_db()
    assert active_engagement.status == S.CLOSED and active_engagement.ended_on is not None
    actions = list(
        active_engagement.changes.values_list("action", "from_status", "to_status", "reason")
    )
    assert actions[-3:] == [
        ("pause", S.ACTIVE, S.PAUSED, "Strike."),
        ("resume", S.PAUSED, S.ACTIVE, ""),
        ("close", S.ACTIVE, S.CLOSED, "New leadership."),
    ]


def test_only_reviewers_pause_and_nothing_changes_on_refusal(active_engagement, lea_staff, agent):
    for person in (lea_staff, agent):
        with pytest.raises(services.EngagementRefused, match="Only CCEE reviewers"):
            services.engagement_pause(engagement=active_engagement, by=person, reason="No.")
    active_engagement.refresh_from_db()
    assert active_engagement.status == S.ACTIVE
    assert not EngagementChange.objects.filter(action="pause").exists()


def test_completion_needs_the_closeout(active_engagement, lea_staff, reviewer):
    with pytest.raises(services.EngagementRefused, match="closeout"):
        services.engagement_complete(engagement=active_engagement, by=reviewer)
    indicator = active_engagement.indicators.get()
    services.closeout_record(
        engagement=active_engagement,
        by=lea_staff,
        outcomes={indicator: (Decimal("41"), "Met.")},
        sustainability="Coaching cycles continue.",
    )
    services.engagement_complete(engagement=active_engagement, by=reviewer)
    active_engagement.refresh_from_db()
    assert active_engagement.status == S.COMPLETED
    assert (
        Engagement.objects.active_between(
            active_engagement.activated_on, active_engagement.ended_on
        ).get()
        == active_engagement
    )


def test_every_transition_goes_from_its_sources(engagement):
    table = services.LIFECYCLE.allowed
    assert table[S.SETUP] == {S.ACTIVE, S.CLOSED}
    assert table[S.ACTIVE] == {S.PAUSED, S.COMPLETED, S.CLOSED}
    assert table[S.PAUSED] == {S.ACTIVE, S.CLOSED}
    assert table[S.COMPLETED] == table[S.CLOSED] == set()


def test_success_story_needs_the_leas_recorded_consent(
    active_engagement, lea_staff, reviewer, other_lea_staff
):
    with pytest.raises(services.EngagementRefused, match="consent"):
        services.success_story_mark(engagement=active_engagement, by=reviewer, marked=True)
    assert not Engagement.objects.public_success_stories().exists()
    with pytest.raises(services.EngagementRefused):
        services.success_story_consent(engagement=active_engagement, by=other_lea_staff, summary="")
    services.success_story_consent(
        engagement=active_engagement, by=lea_staff, summary="Reading rose."
    )
    services.success_story_mark(engagement=active_engagement, by=reviewer, marked=True)
    assert list(Engagement.objects.public_success_stories()) == [active_engagement]
