"""The registry in the admin: the lifecycle buttons, vetting notes inline, conflicts, members."""

import pytest
from django.urls import reverse

from core import roles
from providers.models import Provider, ProviderChange, VettingNote
from tests.factories import LeaFactory, ProviderFactory, ProviderMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(provider):
    return reverse("admin:providers_provider_change", args=[provider.pk])


def _value(bound):
    value = bound.value()
    if isinstance(value, bool):
        return "on" if value else None
    return value


def post_data(page, **overrides):
    """Return the change form as the browser would post it, with `overrides`."""
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        data[name] = _value(form[name])
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for sub in formset.forms:  # the saved rows and the empty ones, as rendered
            for name in sub.fields:
                data[sub.add_prefix(name)] = _value(sub[name])
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _errors(response):
    inlines = response.context["inline_admin_formsets"]
    return [response.context["adminform"].form.errors] + [
        (i.formset.prefix, i.formset.errors, i.formset.non_form_errors()) for i in inlines
    ]


@pytest.fixture
def applied(db):
    provider = ProviderFactory(name="Applied Partners", status="applied", approved_at=None)
    ProviderMemberFactory(provider=provider)
    return provider


def test_the_reviewer_sees_the_profile_with_its_buttons_and_takes_it_under_review(
    client, reviewer, applied
):
    client.force_login(reviewer)
    page = client.get(change_url(applied))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Start the review" in body and "Decline the application" in body
    assert "Remove from the registry" not in body
    assert "vetting notes (ccee only" in body.lower()
    url = reverse("admin:providers_provider_transition", args=[applied.pk, "start_review"])
    client.post(url, {"reason": ""})
    applied.refresh_from_db()
    assert applied.status == "under_review"
    url = reverse("admin:providers_provider_transition", args=[applied.pk, "approve"])
    page = client.post(url, {"reason": ""})
    applied.refresh_from_db()
    assert applied.status == "under_review"  # a reason is needed
    client.post(url, {"reason": "References checked; listens before proposing."})
    applied.refresh_from_db()
    assert applied.status == "approved"
    assert list(applied.changes.values_list("action", flat=True)) == ["start_review", "approve"]


def test_only_a_lead_is_offered_removal(client, reviewer, lead, provider):
    client.force_login(reviewer)
    assert "Remove from the registry" not in client.get(change_url(provider)).content.decode()
    client.force_login(lead)
    assert "Remove from the registry" in client.get(change_url(provider)).content.decode()


def test_a_vetting_note_added_inline_records_its_author_and_is_never_edited(
    client, reviewer, provider
):
    client.force_login(reviewer)
    page = client.get(change_url(provider))
    data = post_data(
        page,
        **{
            "vetting_notes-TOTAL_FORMS": "1",
            "vetting_notes-0-criterion": "deep_collaboration",
            "vetting_notes-0-text": "Stays through the hard middle of the work.",
            "_continue": "Save",
        },
    )
    response = client.post(change_url(provider), data)
    assert response.status_code == 302, _errors(response)
    note = VettingNote.objects.get(provider=provider)
    assert (note.author, note.criterion) == (reviewer, "deep_collaboration")
    page = client.get(change_url(provider))
    assert "Stays through the hard middle of the work." in page.content.decode()


def test_a_member_added_inline_gets_the_provider_role(client, reviewer, provider):
    person = UserFactory()
    client.force_login(reviewer)
    page = client.get(change_url(provider))
    data = post_data(
        page,
        **{
            "members-TOTAL_FORMS": "1",
            "members-0-user": str(person.pk),
            "members-0-role": "member",
            "_continue": "Save",
        },
    )
    assert client.post(change_url(provider), data).status_code == 302
    assert provider.members.filter(user=person).exists()
    assert person.groups.filter(name=roles.ASSISTANCE_PROVIDER).exists()


def test_a_lead_registers_an_lea_provider_which_needs_its_lea(client, lead):
    lea = LeaFactory()
    client.force_login(lead)
    add = reverse("admin:providers_provider_add")
    page = client.get(add)
    data = post_data(
        page,
        kind="lea",
        name="Partner Unified",
        summary="Raised grade 3 reading by 15 points in three years with coaching cycles.",
        contact_email="partner@district.example.org",
        expertise=["ela_social_science_pedagogy"],
        grade_spans=["1_5"],
        counties=["01"],
        languages=["en"],
        capacity="2",
        _save="Save",
    )
    page = client.post(add, data)
    assert page.status_code == 200 and not Provider.objects.exists()
    assert "names the LEA" in page.content.decode()
    data["lea"] = str(lea.pk)
    assert client.post(add, data).status_code == 302
    provider = Provider.objects.get()
    assert (provider.kind, provider.lea, provider.status) == ("lea", lea, "applied")
    assert ProviderChange.objects.get(provider=provider).action == "register"


def test_reviewers_cannot_add_and_nobody_deletes(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("admin:providers_provider_add")).status_code == 403


def test_outsiders_get_no_admin_page(client, provider, provider_member, lea_staff, agent):
    for outsider in (provider_member, lea_staff):
        client.force_login(outsider)
        assert client.get(change_url(provider)).status_code == 302  # the admin's sign-in
    client.force_login(agent)
    assert client.get(change_url(provider)).status_code == 403


def test_the_changelist_shows_load_and_its_query_count_is_flat(
    client, reviewer, django_assert_max_num_queries
):
    client.force_login(reviewer)
    counts = []
    for extra in (2, 20):
        for _ in range(extra):
            ProviderFactory()
        with django_assert_max_num_queries(40) as ctx:
            page = client.get(reverse("admin:providers_provider_changelist"))
        assert page.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_record_of_success_shows_completed_engagements_outcomes_against_targets(
    client, reviewer, provider, lea, lea_staff, agent
):
    from decimal import Decimal

    from engagements.models import Engagement
    from tests.factories import assign_provider
    from tests.providers.conftest import running_engagement

    done = running_engagement(lea=lea, lea_staff=lea_staff, reviewer=reviewer, agent=agent)
    assign_provider(provider, engagement=done, by=reviewer)
    done.indicators.update(final_value=Decimal("42"))  # target 40, from a baseline of 20
    Engagement.objects.filter(pk=done.pk).update(status=Engagement.Status.COMPLETED)
    client.force_login(reviewer)
    body = client.get(change_url(provider)).content.decode()
    assert done.request.reference in body
    assert "Grade 3 ELA proficiency: 42.00 against 40.00 (target met)" in body
    assert Provider.objects.with_load().get(pk=provider.pk).active_engagements == 0


def test_the_change_page_query_count_does_not_grow_with_notes_and_people(
    client, reviewer, provider, django_assert_max_num_queries
):
    from providers import services

    client.force_login(reviewer)
    counts = []
    for extra in (1, 8):
        for n in range(extra):
            services.vetting_note_add(
                provider=provider, by=reviewer, criterion="other", text=f"Note {n}."
            )
            ProviderMemberFactory(provider=provider, role="member")
        with django_assert_max_num_queries(80) as ctx:
            assert client.get(change_url(provider)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
