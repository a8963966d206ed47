"""The pure ranking of providers for a need: order, explanations and exclusions, no database."""

from hypothesis import given
from hypothesis import strategies as st

from providers import ranking
from providers.ranking import (
    Candidate,
    Conflict,
    LeaProfile,
    Need,
    PastEngagement,
    rank,
)

OAKLAND = LeaProfile(
    lea_id=1,
    name="Oakland Unified",
    lea_type="school_district",
    county_code="01",
    size_band="large",
    student_groups=frozenset({"english_learners", "frpm"}),
)
HAYWARD = LeaProfile(
    lea_id=2,
    name="Hayward Unified",
    lea_type="school_district",
    county_code="01",
    size_band="large",
    student_groups=frozenset({"english_learners"}),
)
FRESNO = LeaProfile(
    lea_id=3,
    name="Fresno Unified",
    lea_type="school_district",
    county_code="10",
    size_band="very_large",
)
NEED = Need(lea=OAKLAND, tags=frozenset({"math_science_pedagogy", "english_learners"}))


def candidate(pk, **kw):
    values = {
        "provider_id": pk,
        "name": f"Provider {pk}",
        "kind": "coach",
        "status": "approved",
        "expertise": frozenset({"math_science_pedagogy", "english_learners"}),
        "capacity": 4,
        "load": 0,
        "counties": frozenset({"01"}),
    }
    values.update(kw)
    return Candidate(**values)


def test_weights_sum_to_one_hundred():
    assert sum(ranking.COMPONENT_WEIGHTS.values()) == 100


def test_a_perfect_match_scores_every_component_in_full():
    past = tuple(
        PastEngagement(lea=HAYWARD, tags=NEED.tags, indicators_met=2, indicators_measured=2)
        for _ in range(ranking.SUCCESS_FULL_AT)
    )
    same_lea_profile = LeaProfile(
        2, "Twin Unified", "school_district", "01", "large", OAKLAND.student_groups
    )
    past += (PastEngagement(lea=same_lea_profile, tags=frozenset()),)
    result = rank(NEED, [candidate(1, past=past)])
    (only,) = result.ranked
    assert only.score == 100
    assert [c.points for c in only.components] == [35, 25, 20, 10, 10]
    assert "Twin Unified" in only.components[2].detail


def test_candidates_are_ordered_by_score_and_ties_by_free_capacity_then_name():
    strong = candidate(1, name="Zeta Coaching")
    weak = candidate(2, name="Alpha Coaching", expertise=frozenset({"math_science_pedagogy"}))
    tie_busy = candidate(3, name="Beta", load=1, capacity=2)
    tie_free = candidate(4, name="Gamma", load=2, capacity=4)
    result = rank(NEED, [weak, tie_busy, strong, tie_free])
    names = [r.candidate.name for r in result.ranked]
    assert names[0] == "Zeta Coaching"
    assert names[-1] == "Alpha Coaching"
    # Beta and Gamma both have half their capacity free: same score, Gamma has more free.
    assert names.index("Gamma") < names.index("Beta")


def test_expertise_counts_the_share_of_the_needs_tags_and_names_them():
    result = rank(NEED, [candidate(1, expertise=frozenset({"math_science_pedagogy", "frpm"}))])
    expertise = result.ranked[0].components[0]
    assert expertise.code == ranking.EXPERTISE
    assert expertise.points == 17.5
    assert expertise.detail == "1 of 2 tags: math_science_pedagogy."


def test_a_kind_the_request_did_not_ask_for_halves_expertise():
    need = Need(lea=OAKLAND, tags=NEED.tags, kinds=frozenset({"lea"}))
    coach, district = candidate(1, kind="coach"), candidate(2, kind="lea", lea_id=9)
    by_kind = {
        r.candidate.kind: r.components[0].points for r in rank(need, [coach, district]).ranked
    }
    assert by_kind == {"lea": 35, "coach": 35 * ranking.KIND_MISMATCH_FACTOR}


