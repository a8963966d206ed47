"""The request lifecycle: every allowed transition, every refused one, history and notices."""

import pytest

from eligibility import rules
from notices.models import Notice
from requests_intake import workflow
from requests_intake.models import AssistanceRequest, StatusChange
from requests_intake.notice_kinds import K
from tests.factories import DraftRequestFactory, UserFactory, submitted_request

S = AssistanceRequest.Status

# How a test brings a fresh request to each status, through the services only.
PATH_TO = {
    S.SUBMITTED: [],
    S.VERIFIED: ["verify"],
    S.UNDER_REVIEW: ["verify", "start_review"],
    S.INFORMATION_REQUESTED: ["verify", "request_information"],
    S.APPROVED: ["verify", "approve"],
    S.DECLINED: ["verify", "decline"],
    S.WITHDRAWN: ["withdraw"],
}

# The keyword each service takes its free text under (the table names the admin's only).
TEXT_KEYWORDS = {
    "request_information": "message",
    "resubmit": "reply",
    "approve": "reason",
    "decline": "reason",
    "reopen": "reason",
    "withdraw": "reason",
}

REASON = "Please add the county superintendent's letter of determination."


def run(name, req, by, reason=REASON):
    kwargs = {TEXT_KEYWORDS[name]: reason} if name in TEXT_KEYWORDS else {}
    return workflow.LIFECYCLE.perform(name, req, by=by, **kwargs)


def actor(transition) -> str:
    """Return who makes the transition: "lea", "reviewer" or "lead"."""
    if transition.name in workflow.LEA_TRANSITIONS:
        return "lea"
    return "lead" if transition.name == "reopen" else "reviewer"


def lea_notice(transition):
    return transition.notices.get("lea")


def staff_notice(transition):
    return transition.notices.get("staff")


class People:
    def __init__(self, lea_staff, reviewer, lead, agent, other_lea_staff):
        self.lea_staff = lea_staff
        self.reviewer = reviewer
        self.lead = lead
        self.agent = agent
        self.other_lea_staff = other_lea_staff

    def actor(self, transition):
        return {"lea": self.lea_staff, "reviewer": self.reviewer, "lead": self.lead}[
            actor(transition)
        ]


@pytest.fixture
def people(lea_staff, reviewer, lead, agent, other_lea_staff):
    return People(lea_staff, reviewer, lead, agent, other_lea_staff)


def bring_to(status, people, lea):
    """Return a request of `lea` in `status`, reached through the workflow services."""
    if status == S.DRAFT:
        return DraftRequestFactory(lea=lea, created_by=people.lea_staff)
    req = submitted_request(lea=lea, created_by=people.lea_staff)
    for step in PATH_TO[status]:
        by = people.lea_staff if step == "withdraw" else people.reviewer
        req = run(step, req, by)
    req.refresh_from_db()
    assert req.status == status
    return req


def snapshot(req):
    req.refresh_from_db()
    return {
        "status": req.status,
        "updated_at": req.updated_at,
        "triage_version": req.triage_version,
        "status_changes": StatusChange.objects.filter(request=req).count(),
        "notices": Notice.objects.filter(request=req).count(),
        "history": req.history.count(),
    }


ALLOWED_CASES = [
    (t.name, source) for t in workflow.TRANSITIONS.values() for source in sorted(t.sources)
]
REFUSED_STATE_CASES = [
    (t.name, status)
    for t in workflow.TRANSITIONS.values()
    for status in S.values
    if status not in t.sources
]


def test_walking_allowed_reaches_every_status_and_only_approved_and_withdrawn_are_final():
    assert set(workflow.ALLOWED) == set(S.values)
    seen, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        for target in workflow.ALLOWED[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(S.values), "a status cannot be reached from draft"
    final = {status for status, targets in workflow.ALLOWED.items() if not targets}
    assert final == {S.APPROVED, S.WITHDRAWN}
    for transition in workflow.TRANSITIONS.values():
        for source in transition.sources:
            assert transition.target in workflow.ALLOWED[source]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), ALLOWED_CASES)
