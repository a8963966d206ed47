"""The request's lifecycle: transitions as data, and one service function per transition.

Each service locks the request row, checks the role and the source state, writes the change
and its StatusChange row, and queues the outbox notices, all in one transaction. A refused
transition raises TransitionRefused with a sentence a person can act on, and changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from eligibility import rules

from . import notices, permissions
from .deadlines import verification_due_at
from .models import AssistanceRequest, ReferenceCounter, StatusChange
from .notice_kinds import K
from .validation import submission_problems

S = AssistanceRequest.Status


class TransitionRefused(Exception):
    """A transition that is not allowed now, for this person; the message says why."""


class AlreadySubmitted(TransitionRefused):
    """The request was submitted already (a second click or a repeated post)."""

    def __init__(self, assistance_request):
        super().__init__(f"{assistance_request.reference} was already submitted.")
        self.assistance_request = assistance_request


class IncompleteRequest(TransitionRefused):
    """The request lacks what submission needs; `problems` maps each field to its messages."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__("The request is not complete yet: see the highlighted fields.")
        self.problems = problems


class StaleTriage(TransitionRefused):
    """A reviewer's edit based on a triage version that someone else has changed since."""


@dataclass(frozen=True)
class Transition:
    name: str
    verb: str  # how a sentence names it: "verified", "approved", …
    sources: frozenset
    target: str
    actor: str  # "lea", "reviewer" or "lead"
    reason_required: bool = False
    lea_notice: str | None = None
    staff_notice: str | None = None


def _t(name, verb, sources, target, actor, **kw):
    return Transition(name, verb, frozenset(sources), target, actor, **kw)


# The lifecycle as data. LEA staff submit, resubmit and withdraw; reviewers verify, review,
# ask for information and decide; a lead may also reopen a declined request.
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("submit", "submitted", [S.DRAFT], S.SUBMITTED, "lea"),
        _t(
            "verify",
            "verified",
            [S.SUBMITTED],
            S.VERIFIED,
            "reviewer",
            lea_notice=K.VERIFIED,
        ),
        _t(
            "start_review",
            "put under review",
            [S.VERIFIED],
            S.UNDER_REVIEW,
            "reviewer",
            lea_notice=K.REVIEW_STARTED,
        ),
        _t(
            "request_information",
            "sent a request for information",
            [S.VERIFIED, S.UNDER_REVIEW],
            S.INFORMATION_REQUESTED,
            "reviewer",
            reason_required=True,
            lea_notice=K.INFORMATION_REQUESTED,
            staff_notice=K.INFORMATION_REQUESTED,
        ),
        _t(
            "resubmit",
            "resubmitted",
            [S.INFORMATION_REQUESTED],
            S.UNDER_REVIEW,
            "lea",
            staff_notice=K.RESUBMITTED,
        ),
        _t(
            "approve",
            "approved",
            [S.VERIFIED, S.UNDER_REVIEW],
            S.APPROVED,
            "reviewer",
            lea_notice=K.APPROVED,
            staff_notice=K.APPROVED,
        ),
        _t(
            "decline",
            "declined",
            [S.VERIFIED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED],
            S.DECLINED,
            "reviewer",
            reason_required=True,
            lea_notice=K.DECLINED,
            staff_notice=K.DECLINED,
        ),
        _t(
            "reopen",
            "reopened",
            [S.DECLINED],
            S.UNDER_REVIEW,
            "lead",
            reason_required=True,
            lea_notice=K.REOPENED,
            staff_notice=K.REOPENED,
        ),
        _t(
            "withdraw",
            "withdrawn",
            [S.SUBMITTED, S.VERIFIED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED],
            S.WITHDRAWN,
            "lea",
            lea_notice=K.WITHDRAWN,
            staff_notice=K.WITHDRAWN,
        ),
    ]
}

# Every status and the statuses it can move to.
ALLOWED: dict[str, set[str]] = {status: set() for status in S.values}
for _transition in TRANSITIONS.values():
    for _source in _transition.sources:
        ALLOWED[_source].add(_transition.target)

# Called with (assistance_request, by) inside the approval's transaction; the contracts app
# registers the drafting of a scope of work here (requests_intake never imports contracts).
APPROVAL_HOOKS: list[Callable] = []


