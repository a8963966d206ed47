"""The admin's group editor governs who may move an agreement along its lifecycle."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contracts import services
from contracts.models import ScopeOfWork
from core import roles
from tests.groups import remove_in_the_admin

pytestmark = pytest.mark.django_db


def test_without_the_send_permission_a_reviewer_can_no_longer_send_to_the_agent(
    client, sow, reviewer
):
    change = reverse("admin:contracts_scopeofwork_change", args=[sow.pk])
    client.force_login(reviewer)
    assert b">Send to the agent</a>" in client.get(change).content

    remove_in_the_admin(client, roles.CCEE_REVIEWER, "send_scopeofwork")

    client.force_login(reviewer)
    assert b">Send to the agent</a>" not in client.get(change).content
    with pytest.raises(services.ContractRefused, match="Only"):
        services.scope_of_work_send_to_agent(
            scope_of_work=sow, by=get_user_model().objects.get(pk=reviewer.pk)
        )
    sow.refresh_from_db()
    assert sow.status == ScopeOfWork.Status.DRAFT
