"""Provider users: their own provider and assigned engagements; everything else is a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.models import ProgressReport
from providers import services
from providers.models import Provider
from requests_intake.models import InternalNote
from tests.factories import (
    ProviderFactory,
    ProviderMemberFactory,
    assign_provider,
    submitted_request,
)

pytestmark = pytest.mark.django_db

NOTE_MARKER = "VETTING-NOTE-NEVER-SHOWN"


def _detail(engagement):
    return reverse("engagements:detail", args=[engagement.pk])


def _report_url(engagement, report):
    return reverse("engagements:report_edit", args=[engagement.pk, report.number])


def test_a_provider_sees_the_engagement_it_is_assigned_to_and_no_other(
    client, assignment, engagement, other_engagement, provider_member, other_provider_member
):
    client.force_login(provider_member)
    page = client.get(_detail(engagement))
    assert page.status_code == 200
    assert engagement.request.lea.name.encode() in page.content
    assert client.get(_detail(other_engagement)).status_code == 404
    listing = client.get(reverse("engagements:list"))
    assert list(listing.context["engagements"]) == [engagement]
    # Another provider's person, not assigned: 404 for both.
    client.force_login(other_provider_member)
    assert client.get(_detail(engagement)).status_code == 404
    assert client.get(_detail(other_engagement)).status_code == 404
    assert list(client.get(reverse("engagements:list")).context["engagements"]) == []


def test_a_provider_never_sees_requests_or_the_lea_only_pages(
    client, assignment, engagement, provider_member, lea, lea_staff
):
    client.force_login(provider_member)
    other_request = submitted_request(lea=lea, by=lea_staff)
    for url in (
        reverse("requests_intake:request_detail", args=[engagement.request_id]),
        reverse("requests_intake:request_detail", args=[other_request.pk]),
        reverse("requests_intake:request_pdf", args=[engagement.request_id]),
        reverse("contracts:scopeofwork_print", args=[engagement.agreement_id]),
        reverse("engagements:indicator_add", args=[engagement.pk]),
        reverse("engagements:team_add", args=[engagement.pk]),
        reverse("engagements:problem_revise", args=[engagement.pk]),
        reverse("engagements:closeout", args=[engagement.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_ended_assignment_or_a_removed_provider_loses_access(
    client, assignment, engagement, provider_member, lead, provider
):
    client.force_login(provider_member)
    assert client.get(_detail(engagement)).status_code == 200
    assignment.ended_at = timezone.now()
    assignment.end_reason = "The district chose another coach."
    assignment.save()
    assert client.get(_detail(engagement)).status_code == 404
    fresh = assign_provider(provider, engagement=engagement, by=lead)
    assert client.get(_detail(engagement)).status_code == 200
    services.provider_remove(provider=provider, by=lead, reason="Left the field.")
    assert client.get(_detail(engagement)).status_code == 404
    assert fresh.ended_at is None


def test_provider_pages_are_their_people_s_alone(
    client, provider, other_provider, provider_member, other_provider_member, lea_staff, agent
):
    own = reverse("providers:profile", args=[provider.pk])
    client.force_login(provider_member)
    assert client.get(own).status_code == 200
    assert client.get(reverse("providers:profile_edit", args=[provider.pk])).status_code == 200
    for name in ("profile", "profile_edit", "conflict_add"):
        url = reverse(f"providers:{name}", args=[other_provider.pk])
        assert client.get(url).status_code == 404, name
    for outsider in (other_provider_member, lea_staff, agent):
        client.force_login(outsider)
        assert client.get(own).status_code == 404


def test_vetting_notes_and_internal_notes_never_reach_provider_pages(
    client, assignment, engagement, provider, provider_member, reviewer
):
    services.vetting_note_add(
        provider=provider, by=reviewer, criterion="builds_capacity", text=NOTE_MARKER
    )
    InternalNote.objects.create(
        request=engagement.request, author=reviewer, body=f"{NOTE_MARKER} internal"
    )
    client.force_login(provider_member)
    report = engagement.reports.order_by("number").first()
    for url in (
        reverse("providers:home"),
        reverse("providers:profile", args=[provider.pk]),
        reverse("providers:profile_edit", args=[provider.pk]),
        _detail(engagement),
        _report_url(engagement, report),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert NOTE_MARKER.encode() not in page.content, url


def test_the_provider_home_lists_its_assignments(
    client, assignment, engagement, provider_member, provider, lea, lea_staff, reviewer
):
    from tests.factories import approved_request

    pending = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff).scope_of_work
    assign_provider(provider, scope_of_work=pending, by=reviewer, role="Content expert")
    client.force_login(provider_member)
    page = client.get(reverse("providers:home"))
    body = page.content.decode()
    assert engagement.request.reference in body
    assert _detail(engagement) in body
    assert "the agreement is being prepared" in body and "Content expert" in body
    # The site's home sends a provider's person (of no LEA) here.
    assert client.get(reverse("home"))["Location"] == reverse("providers:home")


def _providers_with_assignments(count, reviewer, engagement):
    for _ in range(count):
        p = ProviderFactory()
        assign_provider(p, engagement=engagement, by=reviewer)
        yield p


def test_the_provider_home_query_count_does_not_grow_with_assignments(
    client,
    provider,
    provider_member,
    engagement,
    other_engagement,
    reviewer,
    django_assert_max_num_queries,
):
    client.force_login(provider_member)
    counts = []
    for target in (engagement, other_engagement):
        assign_provider(provider, engagement=target, by=reviewer)
        with django_assert_max_num_queries(20) as ctx:
            client.get(reverse("providers:home"))
        counts.append(len(ctx.captured_queries))
    for _ in range(4):
        assign_provider(provider, engagement=engagement, by=reviewer)
    with django_assert_max_num_queries(20) as ctx:
        page = client.get(reverse("providers:home"))
    assert len(page.context["providers"][0].active_assignments) == 6
    assert len(ctx.captured_queries) == counts[0] == counts[1]


def test_the_public_directory_lists_only_approved_listed_consenting_providers(
    client, django_assert_max_num_queries
):
    shown = ProviderFactory(name="Listed And Consenting", public_listing=True, public_consent=True)
    ProviderFactory(name="Listed Not Consenting", public_listing=True)
    ProviderFactory(name="Consenting Not Listed", public_consent=True)
    ProviderFactory(
        name="Paused Provider", status="paused", public_listing=True, public_consent=True
    )
    page = client.get(reverse("providers:directory"))
    body = page.content.decode()
    assert shown.name in body
    for hidden in ("Listed Not Consenting", "Consenting Not Listed", "Paused Provider"):
        assert hidden not in body
    assert shown.references not in body  # references are for CCEE, not the public
    counts = []
    for extra in (1, 10):
        for _ in range(extra):
            ProviderFactory(public_listing=True, public_consent=True)
        with django_assert_max_num_queries(10) as ctx:
            client.get(reverse("providers:directory"))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_provider_lead_edits_the_profile_a_member_cannot(client, provider, provider_member):
    member = ProviderMemberFactory(provider=provider, role="member").user
    url = reverse("providers:profile_edit", args=[provider.pk])
    data = {
        "name": provider.name,
        "summary": "Fifteen years of coaching cycles with leading teams in math and literacy.",
        "website": "",
        "contact_email": provider.contact_email,
        "expertise": ["math_science_pedagogy"],
        "grade_spans": ["1_5"],
        "statewide": "on",
        "languages": ["en"],
        "capacity": "4",
        "references": "Two districts.",
    }
    client.force_login(member)
    assert client.post(url, data).status_code == 404
    client.force_login(provider_member)
    assert client.post(url, {**data, "capacity": "0"}).status_code == 200
    provider.refresh_from_db()
    assert provider.capacity == 3
    assert client.post(url, data).status_code == 302
    provider.refresh_from_db()
    assert (provider.capacity, provider.statewide, provider.counties) == (4, True, [])
    assert provider.status == Provider.Status.APPROVED  # editing never changes the vetting


def test_a_provider_declares_a_conflict_of_interest(client, provider, provider_member, lea):
    url = reverse("providers:conflict_add", args=[provider.pk])
    client.force_login(provider_member)
    page = client.post(url, {"lea": "", "kind": "employment"})
    assert "lea" in page.context["form"].errors and not provider.conflicts.exists()
    client.post(url, {"lea": lea.pk, "kind": "employment", "description": "Our coach works there."})
    conflict = provider.conflicts.get()
    assert (conflict.lea, conflict.kind) == (lea, "employment")
    assert lea.name in client.get(reverse("providers:profile", args=[provider.pk])).content.decode()


# --- Co-authoring progress reports --------------------------------------------------------------


def _report_data(engagement, report, **overrides):
    indicator = engagement.indicators.get()
    data = {
        "done": "Four coaching cycles with the grade 3-5 team.",
        "struggling": "Release time.",
        "changes": "Shorter cycles.",
        f"value_{indicator.pk}": "27",
        f"date_{indicator.pk}": report.period_end.isoformat(),
        **{f"state_{d.pk}": "in_progress" for d in engagement.agreement.deliverables.all()},
    }
    data.update(overrides)
    return data


def test_an_assigned_provider_drafts_and_submits_a_report_as_the_leading_team_does(
    client, assignment, engagement, provider_member, lea_staff
):
    report = engagement.reports.order_by("number").first()
    url = _report_url(engagement, report)
    client.force_login(provider_member)
    page = client.get(_detail(engagement))
    assert url in page.content.decode()  # the timeline links to the report
    assert reverse("engagements:indicator_add", args=[engagement.pk]) not in page.content.decode()
    assert client.post(url, _report_data(engagement, report)).status_code == 302
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.OPEN
    assert report.done.startswith("Four coaching cycles")
    # The LEA's member continues the same draft; the provider submits it.
    client.force_login(lea_staff)
    client.post(url, _report_data(engagement, report, changes="Shorter cycles, and pairs."))
    client.force_login(provider_member)
    page = client.get(url)
    assert "Shorter cycles, and pairs." in page.content.decode()
    data = _report_data(engagement, report, changes="Shorter cycles, and pairs.", submit="1")
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    assert report.submitted_by == provider_member


def test_another_provider_cannot_write_the_report(
    client, assignment, engagement, other_provider_member
):
    report = engagement.reports.order_by("number").first()
    client.force_login(other_provider_member)
    url = _report_url(engagement, report)
    assert client.get(url).status_code == 404
    assert client.post(url, _report_data(engagement, report, submit="1")).status_code == 404
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.OPEN and report.done == ""


def test_a_provider_without_the_permission_only_reads(
    client, assignment, engagement, provider_member
):
    from django.contrib.auth.models import Group, Permission

    from core import roles

    group = Group.objects.get(name=roles.ASSISTANCE_PROVIDER)
    group.permissions.remove(Permission.objects.get(codename="change_progressreport"))
    client.force_login(provider_member)
    assert client.get(_detail(engagement)).status_code == 200
    report = engagement.reports.order_by("number").first()
    assert client.get(_report_url(engagement, report)).status_code == 404


def test_executing_the_agreement_gives_its_engagement_to_the_assignments(
    lea, lea_staff, reviewer, agent, provider
):
    from contracts.models import ScopeOfWork
    from tests.contracts.flow import advance
    from tests.factories import approved_request

    sow = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff).scope_of_work
    today = timezone.localdate()
    sow.term_start, sow.term_end = today, today + timedelta(days=300)
    sow.term_reason = "A school year."
    sow.save(update_fields=["term_start", "term_end", "term_reason"])
    waiting = assign_provider(provider, scope_of_work=sow, by=reviewer)
    assert Provider.objects.with_load().get(pk=provider.pk).active_engagements == 1
    advance(sow, ScopeOfWork.Status.EXECUTED, reviewer=reviewer, agent=agent)
    waiting.refresh_from_db()
    assert waiting.engagement is not None and waiting.engagement.agreement_id == sow.pk
    assert Provider.objects.with_load().get(pk=provider.pk).active_engagements == 1
