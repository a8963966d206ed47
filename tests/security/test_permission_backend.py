"""A person's permissions (their own and their groups') are read in one query, as Django's."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from accounts.permission_backend import ModelBackendOneQuery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache yet


def test_a_person_holds_their_groups_and_their_own_permissions(reviewer):
    own = Permission.objects.get(codename="resend_notice")
    reviewer.user_permissions.add(own)
    expected = ModelBackend().get_all_permissions(fresh(reviewer))
    found = ModelBackendOneQuery().get_all_permissions(fresh(reviewer))
    assert found == expected
    assert "notices.resend_notice" in found
    assert "requests_intake.verify_assistancerequest" in found  # from the reviewers' group


def test_the_permissions_are_read_in_one_query_and_kept_for_the_request(
    reviewer, django_assert_num_queries
):
    user = fresh(reviewer)
    with django_assert_num_queries(1):
        assert user.has_perm("requests_intake.verify_assistancerequest")
        assert not user.has_perm("requests_intake.reopen_assistancerequest")
        assert user.has_perm("requests_intake.verify_assistancerequest")


def test_an_inactive_person_holds_nothing_and_a_superuser_everything(reviewer):
    reviewer.is_active = False
    assert ModelBackendOneQuery().get_all_permissions(reviewer) == set()
    root = UserFactory(is_superuser=True)
    assert (
        len(ModelBackendOneQuery().get_all_permissions(fresh(root))) == Permission.objects.count()
    )


def test_a_person_in_two_groups_holds_each_permission_once_and_loses_it_with_the_group(reviewer):
    from django.contrib.auth.models import Group

    other = Group.objects.create(name="Also verifies")
    other.permissions.add(Permission.objects.get(codename="verify_assistancerequest"))
    reviewer.groups.add(other)
    found = ModelBackendOneQuery().get_all_permissions(fresh(reviewer))
    assert found == ModelBackend().get_all_permissions(fresh(reviewer))
    reviewer.groups.clear()
    assert ModelBackendOneQuery().get_all_permissions(fresh(reviewer)) == set()


def test_a_person_with_no_group_holds_their_own_permissions_only():
    person = UserFactory()
    assert ModelBackendOneQuery().get_all_permissions(fresh(person)) == set()
    person.user_permissions.add(Permission.objects.get(codename="resend_notice"))
    assert ModelBackendOneQuery().get_all_permissions(fresh(person)) == {"notices.resend_notice"}
