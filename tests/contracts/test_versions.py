"""The agent sees what changed between scope-of-work versions, linked from the history."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from contracts import services, versions
from contracts.models import ScopeOfWork, ScopeOfWorkSnapshot
from tests.contracts.flow import advance
from tests.factories import ActivityFactory, CostLineFactory

pytestmark = pytest.mark.django_db
S = ScopeOfWork.Status


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def second_version(sow, reviewer, agent):
    """Version 1 sent and returned; version 2 edited: one activity reworded, one removed, one
    added, a deliverable's due date moved, a cost line repriced, the theory of action edited."""
    activities = list(sow.activities.all())
    CostLineFactory(scope_of_work=sow, description="Coaching days", quantity=5, unit_cost="900")
    sow.theory_of_action = "If the district and CCEE coach teachers, then reading improves."
    sow.save()
    advance(sow, S.REVISIONS_REQUESTED, reviewer=reviewer, agent=agent)
    services.scope_of_work_revise(scope_of_work=sow, by=reviewer)
    sow.refresh_from_db()
    first, gone = activities[0], activities[1]
    first.description = "Two on-site days with the leading team"
    first.save()
    gone.delete()
    ActivityFactory(scope_of_work=sow, title="Family engagement sessions", order=99)
    deliverable = sow.deliverables.first()
    deliverable.due_date = sow.term_start
    deliverable.save()
    line = sow.cost_lines.get(description="Coaching days")
    line.unit_cost = Decimal("950")
    line.save()
    sow.theory_of_action = (
        "If the district and CCEE coach and model for teachers, then reading improves."
    )
    sow.save()
    return first, gone


def test_sending_to_the_agent_keeps_the_version_as_sent(sow, reviewer, agent):
    advance(sow, S.SENT_TO_AGENT, reviewer=reviewer, agent=agent)
    snapshot = ScopeOfWorkSnapshot.objects.get(scope_of_work=sow, version=1)
    assert [a["title"] for a in snapshot.content["activities"]] == [
        a.title for a in sow.activities.all()
    ]
    assert snapshot.content["theory_of_action"] == sow.theory_of_action


def test_the_comparison_lines_up_added_removed_and_changed_rows(sow, reviewer, agent):
    first, gone = second_version(sow, reviewer, agent)
    services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    old = ScopeOfWorkSnapshot.objects.get(scope_of_work=sow, version=1).content
    new = ScopeOfWorkSnapshot.objects.get(scope_of_work=sow, version=2).content
    comparison = versions.compare(old, new)
    activities = {d.key: d for d in comparison.lists}["activities"]
    by_title = {row.cells[0].new or row.cells[0].old: row for row in activities.rows}
    assert by_title[first.title].status == "changed"
    assert by_title[first.title].cells[1].new == "Two on-site days with the leading team"
    assert by_title[gone.title].status == "removed"
    assert by_title["Family engagement sessions"].status == "added"
    deliverables = {d.key: d for d in comparison.lists}["deliverables"]
    assert [row.status for row in deliverables.rows].count("changed") == 1
    costs = {d.key: d for d in comparison.lists}["cost_lines"]
    (changed,) = [row for row in costs.rows if row.status == "changed"]
    assert (changed.cells[2].old, changed.cells[2].new) == ("$900.00", "$950.00")
    assert (changed.cells[3].old, changed.cells[3].new) == ("$4,500.00", "$4,750.00")
    texts = {t.label: t for t in comparison.texts}
    assert ("added", "and model for") in texts["Theory of action"].pieces
    assert "Total cost" in texts


def test_unchanged_versions_compare_as_unchanged():
    content = {"version": 1, "activities": [{"title": "A", "description": "x"}]}
    comparison = versions.compare(content, {**content, "version": 2})
    assert not comparison.changed


def test_the_history_labels_rows_with_their_version_and_links_the_comparison(sow, reviewer, agent):
    second_version(sow, reviewer, agent)
    services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    page = client_for(agent).get(reverse("admin:contracts_scopeofwork_change", args=[sow.pk]))
    html = page.content.decode()
    compare_url = reverse("admin:contracts_scopeofwork_compare", args=[sow.pk, 2])
    assert "Version 1" in html and "Version 2" in html
    assert f'<a href="{compare_url}">what changed from version 1</a>' in html


def test_the_agent_reads_the_redline_of_activities_deliverables_and_costs(sow, reviewer, agent):
    first, gone = second_version(sow, reviewer, agent)
    services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    url = reverse("admin:contracts_scopeofwork_compare", args=[sow.pk, 2])
    response = client_for(agent).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "what changed from version 1 to version 2" in html
    assert '<ins class="sow-added">Two on-site days with the leading team</ins>' in html
    assert f'<del class="sow-removed">{gone.title}</del>' in html
    assert '<ins class="sow-added">Family engagement sessions</ins>' in html
    assert '<del class="sow-removed">$900.00</del> <ins class="sow-added">$950.00</ins>' in html


def test_a_draft_not_yet_sent_compares_against_the_last_version_sent(sow, reviewer, agent):
    second_version(sow, reviewer, agent)
    url = reverse("admin:contracts_scopeofwork_compare", args=[sow.pk, 2])
    html = client_for(reviewer).get(url).content.decode()
    assert "as the draft stands now" in html
    assert '<ins class="sow-added">Family engagement sessions</ins>' in html


def test_a_version_that_does_not_exist_is_a_404_and_lea_staff_cannot_open_it(
    sow, reviewer, agent, lea_staff
):
    second_version(sow, reviewer, agent)
    client = client_for(agent)
    for version in (1, 3):
        url = reverse("admin:contracts_scopeofwork_compare", args=[sow.pk, version])
        assert client.get(url).status_code == 404
    url = reverse("admin:contracts_scopeofwork_compare", args=[sow.pk, 2])
    assert client_for(lea_staff).get(url).status_code == 302  # to the admin's sign-in


def test_the_comparison_reads_a_fixed_number_of_queries(
    sow, reviewer, agent, django_assert_max_num_queries
):
    second_version(sow, reviewer, agent)
    services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    client = client_for(agent)
    url = reverse("admin:contracts_scopeofwork_compare", args=[sow.pk, 2])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    # More rows in the sent version change nothing in the count.
    ScopeOfWorkSnapshot.objects.filter(version=2).update(
        content={
            **ScopeOfWorkSnapshot.objects.get(version=2).content,
            "activities": [{"title": f"Activity {n}"} for n in range(40)],
        }
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_reworded_title_is_a_change_and_a_different_one_is_a_removal_and_an_addition():
    old = {"activities": [{"title": "Kick-off meeting with the team"}, {"title": "Site visits"}]}
    new = {"activities": [{"title": "Kick-off meeting with the whole team"}, {"title": "Survey"}]}
    rows = {d.key: d for d in versions.compare(old, new).lists}["activities"].rows
    assert [row.status for row in rows] == ["changed", "added", "removed"]