def available_transitions(assistance_request, user, *, actors=None) -> list[Transition]:
    """Return the transitions this person could make on the request now.

    `actors` narrows the answer to transitions made by those roles ("lea", "reviewer", "lead"):
    the admin asks only about CCEE's, which spares a membership query per LEA transition.
    """
    return [
        t
        for t in TRANSITIONS.values()
        if assistance_request.status in t.sources
        and (actors is None or t.actor in actors)
        and _may(t, user, assistance_request)
    ]


def _may(transition: Transition, user, req) -> permissions.Decision:
    if transition.actor == "lea":
        return permissions.can_act_as_lea(user, req)
    if transition.actor == "lead":
        return permissions.can_reopen(user, req)
    return permissions.can_review(user, req)


def _lock(assistance_request, *related: str) -> AssistanceRequest:
    """Return the request's row locked until the transaction ends, with `related` joined.

    `of=("self",)` locks only the request: PostgreSQL refuses FOR UPDATE on the nullable side
    of the outer joins that select_related makes for optional people (assigned_to …).
    """
    return (
        AssistanceRequest.objects.select_for_update(of=("self",))
        .select_related("lea", *related)
        .get(pk=assistance_request.pk)
    )


def triage_changed_by(req: AssistanceRequest):
    """Return (person, when) of the change that produced the request's current triage version."""
    record = (
        req.history.filter(triage_version=req.triage_version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
        .first()
    )
    if record is None:
        return None, None
    return record.history_user, record.history_date


def _refuse_if_stale(req: AssistanceRequest, expected_triage_version: int | None) -> None:
    if expected_triage_version is None or expected_triage_version == req.triage_version:
        return
    who, when = triage_changed_by(req)
    name = who.get_full_name() if who is not None else "Someone else"
    at = f" at {timezone.localtime(when):%-I:%M %p on %b %-d}" if when else ""
    raise StaleTriage(
        f"{name} changed {req}{at}, after you opened it. Your change was not saved: "
        "reload the request, check theirs, and make yours again."
    )


def _run(
    name: str,
    assistance_request: AssistanceRequest,
    by,
    *,
    reason: str = "",
    change: Callable | None = None,
    after: Callable | None = None,
    context: dict | None = None,
) -> AssistanceRequest:
    transition = TRANSITIONS[name]
    reason = (reason or "").strip()
    with transaction.atomic():
        req = _lock(assistance_request, "assigned_to", "submitted_by", "created_by")
        decision = _may(transition, by, req)
        if not decision:
            raise TransitionRefused(decision.reason)
        if name == "submit" and req.status != S.DRAFT:
            raise AlreadySubmitted(req)
        if req.status not in transition.sources:
            raise TransitionRefused(
                f"{req} cannot be {transition.verb}: it is {req.get_status_display().lower()}."
            )
        if transition.reason_required and not reason:
            raise TransitionRefused(f"A reason is required for a request to be {transition.verb}.")
        now = timezone.now()
        previous = req.status
        req.status = transition.target
        req.last_activity_at = now
        fields = ["status", "last_activity_at", "updated_at"]
        if change is not None:
            fields += change(req, now)
        req._history_user = by  # the audit history records who made the change
        req.save(update_fields=fields)
        status_change = StatusChange.objects.create(
            request=req, from_status=previous, to_status=req.status, by=by, at=now, reason=reason
        )
        ctx = {"status_change": status_change, "reason": reason, "by": by, **(context or {})}
        event = f"sc{status_change.pk}"
        if transition.lea_notice:
            notices.queue_notices(
                kind=transition.lea_notice,
                req=req,
                recipients=notices.lea_recipients(req),
                event=event,
                context=ctx,
            )
        if transition.staff_notice:
            staff = [r for r in notices.reviewer_recipients(req) if r.user != by]
            notices.queue_notices(
                kind=transition.staff_notice, req=req, recipients=staff, event=event, context=ctx
            )
        if after is not None:
            after(req, status_change)
        if name == "approve":
            for hook in APPROVAL_HOOKS:
                hook(req, by)
    return req


def _next_reference(received_at) -> str:
    """Return the next RFA-YYYY-NNNN number of the (Pacific) year; never issued twice."""
    year = timezone.localtime(received_at).year
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"RFA-{year}-{counter.last_number:04d}"


def evaluate_request(req: AssistanceRequest, facts: dict | None = None) -> dict:
    """Return the determination (as stored) for the request's attested facts, or for `facts`."""
    determination = rules.evaluate(
        facts if facts is not None else req.eligibility_facts(),
        directory={"lea_type": req.lea.lea_type},
    )
    return determination.to_dict()


def _apply_determination_summary(req: AssistanceRequest) -> list[str]:
    in_force = req.determination_in_force or {}
    req.priority_tier = in_force.get("priority_tier")
    req.pathways = ",".join(in_force.get("pathways", []))
    req.cost_basis = in_force.get("cost_basis", "")
    return ["priority_tier", "pathways", "cost_basis"]


def assistance_request_submit(*, assistance_request: AssistanceRequest, by) -> AssistanceRequest:
    """Submit a complete draft: reference, receipt, determination and notices, in one go."""

    def change(req, now):
        problems = submission_problems(req)
        if problems:
            raise IncompleteRequest(problems)
        req.reference = _next_reference(now)
        req.received_at = now
        req.verification_due_at = verification_due_at(now)
        req.submitted_by = by
        req.determination = evaluate_request(req)
        req.rules_version = req.determination["rules_version"]
        return [
            "reference",
            "received_at",
            "verification_due_at",
            "submitted_by",
            "determination",
            "rules_version",
            *_apply_determination_summary(req),
        ]

    def after(req, status_change):
        for kind, recipients in (
            (K.RECEIPT, notices.lea_recipients(req)),
            (K.NEW_REQUEST_ALERT, notices.reviewer_recipients(req)),
        ):
            notices.queue_notices(
                kind=kind, req=req, recipients=recipients, event="submitted", context={"by": by}
            )

    return _run("submit", assistance_request, by, change=change, after=after)


def assistance_request_verify(*, assistance_request: AssistanceRequest, by) -> AssistanceRequest:
    """Record the initial verification (due 48 hours after receipt) and tell the LEA."""

    def change(req, now):
        req.verified_at, req.verified_by = now, by
        fields = ["verified_at", "verified_by"]
        if req.assigned_to_id is None:
            req.assigned_to = by
            req.triage_version += 1
            fields += ["assigned_to", "triage_version"]
        return fields

    return _run("verify", assistance_request, by, change=change)


def assistance_request_start_review(
    *, assistance_request: AssistanceRequest, by
) -> AssistanceRequest:
    """Begin the review of a verified request."""
    return _run("start_review", assistance_request, by)


def assistance_request_request_information(
    *, assistance_request: AssistanceRequest, by, message: str, sections=()
) -> AssistanceRequest:
    """Ask the LEA for more information; the message names what to change."""
    from .models import RequestMessage

    def after(req, status_change):
        RequestMessage.objects.create(
            request=req,
            kind=RequestMessage.Kind.INFORMATION_REQUEST,
            author=by,
            body=message.strip(),
            sections=list(sections),
            created_at=status_change.at,
        )

    return _run(
        "request_information",
        assistance_request,
        by,
        reason=message,
        after=after,
        context={"message": message.strip(), "sections": list(sections)},
    )


def assistance_request_resubmit(
    *, assistance_request: AssistanceRequest, by, reply: str = ""
) -> AssistanceRequest:
    """Return a request to review after the LEA answered a request for information."""
    from .models import RequestMessage

    def change(req, now):
        problems = submission_problems(req)
        if problems:
            raise IncompleteRequest(problems)
        req.determination = evaluate_request(req)
        req.rules_version = req.determination["rules_version"]
        return ["determination", "rules_version", *_apply_determination_summary(req)]

    def after(req, status_change):
        if reply.strip():
            RequestMessage.objects.create(
                request=req,
                kind=RequestMessage.Kind.LEA_REPLY,
                author=by,
                body=reply.strip(),
                created_at=status_change.at,
            )

    return _run(
        "resubmit",
        assistance_request,
        by,
        reason=reply,
        change=change,
        after=after,
        context={"message": reply.strip()},
    )


def _decide(by, reason: str):
    """Return the change that records a decision: who, when and why."""

    def change(req, now):
        req.decided_at, req.decided_by, req.decision_reason = now, by, reason.strip()
        return ["decided_at", "decided_by", "decision_reason"]

    return change


def assistance_request_approve(
    *, assistance_request: AssistanceRequest, by, reason: str = ""
) -> AssistanceRequest:
    """Approve the request; the contract development starts (see APPROVAL_HOOKS)."""

    return _run("approve", assistance_request, by, reason=reason, change=_decide(by, reason))


def assistance_request_decline(
    *, assistance_request: AssistanceRequest, by, reason: str
) -> AssistanceRequest:
    """Decline the request, telling the LEA why."""

    return _run("decline", assistance_request, by, reason=reason, change=_decide(by, reason))


def assistance_request_reopen(
    *, assistance_request: AssistanceRequest, by, reason: str
) -> AssistanceRequest:
    """Reopen a declined request for review (leads only)."""

    def change(req, now):
        req.decided_at, req.decided_by, req.decision_reason = None, None, ""
        return ["decided_at", "decided_by", "decision_reason"]

    return _run("reopen", assistance_request, by, reason=reason, change=change)


def assistance_request_withdraw(
    *, assistance_request: AssistanceRequest, by, reason: str = ""
) -> AssistanceRequest:
    """Withdraw the request at the LEA's wish, at any point before approval."""

    def change(req, now):
        req.withdrawn_at = now
        return ["withdrawn_at"]

    return _run("withdraw", assistance_request, by, reason=reason, change=change)


def assistance_request_assign(
    *,
    assistance_request: AssistanceRequest,
    by,
    assignee,
    expected_triage_version: int | None = None,
) -> AssistanceRequest:
    """Assign the request to a reviewer (or to nobody) and tell the new assignee.

    With `expected_triage_version` (the version the reviewer's form was based on), a request
    whose triage someone else changed since is refused with StaleTriage, naming who.
    """
    with transaction.atomic():
        req = _lock(assistance_request)
        if not permissions.is_reviewer(by):
            raise TransitionRefused(permissions.can_assign(by, req, assignee).reason)
        if req.assigned_to_id == (assignee.pk if assignee else None):
            return req  # nothing to change, so nothing of anyone's is overwritten
        # A reviewer whose form is out of date hears who changed it before anything else.
        _refuse_if_stale(req, expected_triage_version)
        decision = permissions.can_assign(by, req, assignee)
        if not decision:
            raise TransitionRefused(decision.reason)
        if req.status == S.DRAFT:
            raise TransitionRefused("A draft cannot be assigned; it has not been submitted.")
        req.assigned_to = assignee
        req.last_activity_at = timezone.now()
        req.triage_version += 1
        req._history_user = by
        req.save(update_fields=["assigned_to", "last_activity_at", "triage_version", "updated_at"])
        if assignee is not None and assignee != by:
            notices.queue_notices(
                kind=K.ASSIGNED,
                req=req,
                recipients=[
                    notices.Recipient(
                        assignee.email.lower(), assignee, assignee.get_full_name(), "staff"
                    )
                ],
                event=f"assign{req.triage_version}",
                context={"by": by},
            )
    return req


def assistance_request_record_verified_facts(
    *,
    assistance_request: AssistanceRequest,
    by,
    facts: dict,
    expected_triage_version: int | None = None,
) -> AssistanceRequest:
    """Keep the facts as a reviewer verified them and the determination recomputed from them."""
    with transaction.atomic():
        req = _lock(assistance_request)
        decision = permissions.can_review(by, req)
        if not decision:
            raise TransitionRefused(decision.reason)
        if req.status in (S.DRAFT, S.WITHDRAWN):
            raise TransitionRefused("Verified facts are recorded only on a submitted request.")
        _refuse_if_stale(req, expected_triage_version)
        parsed = rules.parse_facts(facts)  # raises rules.FactsError with the field named
        req.verified_determination = evaluate_request(req, facts)
        req.verified_facts = {**facts, "estimated_months": parsed.estimated_months}
        req.verified_rules_version = req.verified_determination["rules_version"]
        req.last_activity_at = timezone.now()
        req.triage_version += 1
        req._history_user = by
        req.save(
            update_fields=[
                "verified_facts",
                "verified_determination",
                "verified_rules_version",
                "last_activity_at",
                "triage_version",
                "updated_at",
                *_apply_determination_summary(req),
            ]
        )
    return req
