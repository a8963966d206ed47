"""IdsFirstPaginator counts and cuts a page from the ids' query, and reads only the page's rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import IdsFirstPaginator
from requests_intake import selectors
from requests_intake.models import AssistanceRequest, LeaMembership
from tests.factories import DraftRequestFactory, LeaFactory, MembershipFactory


def _paginator(person, per_page, ids=None):
    ids = selectors.request_ids_for_member(person) if ids is None else ids
    return IdsFirstPaginator(ids, per_page, rows=selectors.member_list_rows)


@pytest.mark.django_db
def test_the_count_and_the_pages_agree_and_the_count_has_no_join(lea, other_lea, lea_staff):
    DraftRequestFactory.create_batch(7, lea=lea, created_by=lea_staff)
    DraftRequestFactory.create_batch(3, lea=other_lea)  # not the person's LEA
    everything = list(selectors.requests_for_member(lea_staff))
    paginator = _paginator(lea_staff, 5)

    with CaptureQueriesContext(connection) as queries:
        count = paginator.count

    assert count == 7 == len(everything)
    assert paginator.num_pages == 2
    (sql,) = (q["sql"] for q in queries.captured_queries)
    assert "COUNT(*)" in sql and "JOIN" not in sql
    assert [r.pk for r in paginator.page(1)] == [r.pk for r in everything[:5]]
    assert [r.pk for r in paginator.page(2)] == [r.pk for r in everything[5:]]


@pytest.mark.django_db
def test_a_page_is_one_query_whose_joins_and_subquery_read_only_its_rows(lea, lea_staff):
    DraftRequestFactory.create_batch(6, lea=lea, created_by=lea_staff)
    paginator = _paginator(lea_staff, 4)
    paginator.count  # noqa: B018 - counted beforehand, as the page's links do

    with CaptureQueriesContext(connection) as queries:
        rows = list(paginator.page(2))

    (sql,) = (q["sql"] for q in queries.captured_queries)
    assert len(rows) == 2
    assert rows[0].agreement_status is None and rows[0].information_due is None
    # The cut is the subquery of ids, with no join; the query's own end orders and cuts nothing.
    cut, end = sql[sql.index(' AS "pk" FROM ') :].rsplit(")", 1)
    assert "LIMIT 2 OFFSET 4" in cut and "JOIN" not in cut
    assert end.startswith(" ORDER BY") and "LIMIT" not in end


@pytest.mark.django_db
def test_a_narrowed_list_is_counted_and_cut_with_the_same_narrowing(lea, lea_staff):
    DraftRequestFactory.create_batch(4, lea=lea, created_by=lea_staff)
    status = AssistanceRequest.Status.DRAFT
    narrowed = selectors.request_ids_for_member(lea_staff).exclude(status=status)
    paginator = _paginator(lea_staff, 5, ids=narrowed)

    assert paginator.count == 0
    assert list(paginator.get_page(1)) == []


@pytest.mark.django_db
def test_lea_ids_read_once_select_the_same_rows_as_the_membership_rule(lea, other_lea, lea_staff):
    third = LeaFactory()
    MembershipFactory(user=lea_staff, lea=third)  # approved in a second LEA
    MembershipFactory(user=lea_staff, lea=other_lea, status=LeaMembership.Status.PENDING)
    for each in (lea, third, other_lea):
        DraftRequestFactory.create_batch(2, lea=each)

    lea_ids = selectors.member_lea_ids(lea_staff)
    by_ids = selectors.requests_for_member(lea_staff, lea_ids)
    by_rule = selectors.requests_for_member(lea_staff)

    assert sorted(lea_ids) == sorted([lea.pk, third.pk])
    assert [r.pk for r in by_ids] == [r.pk for r in by_rule]
    assert {r.lea_id for r in by_ids} == {lea.pk, third.pk}
    assert list(selectors.request_ids_for_member(lea_staff, lea_ids)) == [r.pk for r in by_rule]


@pytest.mark.django_db
def test_a_person_with_no_approved_lea_has_no_lea_ids_and_no_rows(other_lea):
    pending = MembershipFactory(lea=other_lea, status=LeaMembership.Status.PENDING).user
    DraftRequestFactory(lea=other_lea)

    assert selectors.member_lea_ids(pending) == []
    assert list(selectors.requests_for_member(pending, [])) == []
    assert selectors.request_ids_for_member(pending, []).count() == 0
