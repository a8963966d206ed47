"""CountedPaginator counts the rows of a list with the lighter query it is given."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import CountedPaginator
from requests_intake import selectors
from requests_intake.models import AssistanceRequest, LeaMembership
from tests.factories import DraftRequestFactory, LeaFactory, MembershipFactory


@pytest.mark.django_db
def test_the_count_and_the_pages_agree_and_the_count_has_no_join(lea, other_lea, lea_staff):
    DraftRequestFactory.create_batch(7, lea=lea, created_by=lea_staff)
    DraftRequestFactory.create_batch(3, lea=other_lea)  # not the person's LEA
    shown = selectors.requests_for_member_list(lea_staff)
    counted = selectors.requests_for_member_counted(lea_staff)
    paginator = CountedPaginator(shown, 5, counted=counted)

    with CaptureQueriesContext(connection) as queries:
        count = paginator.count

    assert count == 7 == len(list(shown))
    assert paginator.num_pages == 2
    assert [r.pk for r in paginator.page(2)] == [r.pk for r in list(shown)[5:]]
    (sql,) = (q["sql"] for q in queries.captured_queries)
    assert "COUNT(*)" in sql and "JOIN" not in sql


@pytest.mark.django_db
def test_a_narrowed_list_is_counted_with_the_same_narrowing(lea, lea_staff):
    DraftRequestFactory.create_batch(4, lea=lea, created_by=lea_staff)
    status = AssistanceRequest.Status.DRAFT
    paginator = CountedPaginator(
        selectors.requests_for_member_list(lea_staff).exclude(status=status),
        5,
        counted=selectors.requests_for_member_counted(lea_staff).exclude(status=status),
    )

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
    by_ids = selectors.requests_for_member_list(lea_staff, lea_ids)
    by_rule = selectors.requests_for_member_list(lea_staff)

    assert sorted(lea_ids) == sorted([lea.pk, third.pk])
    assert [r.pk for r in by_ids] == [r.pk for r in by_rule]
    assert {r.lea_id for r in by_ids} == {lea.pk, third.pk}
    assert selectors.requests_for_member_counted(lea_staff, lea_ids).count() == 4


@pytest.mark.django_db
def test_a_person_with_no_approved_lea_has_no_lea_ids_and_no_rows(other_lea):
    pending = MembershipFactory(lea=other_lea, status=LeaMembership.Status.PENDING).user
    DraftRequestFactory(lea=other_lea)

    assert selectors.member_lea_ids(pending) == []
    assert list(selectors.requests_for_member_list(pending, [])) == []
    assert selectors.requests_for_member_counted(pending, []).count() == 0