def test_allowed_transition_changes_status_records_history_and_queues_notices(
    name, source, people, lea
):
    transition = workflow.TRANSITIONS[name]
    req = bring_to(source, people, lea)
    by = people.actor(transition)
    # Another CCEE person holds the request, so staff notices have someone to go to.
    colleague = people.reviewer if by == people.lead else people.lead
    if source != S.DRAFT:
        workflow.assistance_request_assign(
            assistance_request=req, by=people.lead, assignee=colleague
        )
    last_notice = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    changes_before = StatusChange.objects.filter(request=req).count()

    result = run(name, req, by)

    result.refresh_from_db()
    assert result.status == transition.target
    assert StatusChange.objects.filter(request=req).count() == changes_before + 1
    change = StatusChange.objects.filter(request=req).latest("pk")
    assert (change.from_status, change.to_status, change.by) == (source, transition.target, by)
    if transition.reason_required:
        assert change.reason == REASON
    assert result.history.latest().history_user == by
    new = Notice.objects.filter(request=req, pk__gt=last_notice)
    kinds = set(new.values_list("kind", flat=True))
    lea_emails = {req.primary_contact_email.lower(), people.lea_staff.email.lower()}
    if name == "submit":
        assert kinds == {K.RECEIPT, K.NEW_REQUEST_ALERT}
        assert set(new.filter(kind=K.RECEIPT).values_list("recipient_email", flat=True)) == (
            lea_emails
        )
        return
    expected = {k for k in (lea_notice(transition), staff_notice(transition)) if k}
    assert kinds == expected
    if lea_notice(transition):
        to_lea = set(
            new.filter(kind=lea_notice(transition))
            .exclude(recipient_email=colleague.email)
            .values_list("recipient_email", flat=True)
        )
        assert to_lea == lea_emails
    if staff_notice(transition):
        to_staff = new.filter(kind=staff_notice(transition), recipient=colleague)
        assert to_staff.count() == 1
        # CCEE staff are not told of what they did themselves.
        assert (
            actor(transition) == "lea"
            or not new.filter(kind=staff_notice(transition), recipient=by).exists()
        )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "status"), REFUSED_STATE_CASES)
def test_transition_from_a_wrong_state_is_refused_and_changes_nothing(name, status, people, lea):
    transition = workflow.TRANSITIONS[name]
    req = bring_to(status, people, lea)
    before = snapshot(req)

    with pytest.raises(workflow.TransitionRefused) as refused:
        run(name, req, people.actor(transition))

    message = str(refused.value)
    if name == "submit":
        assert message == f"{req.reference} was already submitted."
    else:
        assert f"cannot be {transition.verb}" in message
        assert req.get_status_display().lower() in message
    assert snapshot(req) == before


def wrong_people(transition, people):
    if actor(transition) == "lea":
        return [people.reviewer, people.agent, people.other_lea_staff]
    if actor(transition) == "lead":
        return [people.reviewer, people.agent, people.lea_staff]
    return [people.lea_staff, people.agent, people.other_lea_staff]


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_transition_by_the_wrong_role_is_refused_and_changes_nothing(name, people, lea):
    transition = workflow.TRANSITIONS[name]
    source = sorted(transition.sources)[0]
    for person in wrong_people(transition, people):
        req = bring_to(source, people, lea)
        before = snapshot(req)
        with pytest.raises(workflow.TransitionRefused) as refused:
            run(name, req, person)
        assert "Only" in str(refused.value)
        assert snapshot(req) == before


@pytest.mark.django_db
def test_reviewer_cannot_reopen_but_a_lead_can(people, lea):
    req = bring_to(S.DECLINED, people, lea)
    with pytest.raises(workflow.TransitionRefused, match="Only a CCEE lead can reopen"):
        workflow.assistance_request_reopen(assistance_request=req, by=people.reviewer, reason="x")
    workflow.assistance_request_reopen(assistance_request=req, by=people.lead, reason="New facts")
    req.refresh_from_db()
    assert req.status == S.UNDER_REVIEW
    assert (req.decided_at, req.decided_by, req.decision_reason) == (None, None, "")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["request_information", "decline", "reopen"])
def test_transition_needing_a_reason_is_refused_without_one(name, people, lea):
    transition = workflow.TRANSITIONS[name]
    req = bring_to(sorted(transition.sources)[0], people, lea)
    before = snapshot(req)
    with pytest.raises(workflow.TransitionRefused, match="A reason is required"):
        run(name, req, people.actor(transition), reason="   ")
    assert snapshot(req) == before


