"""Matching reads the database into ranking's inputs: the need's tags, candidates, history."""

import pytest

from providers import matching
from providers.models import ProviderAssignment
from tests.engagements.flow import add_indicator, executed_engagement
from tests.factories import LeaFactory, approved_request, submitted_request

from .matching_helpers import declare_conflict, make_provider

pytestmark = pytest.mark.django_db


def test_a_requests_need_maps_assistance_types_problem_and_student_groups_to_tags(lea_staff, lea):
    req = submitted_request(
        lea=lea,
        created_by=lea_staff,
        problem_of_practice="Middle school math instruction and chronic absenteeism.",
        student_groups="English learners and students with disabilities",
        assistance_types=["coaching", "systemic_review"],
    )
    need = matching.need_of(req)
    assert need.tags == {
        "math_science_pedagogy",
        "quality_of_teaching",
        "priority_5_pupil_engagement",
        "english_learners",
        "exceptional_needs",
        "leadership",
        "systemness",
    }
    assert need.kinds == {"coach"}
    assert need.lea.student_groups == {"english_learners", "exceptional_needs"}
    assert need.lea.county_code == lea.county_code and need.lea.size_band is None


def test_every_mapped_tag_is_a_taxonomy_code():
    from providers import taxonomy

    mapped = set(matching.KEYWORD_TAGS) | set(matching.STUDENT_GROUP_KEYWORDS)
    for tags in matching.ASSISTANCE_TYPE_TAGS.values():
        mapped |= set(tags)
    assert mapped <= taxonomy.EXPERTISE_CODES
    assert set(matching.ASSISTANCE_TYPE_KINDS.values()) <= taxonomy.KIND_CODES


def test_candidates_carry_load_conflicts_and_past_results(lea, lea_staff, reviewer, agent):
    engagement = executed_engagement(lea=lea, lea_staff=lea_staff, reviewer=reviewer, agent=agent)
    indicator = add_indicator(engagement, lea_staff)
    indicator.final_value = indicator.target_value
    indicator.save(update_fields=["final_value"])
    coach = make_provider("Bay Coaching")
    ProviderAssignment.objects.create(
        provider=coach, scope_of_work=engagement.agreement, engagement=engagement, role="coach"
    )
    declare_conflict(coach, lea)
    other = LeaFactory()
    need = matching.need_of(submitted_request(lea=other))
    (candidate,) = matching.candidates(need)
    assert candidate.load == 1 and candidate.capacity == 2
    assert candidate.conflicts == ()  # the conflict is with another LEA than the need's
    (past,) = candidate.past
    assert (past.indicators_met, past.indicators_measured) == (1, 1)
    assert past.lea.lea_id == lea.pk
    own = matching.candidates(matching.need_of(engagement.request))[0]
    assert [c.lea_id for c in own.conflicts] == [lea.pk]


def test_rank_for_request_excludes_the_conflicted_and_ranks_the_rest(lea, lea_staff, reviewer):
    req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff)
    good = make_provider("Alpha Literacy")
    conflicted = make_provider("Beta Literacy")
    declare_conflict(conflicted, lea, description="Board member's spouse")
    paused = make_provider("Gamma Literacy", status="paused", approved_at=None)
    make_provider("Removed One", status="removed")
    ranking = matching.rank_for_request(req)
    assert [r.candidate.provider_id for r in ranking.ranked] == [good.pk]
    excluded = {e.candidate.provider_id: e.reasons[0].code for e in ranking.excluded}
    assert excluded == {conflicted.pk: "conflict", paused.pk: "not_approved"}


def test_candidates_take_a_fixed_number_of_queries(django_assert_max_num_queries, lea):
    need = matching.need_of(submitted_request(lea=lea))
    for n in range(3):
        make_provider(f"Provider {n}")
    with django_assert_max_num_queries(6) as few:
        matching.candidates(need)
    for n in range(3, 40):
        declare_conflict(make_provider(f"Provider {n}"), lea)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(matching.candidates(need)) == 40