def test_success_uses_only_similar_engagements_and_counts_fully_from_three():
    unrelated = PastEngagement(
        lea=FRESNO, tags=frozenset({"parent_engagement"}), indicators_met=0, indicators_measured=5
    )
    similar = PastEngagement(
        lea=FRESNO, tags=frozenset({"english_learners"}), indicators_met=3, indicators_measured=4
    )
    not_yet = PastEngagement(lea=FRESNO, tags=frozenset({"english_learners"}))
    result = rank(NEED, [candidate(1, past=(unrelated, similar, not_yet))])
    success = result.ranked[0].components[1]
    # One similar engagement with results, 75 % met: 25 x 0.75 x 1/3.
    assert success.points == 6.25
    assert "1 similar engagement(s)" in success.detail
    assert "75%" in success.detail


def test_similar_leas_rewards_type_place_band_and_student_groups():
    near = rank(NEED, [candidate(1, past=(PastEngagement(lea=HAYWARD, tags=frozenset()),))])
    far = rank(NEED, [candidate(1, past=(PastEngagement(lea=FRESNO, tags=frozenset()),))])
    near_points = near.ranked[0].components[2].points
    far_points = far.ranked[0].components[2].points
    # Hayward: same type, county, band; student groups 1 of 2: (1 + 1 + 1 + 0.5) / 4.
    assert near_points == 17.5
    # Fresno: same type, other region, adjacent band, groups unknown for one side counts 0.
    assert far_points == round(20 * (1 + 0 + 0.5 + 0) / 4, 2)
    assert near_points > far_points


def test_region_gives_full_points_for_the_county_or_statewide_and_half_for_the_region():
    county = candidate(1, counties=frozenset({"01"}))
    statewide = candidate(2, counties=frozenset(), statewide=True)
    region = candidate(3, counties=frozenset({"07"}))  # Contra Costa: region 4 like Alameda
    elsewhere = candidate(4, counties=frozenset({"37"}))
    points = {
        r.candidate.provider_id: r.components[4].points
        for r in rank(NEED, [county, statewide, region, elsewhere]).ranked
    }
    assert points == {1: 10, 2: 10, 3: 5, 4: 0}


def test_every_county_code_has_a_region():
    assert sorted(ranking.COUNTY_REGIONS) == [f"{n:02d}" for n in range(1, 59)]
    assert len(set(ranking.COUNTY_REGIONS.values())) == 11


def test_exclusions_give_every_reason():
    paused = candidate(1, status="paused")
    conflicted = candidate(
        2, conflicts=(Conflict(lea_id=1, kind="employment", description="Board member's spouse"),)
    )
    full = candidate(3, capacity=2, load=2)
    itself = candidate(4, kind="lea", lea_id=1)
    everything = candidate(
        5, status="removed", capacity=1, load=1, conflicts=(Conflict(1, "other"),)
    )
    result = rank(NEED, [paused, conflicted, full, itself, everything, candidate(6)])
    assert [r.candidate.provider_id for r in result.ranked] == [6]
    reasons = {e.candidate.provider_id: [r.code for r in e.reasons] for e in result.excluded}
    assert reasons == {
        1: [ranking.NOT_APPROVED],
        2: [ranking.CONFLICT],
        3: [ranking.NO_CAPACITY],
        4: [ranking.SAME_LEA],
        5: [ranking.NOT_APPROVED, ranking.CONFLICT, ranking.NO_CAPACITY],
    }
    by_id = {e.candidate.provider_id: e.reasons[0].reason for e in result.excluded}
    assert (
        by_id[2] == "Conflict of interest with Oakland Unified (employment): Board member's spouse."
    )
    assert by_id[3] == "No capacity: 2 engagement(s) under way of 2."


def test_a_conflict_with_another_lea_does_not_exclude():
    result = rank(NEED, [candidate(1, conflicts=(Conflict(lea_id=2, kind="contract"),))])
    assert len(result.ranked) == 1


# Property tests: any set of candidates, any need.

