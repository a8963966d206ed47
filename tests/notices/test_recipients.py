"""recipients.staff_in_roles: the active members of the roles, each once, in one query."""

import pytest

from core import roles
from notices.recipients import staff_in_roles
from tests.factories import UserFactory


@pytest.mark.django_db
def test_staff_in_roles_names_each_active_member_once_in_one_query(django_assert_num_queries):
    reviewer = UserFactory(role=roles.CCEE_REVIEWER)
    lead = UserFactory(role=roles.CCEE_LEAD)
    roles.assign_role(lead, roles.CCEE_REVIEWER)  # in both roles asked for
    UserFactory(role=roles.LEA_STAFF)
    UserFactory(role=roles.CCEE_REVIEWER, is_active=False)

    with django_assert_num_queries(1):
        recipients = staff_in_roles(roles.CCEE_REVIEWER, roles.CCEE_LEAD)

    assert [r.user.pk for r in recipients] == sorted([reviewer.pk, lead.pk])
    assert {r.email for r in recipients} == {reviewer.email.lower(), lead.email.lower()}
    assert {r.audience for r in recipients} == {"staff"}


@pytest.mark.django_db
def test_staff_in_roles_reads_the_roles_as_they_are_at_each_call():
    first = UserFactory(role=roles.CCEE_REVIEWER)
    assert [r.user for r in staff_in_roles(roles.CCEE_REVIEWER)] == [first]

    # The query is built once a process; who it finds is read again at every call.
    second = UserFactory(role=roles.CCEE_REVIEWER)
    first.is_active = False
    first.save()

    assert [r.user for r in staff_in_roles(roles.CCEE_REVIEWER)] == [second]
