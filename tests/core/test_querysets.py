"""core.querysets.built_once: the queryset is built once, and every call gets a fresh copy."""

import pytest

from core import roles
from core.querysets import built_once
from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_queryset_built_once_is_copied_at_each_call_and_read_when_the_copy_runs():
    built = []

    @built_once
    def in_role(name):
        built.append(name)
        return UserFactory._meta.model.objects.filter(groups__name=name).order_by("pk")

    first = in_role(roles.CCEE_LEAD)
    assert list(first) == []
    lead = UserFactory(role=roles.CCEE_LEAD)
    second = in_role(roles.CCEE_LEAD)

    assert built == [roles.CCEE_LEAD]
    assert second is not first and list(second) == [lead]
    assert list(first) == []  # an evaluated copy keeps its own rows; the next call reads anew