TAGS = st.sampled_from(
    ["math_science_pedagogy", "english_learners", "frpm", "systemness", "lcap_development"]
)
COUNTIES = st.sampled_from(["01", "07", "10", "19", "37"])
BANDS = st.one_of(st.none(), st.sampled_from(ranking.SIZE_BANDS))
profiles = st.builds(
    LeaProfile,
    lea_id=st.integers(1, 6),
    name=st.sampled_from(["A", "B", "C"]),
    lea_type=st.sampled_from(["school_district", "county_office", "charter_school"]),
    county_code=COUNTIES,
    size_band=BANDS,
    student_groups=st.frozensets(st.sampled_from(["english_learners", "frpm", "foster_youth"])),
)
past_engagements = st.builds(
    PastEngagement,
    lea=profiles,
    tags=st.frozensets(TAGS),
    indicators_met=st.integers(0, 3),
    indicators_measured=st.integers(3, 5),
)
candidates = st.builds(
    Candidate,
    provider_id=st.integers(1, 10_000),
    name=st.text(min_size=1, max_size=5),
    kind=st.sampled_from(["lea", "coach", "organisation"]),
    status=st.sampled_from(["applied", "under_review", "approved", "paused", "removed"]),
    expertise=st.frozensets(TAGS),
    capacity=st.integers(0, 5),
    load=st.integers(0, 6),
    counties=st.frozensets(COUNTIES),
    statewide=st.booleans(),
    lea_id=st.one_of(st.none(), st.integers(1, 6)),
    conflicts=st.lists(
        st.builds(Conflict, lea_id=st.integers(1, 6), kind=st.just("employment")), max_size=2
    ).map(tuple),
    past=st.lists(past_engagements, max_size=4).map(tuple),
)
needs = st.builds(
    Need,
    lea=profiles,
    tags=st.frozensets(TAGS),
    kinds=st.frozensets(st.sampled_from(["lea", "coach", "organisation"])),
)


@given(need=needs, pool=st.lists(candidates, max_size=12))
def test_a_provider_declaring_a_conflict_with_the_lea_never_ranks(need, pool):
    result = rank(need, pool)
    for ranked in result.ranked:
        assert all(c.lea_id != need.lea.lea_id for c in ranked.candidate.conflicts)
    conflicted = [c for c in pool if any(x.lea_id == need.lea.lea_id for x in c.conflicts)]
    excluded = [e.candidate for e in result.excluded]
    for c in conflicted:
        assert c in excluded


@given(need=needs, pool=st.lists(candidates, max_size=12))
def test_ranked_and_excluded_partition_the_pool_and_only_eligible_rank(need, pool):
    result = rank(need, pool)
    assert len(result.ranked) + len(result.excluded) == len(pool)
    for ranked in result.ranked:
        c = ranked.candidate
        assert c.status == "approved" and c.load < c.capacity
    for excluded in result.excluded:
        assert excluded.reasons and all(r.reason for r in excluded.reasons)


@given(need=needs, pool=st.lists(candidates, max_size=12))
def test_order_is_by_score_and_each_explanation_sums_to_its_score(need, pool):
    result = rank(need, pool)
    scores = [r.score for r in result.ranked]
    assert scores == sorted(scores, reverse=True)
    for ranked in result.ranked:
        assert ranked.score == round(sum(c.points for c in ranked.components), ranking.PRECISION)
        assert 0 <= ranked.score <= 100
        for component in ranked.components:
            assert 0 <= component.points <= component.max_points
            assert component.detail


@given(need=needs, pool=st.lists(candidates, max_size=8))
def test_the_ranking_does_not_depend_on_the_order_of_the_pool(need, pool):
    forwards = rank(need, pool)
    backwards = rank(need, list(reversed(pool)))
    assert [r.score for r in forwards.ranked] == [r.score for r in backwards.ranked]
    assert {id(e.candidate) for e in forwards.excluded} == {
        id(e.candidate) for e in backwards.excluded
    }
