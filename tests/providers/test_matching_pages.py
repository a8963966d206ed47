"""The reviewers' matching pages: candidates, assigning from them, ending, cohort suggestions."""

import pytest
from django.urls import reverse

from providers.matching_models import Cohort
from providers.models import ProviderAssignment
from tests.engagements.flow import executed_engagement
from tests.factories import LeaFactory, approved_request, submitted_request

from .matching_helpers import declare_conflict, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def req(lea, lea_staff, reviewer):
    return approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff)


def candidates_url(req):
    return reverse("admin:providers_candidates_request", args=(req.pk,))


def test_the_request_page_links_to_its_candidates(client, reviewer, req):
    client.force_login(reviewer)
    page = client.get(reverse("admin:requests_intake_assistancerequest_change", args=(req.pk,)))
    assert candidates_url(req) in page.content.decode()


def test_the_engagement_page_links_to_its_candidates(client, reviewer, lea, lea_staff, agent):
    engagement = executed_engagement(lea=lea, lea_staff=lea_staff, reviewer=reviewer, agent=agent)
    client.force_login(reviewer)
    page = client.get(reverse("admin:engagements_engagement_change", args=(engagement.pk,)))
    url = reverse("admin:providers_candidates_engagement", args=(engagement.pk,))
    assert url in page.content.decode()
    shown = client.get(url)
    assert shown.status_code == 200
    assert "Provider candidates for the engagement" in shown.content.decode()


def test_candidates_show_each_components_points_and_the_excluded_with_reasons(
    client, reviewer, req, lea
):
    make_provider("Alpha Literacy")
    declare_conflict(make_provider("Beta Literacy"), lea, description="Board member's spouse")
    make_provider("Gamma Full", capacity=0)
    client.force_login(reviewer)
    body = client.get(candidates_url(req)).content.decode()
    ranked = body.split('id="candidates"')[1].split("</table>")[0]
    assert "Alpha Literacy" in ranked and "Beta Literacy" not in ranked
    for label in (
        "Expertise overlap",
        "Success on similar past engagements",
        "Similar LEAs served",
        "Capacity available",
        "Region",
    ):
        assert label in ranked
    assert "English learners" in body  # the need's tags, by their labels
    excluded = body.split('id="excluded"')[1]
    assert "Conflict of interest with" in excluded and "Board member&#x27;s spouse" in excluded
    assert "No capacity" in excluded


def test_a_reviewer_assigns_ticked_providers_with_role_and_days(client, reviewer, req):
    alpha, beta = make_provider("Alpha Literacy"), make_provider("Beta Literacy")
    client.force_login(reviewer)
    response = client.post(
        candidates_url(req),
        {
            "assign": [alpha.pk, beta.pk],
            f"p{alpha.pk}-role": "Lead coach",
            f"p{alpha.pk}-days_committed": "10",
            f"p{beta.pk}-role": "Content expert",
            f"p{beta.pk}-days_committed": "4",
        },
    )
    assert response.status_code == 302
    rows = ProviderAssignment.objects.order_by("provider__name")
    assert [(a.provider.name, a.role, a.days_committed) for a in rows] == [
        ("Alpha Literacy", "Lead coach", 10),
        ("Beta Literacy", "Content expert", 4),
    ]
    page = client.get(candidates_url(req)).content.decode()
    assert "End the assignment of Alpha Literacy" in page