@pytest.mark.django_db
def test_request_information_keeps_the_message_for_the_lea(people, lea):
    req = bring_to(S.VERIFIED, people, lea)
    workflow.assistance_request_request_information(
        assistance_request=req, by=people.reviewer, message="  Attach the letter.  "
    )
    message = req.messages.get()
    assert (message.kind, message.body, message.author) == (
        "information_request",
        "Attach the letter.",
        people.reviewer,
    )


@pytest.mark.django_db
def test_verify_assigns_an_unassigned_request_to_the_reviewer_and_bumps_triage_version(people, lea):
    req = bring_to(S.SUBMITTED, people, lea)
    version = req.triage_version
    workflow.assistance_request_verify(assistance_request=req, by=people.reviewer)
    req.refresh_from_db()
    assert (req.assigned_to, req.verified_by) == (people.reviewer, people.reviewer)
    assert req.triage_version == version + 1


@pytest.mark.django_db
def test_assignment_based_on_a_stale_triage_version_is_refused_naming_who_changed_it(people, lea):
    req = bring_to(S.SUBMITTED, people, lea)
    seen = req.triage_version
    workflow.assistance_request_assign(
        assistance_request=req, by=people.lead, assignee=people.lead, expected_triage_version=seen
    )
    req.refresh_from_db()
    before = snapshot(req)

    with pytest.raises(workflow.StaleTriage) as refused:
        workflow.assistance_request_assign(
            assistance_request=req,
            by=people.reviewer,
            assignee=people.reviewer,
            expected_triage_version=seen,
        )

    assert str(refused.value).startswith(f"Lee Lead changed {req.reference} at ")
    assert "Your change was not saved" in str(refused.value)
    assert snapshot(req) == before
    assert req.assigned_to == people.lead


@pytest.mark.django_db
def test_recording_verified_facts_on_a_stale_version_is_refused(people, lea):
    req = bring_to(S.VERIFIED, people, lea)
    seen = req.triage_version
    facts = req.eligibility_facts()
    workflow.assistance_request_record_verified_facts(
        assistance_request=req, by=people.lead, facts=facts, expected_triage_version=seen
    )
    with pytest.raises(workflow.StaleTriage, match="Lee Lead changed"):
        workflow.assistance_request_record_verified_facts(
            assistance_request=req,
            by=people.reviewer,
            facts={**facts, "estimated_months": 12},
            expected_triage_version=seen,
        )
    req.refresh_from_db()
    assert req.verified_facts["estimated_months"] == facts["estimated_months"]


@pytest.mark.django_db
def test_reviewer_may_not_take_a_request_held_by_another_reviewer(people, lea):
    req = bring_to(S.VERIFIED, people, lea)  # verified, so held by people.reviewer
    second = UserFactory(role="CCEE reviewer")
    with pytest.raises(workflow.TransitionRefused, match="Only a CCEE lead can reassign"):
        workflow.assistance_request_assign(assistance_request=req, by=second, assignee=second)
    req.refresh_from_db()
    assert req.assigned_to == people.reviewer


@pytest.mark.django_db
def test_assignment_that_changes_nothing_is_not_refused_on_a_stale_version(people, lea):
    req = bring_to(S.SUBMITTED, people, lea)
    seen = req.triage_version
    workflow.assistance_request_assign(assistance_request=req, by=people.lead, assignee=people.lead)
    before = snapshot(req)
    workflow.assistance_request_assign(
        assistance_request=req, by=people.lead, assignee=people.lead, expected_triage_version=seen
    )
    assert snapshot(req) == before


OLD_RULES_VERSION = "2025-11-23.1"


def computed_under_old_rules(req, **facts):
    """Give the request attested `facts` and a determination stored under an older version."""
    old = {**workflow.evaluate_request(req), "rules_version": OLD_RULES_VERSION}
    old["pathways"], old["cost_basis"] = ["g3"], "reimbursable"
    # Saved, not updated, so that the history holds the old determination as it was.
    for name, value in {
        "determination": old,
        "rules_version": OLD_RULES_VERSION,
        "pathways": "g3",
        **facts,
    }.items():
        setattr(req, name, value)
    req.save()
    req.refresh_from_db()
    return req


