"""The vetting lifecycle: each step, who may take it, its reason, history and notice."""

import pytest
from django.utils import timezone

from core import roles
from notices.models import Notice
from providers import services
from providers.models import Provider, ProviderChange
from providers.notice_kinds import K
from tests.factories import ProviderFactory, ProviderMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

S = Provider.Status
L = services.LIFECYCLE

# transition -> (a source state, the target)
STEPS = {
    "start_review": (S.APPLIED, S.UNDER_REVIEW),
    "approve": (S.UNDER_REVIEW, S.APPROVED),
    "pause": (S.APPROVED, S.PAUSED),
    "resume": (S.PAUSED, S.APPROVED),
    "decline": (S.UNDER_REVIEW, S.REMOVED),
    "remove": (S.APPROVED, S.REMOVED),
}


def _provider(status):
    approved_at = timezone.now() if status in (S.APPROVED, S.PAUSED) else None
    provider = ProviderFactory(status=status, approved_at=approved_at)
    ProviderMemberFactory(provider=provider)
    return Provider.objects.get(pk=provider.pk)


def test_every_state_is_reachable_and_removed_is_final():
    assert set(L.allowed) == set(S.values)
    assert L.allowed[S.REMOVED] == set()
    assert set(STEPS) == set(L.transitions)
    reached = {S.APPLIED}
    for _ in S.values:
        reached |= {t for s in reached for t in L.allowed[s]}
    assert reached == set(S.values)


@pytest.mark.parametrize("name", sorted(STEPS))
def test_each_step_changes_the_status_writes_history_and_tells_the_provider(name, lead):
    source, target = STEPS[name]
    provider = _provider(source)
    member = provider.members.get().user
    row = L.perform(name, provider, by=lead, reason="Checked references with two districts.")
    assert row.status == target
    change = ProviderChange.objects.filter(provider=provider).get()
    assert (change.action, change.from_status, change.to_status, change.by) == (
        name,
        source,
        target,
        lead,
    )
    assert change.reason == "Checked references with two districts."
    told = Notice.objects.filter(kind=K.STATUS_CHANGED)
    assert {n.recipient_email for n in told} == {member.email.lower(), provider.contact_email}
    assert all("Checked references with two districts." in n.body_text for n in told)


def test_approval_records_when(reviewer):
    provider = _provider(S.UNDER_REVIEW)
    row = services.provider_approve(provider=provider, by=reviewer, reason="Strong references.")
    assert row.approved_at is not None


@pytest.mark.parametrize("name", sorted(STEPS))
def test_a_step_from_a_state_it_does_not_leave_is_refused_and_changes_nothing(name, lead):
    t = L[name]
    for state in set(S.values) - set(t.sources):
        provider = _provider(state)
        with pytest.raises(services.ProviderRefused, match="cannot be"):
            L.perform(name, provider, by=lead, reason="A reason.")
        provider.refresh_from_db()
        assert provider.status == state
    assert not ProviderChange.objects.exists()
    assert not Notice.objects.filter(kind=K.STATUS_CHANGED).exists()


@pytest.mark.parametrize("name", ["approve", "pause", "resume", "decline", "remove"])
def test_decisions_need_a_reason(name, lead):
    source, _target = STEPS[name]
    provider = _provider(source)
    with pytest.raises(services.ProviderRefused, match="reason"):
        L.perform(name, provider, by=lead, reason="  ")
    provider.refresh_from_db()
    assert provider.status == source
    assert not ProviderChange.objects.exists()


def test_taking_an_application_under_review_needs_no_reason(reviewer):
    provider = _provider(S.APPLIED)
    assert services.provider_start_review(provider=provider, by=reviewer).status == S.UNDER_REVIEW


# Who may take each step: reviewers and leads vet; only leads remove an approved provider.
MAY = {
    "start_review": {"reviewer", "lead"},
    "approve": {"reviewer", "lead"},
    "pause": {"reviewer", "lead"},
    "resume": {"reviewer", "lead"},
    "decline": {"reviewer", "lead"},
    "remove": {"lead"},
}


@pytest.fixture
def people(reviewer, lead, agent, lea_staff, provider_member):
    return {
        "reviewer": reviewer,
        "lead": lead,
        "agent": agent,
        "lea_staff": lea_staff,
        "provider_member": provider_member,
    }


@pytest.mark.parametrize("name", sorted(STEPS))
def test_who_may_take_each_step(name, people):
    source, target = STEPS[name]
    for who, person in people.items():
        provider = _provider(source)
        if who in MAY[name]:
            assert L.perform(name, provider, by=person, reason="Reason.").status == target
            continue
        with pytest.raises(services.ProviderRefused, match="Only"):
            L.perform(name, provider, by=person, reason="Reason.")
        provider.refresh_from_db()
        assert provider.status == source


def test_a_provider_member_cannot_approve_their_own_application(provider_member):
    provider = provider_member.provider_memberships.get().provider
    Provider.objects.filter(pk=provider.pk).update(status=S.UNDER_REVIEW)
    with pytest.raises(services.ProviderRefused):
        services.provider_approve(provider=provider, by=provider_member, reason="Me.")


def test_unticking_the_permission_takes_the_step_away(reviewer):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name=roles.CCEE_REVIEWER)
    group.permissions.remove(Permission.objects.get(codename="vet_provider"))
    reviewer = UserFactory._meta.model.objects.get(pk=reviewer.pk)  # a fresh permission cache
    provider = _provider(S.UNDER_REVIEW)
    with pytest.raises(services.ProviderRefused):
        services.provider_approve(provider=provider, by=reviewer, reason="Good.")


def test_vetting_notes_are_reviewers_only(reviewer, provider_member, lea_staff):
    provider = provider_member.provider_memberships.get().provider
    note = services.vetting_note_add(
        provider=provider, by=reviewer, criterion="listens_and_learns", text="Listened well."
    )
    assert note.author == reviewer
    for outsider in (provider_member, lea_staff):
        with pytest.raises(services.ProviderRefused):
            services.vetting_note_add(
                provider=provider, by=outsider, criterion="other", text="Mine."
            )
    with pytest.raises(services.ProviderRefused, match="text"):
        services.vetting_note_add(provider=provider, by=reviewer, criterion="other", text=" ")