def test_bad_input_is_said_next_to_the_field_and_assigns_nobody(client, reviewer, req):
    alpha, beta = make_provider("Alpha Literacy"), make_provider("Beta Literacy")
    client.force_login(reviewer)
    response = client.post(
        candidates_url(req),
        {
            "assign": [alpha.pk, beta.pk],
            f"p{alpha.pk}-role": "Lead coach",
            f"p{alpha.pk}-days_committed": "10",
            f"p{beta.pk}-role": "",
            f"p{beta.pk}-days_committed": "0",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Give the provider&#x27;s role." in body
    assert "greater than or equal to 1" in body
    assert not ProviderAssignment.objects.exists()
    nothing = client.post(candidates_url(req), {})
    assert "Tick at least one provider to assign." in nothing.content.decode()


def test_a_refusal_for_one_provider_assigns_none_of_them(client, reviewer, req, lea):
    alpha = make_provider("Alpha Literacy")
    conflicted = make_provider("Beta Literacy")
    declare_conflict(conflicted, lea)
    client.force_login(reviewer)
    response = client.post(
        candidates_url(req),
        {
            "assign": [alpha.pk, conflicted.pk],
            f"p{alpha.pk}-role": "Lead",
            f"p{alpha.pk}-days_committed": "3",
            f"p{conflicted.pk}-role": "Lead",
            f"p{conflicted.pk}-days_committed": "3",
        },
    )
    assert response.status_code == 200
    assert not ProviderAssignment.objects.exists()


def test_a_request_not_yet_approved_shows_candidates_without_assigning(client, reviewer, lea):
    make_provider("Alpha Literacy")
    pending = submitted_request(lea=lea)
    client.force_login(reviewer)
    body = client.get(candidates_url(pending)).content.decode()
    assert "Alpha Literacy" in body
    assert "once the request is approved" in body
    assert 'name="assign"' not in body


def test_the_agent_and_lea_staff_may_not_see_candidates(client, agent, lea_staff, req):
    client.force_login(agent)
    assert client.get(candidates_url(req)).status_code == 403
    client.force_login(lea_staff)
    assert client.get(candidates_url(req)).status_code == 302  # the admin's sign-in


def test_the_candidates_pages_query_count_does_not_grow_with_providers(
    client, reviewer, req, lea, django_assert_max_num_queries
):
    client.force_login(reviewer)
    for n in range(3):
        make_provider(f"Provider {n}")
    client.get(candidates_url(req))
    with django_assert_max_num_queries(60) as small:
        assert client.get(candidates_url(req)).status_code == 200
    other = LeaFactory()
    for n in range(3, 80):
        provider = make_provider(f"Provider {n}", capacity=n % 3)
        if n % 5 == 0:
            declare_conflict(provider, lea)
        if n % 7 == 0:
            declare_conflict(provider, other)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(candidates_url(req) + "?all=1")
        assert response.status_code == 200
    assert response.content.decode().count('name="assign"') > 40


def test_ending_an_assignment_asks_why_and_keeps_the_history(client, reviewer, req):
    client.force_login(reviewer)
    provider = make_provider("Alpha Literacy")
    client.post(
        candidates_url(req),
        {
            "assign": [provider.pk],
            f"p{provider.pk}-role": "Lead",
            f"p{provider.pk}-days_committed": "2",
        },
    )
    assignment = ProviderAssignment.objects.get()
    url = reverse("admin:providers_assignment_end", args=(assignment.pk,))
    refused = client.post(url, {"reason": ""})
    assert "Say why the assignment ends." in refused.content.decode()
    assignment.refresh_from_db()
    assert assignment.ended_at is None
    assert client.post(url, {"reason": "The district changed its plan."}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.end_reason == "The district changed its plan."
    page = client.get(url).content.decode()
    assert "This assignment ended" in page and "Unassigned" in page


def test_suggestions_pair_similar_districts_and_a_reviewer_groups_them(client, reviewer):
    first = submitted_request(
        lea=LeaFactory(name="Alpha Unified"), problem_of_practice="Math instruction in grade 6"
    )
    second = submitted_request(
        lea=LeaFactory(name="Beta Unified"), problem_of_practice="Algebra readiness: math"
    )
    url = reverse("admin:providers_cohort_suggestions")
    client.force_login(reviewer)
    body = client.get(url).content.decode()
    assert "Alpha Unified" in body and "Beta Unified" in body
    assert "Learning and pedagogy in math and science" in body
    refused = client.post(url, {"name": "", "member": [f"request:{first.pk}"]})
    assert "Give the cohort a name." in refused.content.decode()
    one = client.post(url, {"name": "Math cohort", "member": [f"request:{first.pk}"]})
    assert "at least two LEAs" in one.content.decode()
    assert not Cohort.objects.exists()
    done = client.post(
        url,
        {
            "name": "Grade 6 math",
            "note": "Both start in January.",
            "member": [f"request:{first.pk}", f"request:{second.pk}"],
        },
    )
    assert done.status_code == 302
    cohort = Cohort.objects.get()
    assert set(cohort.requests.all()) == {first, second} and cohort.created_by == reviewer
    # Grouped now: the pair is no longer suggested.
    assert "Alpha Unified" not in client.get(url).content.decode().split('id="cohorts"')[0]


def test_the_suggestions_page_query_count_is_flat(client, reviewer, django_assert_max_num_queries):
    url = reverse("admin:providers_cohort_suggestions")
    client.force_login(reviewer)
    for _n in range(2):
        submitted_request(lea=LeaFactory(), problem_of_practice="Math instruction")
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for _n in range(10):
        submitted_request(lea=LeaFactory(), problem_of_practice="Math instruction")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_admin_index_links_reviewers_to_the_cohort_suggestions(client, reviewer, agent):
    url = reverse("admin:providers_cohort_suggestions")
    client.force_login(reviewer)
    assert url in client.get(reverse("admin:index")).content.decode()
    client.force_login(agent)
    assert url not in client.get(reverse("admin:index")).content.decode()