@pytest.mark.django_db
def test_recomputing_an_old_determination_applies_the_rules_in_force_and_keeps_history(people, lea):
    req = bring_to(S.VERIFIED, people, lea)
    req = computed_under_old_rules(
        req, intensive_assistance_criteria_met=True, coe_superintendent_determined_necessary=False
    )
    assert workflow.determination_is_outdated(req)
    history_before = req.history.count()

    workflow.assistance_request_recompute_determination(
        assistance_request=req, by=people.reviewer, expected_triage_version=req.triage_version
    )

    req.refresh_from_db()
    assert req.rules_version == rules.RULES_VERSION == req.determination["rules_version"]
    assert req.determination["pathways"] == ["52072a"]
    assert (req.pathways, req.cost_basis) == ("52072a", "state_funded")
    assert not workflow.determination_is_outdated(req)
    assert req.history.count() == history_before + 1
    latest, previous = req.history.order_by("-history_date", "-history_id")[:2]
    assert latest.history_user == people.reviewer
    assert previous.rules_version == OLD_RULES_VERSION
    assert previous.determination["pathways"] == ["g3"]


@pytest.mark.django_db
def test_recomputing_also_recomputes_the_verified_determination(people, lea):
    req = bring_to(S.UNDER_REVIEW, people, lea)
    facts = {**req.eligibility_facts(), "spi_determined_necessary": True}
    req = workflow.assistance_request_record_verified_facts(
        assistance_request=req, by=people.reviewer, facts=facts
    )
    old_verified = {**req.verified_determination, "rules_version": OLD_RULES_VERSION}
    AssistanceRequest.objects.filter(pk=req.pk).update(
        verified_determination=old_verified, verified_rules_version=OLD_RULES_VERSION
    )
    req.refresh_from_db()
    assert workflow.determination_is_outdated(req)

    workflow.assistance_request_recompute_determination(assistance_request=req, by=people.lead)

    req.refresh_from_db()
    assert req.verified_rules_version == rules.RULES_VERSION
    assert req.verified_determination["rules_version"] == rules.RULES_VERSION
    assert "g1B" in req.verified_determination["pathways"]


@pytest.mark.django_db
def test_a_current_determination_is_not_recomputed(people, lea):
    req = bring_to(S.SUBMITTED, people, lea)
    before = snapshot(req)
    with pytest.raises(workflow.TransitionRefused, match="already determined under rules"):
        workflow.assistance_request_recompute_determination(
            assistance_request=req, by=people.reviewer
        )
    assert snapshot(req) == before


@pytest.mark.django_db
def test_lea_staff_may_not_recompute_a_determination(people, lea):
    req = computed_under_old_rules(bring_to(S.SUBMITTED, people, lea))
    before = snapshot(req)
    with pytest.raises(workflow.TransitionRefused):
        workflow.assistance_request_recompute_determination(
            assistance_request=req, by=people.lea_staff
        )
    assert snapshot(req) == before
    assert req.rules_version == OLD_RULES_VERSION


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.APPROVED, S.DECLINED, S.WITHDRAWN])
def test_a_decided_or_withdrawn_request_keeps_its_determination(people, lea, status):
    req = computed_under_old_rules(bring_to(status, people, lea))
    before = snapshot(req)
    with pytest.raises(workflow.TransitionRefused, match="recomputed only before"):
        workflow.assistance_request_recompute_determination(assistance_request=req, by=people.lead)
    assert snapshot(req) == before


@pytest.mark.django_db
def test_recomputing_on_a_stale_triage_version_is_refused(people, lea):
    req = computed_under_old_rules(bring_to(S.SUBMITTED, people, lea))
    seen = req.triage_version
    workflow.assistance_request_assign(assistance_request=req, by=people.lead, assignee=people.lead)
    before = snapshot(req)
    with pytest.raises(workflow.StaleTriage):
        workflow.assistance_request_recompute_determination(
            assistance_request=req, by=people.reviewer, expected_triage_version=seen
        )
    assert snapshot(req) == before
