"""roles.users_holding: the people has_perm says yes for, each once, in one query."""

import pytest
from django.contrib.auth.models import Permission

from core import roles
from tests.factories import UserFactory

VERIFY = "requests_intake.verify_assistancerequest"


@pytest.mark.django_db
def test_the_people_holding_a_permission_by_role_or_directly_each_once(django_assert_num_queries):
    reviewer = UserFactory(role=roles.CCEE_REVIEWER)
    lead = UserFactory(role=roles.CCEE_LEAD)
    granted = UserFactory(role=roles.LEA_STAFF)
    verify = Permission.objects.get(codename="verify_assistancerequest")
    granted.user_permissions.add(verify)
    both = UserFactory(role=roles.CCEE_REVIEWER)
    both.user_permissions.add(verify)
    lea_staff = UserFactory(role=roles.LEA_STAFF)
    former = UserFactory(role=roles.CCEE_REVIEWER, is_active=False)

    with django_assert_num_queries(1):
        holding = list(roles.users_holding(VERIFY))

    assert sorted(p.pk for p in holding) == sorted(p.pk for p in (reviewer, lead, granted, both))
    assert all(person.has_perm(VERIFY) for person in holding)
    assert not lea_staff.has_perm(VERIFY) and lea_staff not in holding and former not in holding
