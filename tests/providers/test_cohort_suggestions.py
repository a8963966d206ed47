"""The pure district-to-district suggestion: similar challenge, similar LEAs, no database."""

from hypothesis import given
from hypothesis import strategies as st

from providers.cohorts import ENGAGEMENT, REQUEST, Item, suggest_pairs
from providers.ranking import LeaProfile


def lea(pk, county="01", lea_type="school_district", band="large", groups=()):
    return LeaProfile(pk, f"LEA {pk}", lea_type, county, band, frozenset(groups))


def item(pk, lea_profile, tags, kind=REQUEST):
    return Item(kind=kind, pk=pk, label=f"{kind} {pk}", lea=lea_profile, tags=frozenset(tags))


def test_two_districts_with_the_same_challenge_nearby_are_suggested_together():
    a = item(1, lea(1), {"math_science_pedagogy", "english_learners"})
    b = item(2, lea(2), {"math_science_pedagogy"}, kind=ENGAGEMENT)
    (suggestion,) = suggest_pairs([a, b])
    assert {suggestion.first.key, suggestion.second.key} == {(REQUEST, 1), (ENGAGEMENT, 2)}
    assert suggestion.shared_tags == {"math_science_pedagogy"}
    assert suggestion.similarity == 1.0


def test_no_shared_tag_or_unlike_leas_or_the_same_lea_are_not_suggested():
    base = item(1, lea(1), {"math_science_pedagogy"})
    other_topic = item(2, lea(2), {"parent_engagement"})
    unlike = item(
        3,
        lea(3, county="37", lea_type="county_office", band="very_small"),
        {"math_science_pedagogy"},
    )
    same_lea = item(4, lea(1), {"math_science_pedagogy"})
    assert suggest_pairs([base, other_topic, unlike, same_lea]) == []


def test_a_pair_already_in_one_cohort_is_not_suggested_again():
    a = item(1, lea(1), {"systemness"})
    b = item(2, lea(2), {"systemness"})
    assert suggest_pairs([a, b], together=[frozenset({a.key, b.key})]) == []
    assert len(suggest_pairs([a, b], together=[frozenset({a.key})])) == 1


def test_stronger_pairs_come_first():
    a = item(1, lea(1), {"systemness", "lcap_development"})
    b = item(2, lea(2), {"systemness", "lcap_development"})
    c = item(3, lea(3, county="07"), {"systemness", "frpm"})
    pairs = suggest_pairs([c, a, b])
    assert {pairs[0].first.pk, pairs[0].second.pk} == {1, 2}
    assert [p.strength for p in pairs] == sorted((p.strength for p in pairs), reverse=True)


items = st.builds(
    item,
    pk=st.integers(1, 50),
    lea_profile=st.builds(lea, pk=st.integers(1, 5), county=st.sampled_from(["01", "07", "19"])),
    tags=st.frozensets(st.sampled_from(["systemness", "frpm", "lcap_development"])),
    kind=st.sampled_from([REQUEST, ENGAGEMENT]),
)


@given(st.lists(items, max_size=10, unique_by=lambda i: (i.kind, i.pk)))
def test_every_suggestion_pairs_two_leas_sharing_a_tag(pool):
    for s in suggest_pairs(pool):
        assert s.first.lea.lea_id != s.second.lea.lea_id
        assert s.shared_tags and s.shared_tags <= s.first.tags & s.second.tags
