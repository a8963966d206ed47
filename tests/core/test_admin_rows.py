"""The changelist rows written in one pass (core.admin_rows) are the admin's own markup."""

import pytest
from django.contrib.admin.templatetags import admin_list
from django.urls import reverse

from core.admin_rows import plain_results
from requests_intake.models import AssistanceRequest, InternalNote
from tests.factories import submitted_request
from tests.requests_intake.test_admin_queries import bulk_requests


def admin_rows(cl) -> list[str]:
    return ["".join(admin_list.items_for_result(cl, obj, None)) for obj in cl.result_list]


@pytest.fixture
def triage_rows(reviewer, lead):
    bulk_requests(12, [reviewer, lead])
    # Blank and missing values take the admin's empty mark, as its own rendering shows them.
    AssistanceRequest.objects.filter(pk__in=AssistanceRequest.objects.values("pk")[:3]).update(
        pathways="", priority_tier=None, assigned_to=None
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "?q=RFA&o=1", "?status=submitted", "?assigned=me&p=1"],
    ids=["plain", "searched and sorted", "filtered", "my requests"],
)
def test_the_triage_rows_are_the_admins_markup(client, reviewer, triage_rows, query):
    client.force_login(reviewer)
    response = client.get(reverse("admin:requests_intake_assistancerequest_changelist") + query)
    cl = response.context["cl"]

    rows = plain_results(cl)

    assert rows is not None and len(rows) == len(cl.result_list) > 0
    assert [row[0] for row in rows] == admin_rows(cl)
    assert rows[0][0] in response.content.decode()


@pytest.mark.django_db
def test_the_change_links_keep_the_changelists_filters(client, reviewer, triage_rows):
    client.force_login(reviewer)
    response = client.get(
        reverse("admin:requests_intake_assistancerequest_changelist") + "?q=RFA&o=2"
    )
    cl = response.context["cl"]
    first = cl.result_list[0]
    change = reverse("admin:requests_intake_assistancerequest_change", args=[first.pk])

    assert f'<a href="{change}?_changelist_filters=q%3DRFA%26o%3D2">' in plain_results(cl)[0][0]


@pytest.mark.django_db
def test_a_changelist_with_other_columns_keeps_the_admins_rendering(
    client, reviewer, lea, lea_staff
):
    """A relation or a date column is formatted by the admin itself (the notes' changelist)."""
    req = submitted_request(lea=lea, created_by=lea_staff)
    InternalNote.objects.create(request=req, author=reviewer, body="Checked the letter.")
    client.force_login(reviewer)
    response = client.get(reverse("admin:requests_intake_internalnote_changelist"))

    assert plain_results(response.context["cl"]) is None
    assert b"Checked the letter." in response.content
