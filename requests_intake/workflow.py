"""The request's lifecycle: transitions as data, and one service function per transition.

Every status change runs through the shared runner (core.lifecycle): it locks the request row,
checks the person's permission and the source state, writes the change and its StatusChange row,
and the service queues the outbox notices, all in one transaction. A refused transition raises
TransitionRefused with a sentence a person can act on, and changes nothing.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from core import lifecycle
from eligibility import rules
from notices.recipients import staff_recipient
from notices.services import queue_notice_groups, queue_notices

from . import notices, permissions, references, state_data
from .deadlines import verification_due_at
from .documents import request_pdf_attachment
from .models import AssistanceRequest, RequestMessage, StatusChange
from .notice_kinds import K
from .validation import submission_problems

S = AssistanceRequest.Status


class TransitionRefused(lifecycle.TransitionRefused):
    """A request transition that is not allowed now, for this person; the message says why."""


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


def _touch(req, now) -> list[str]:
    req.last_activity_at = now
    return ["last_activity_at", "updated_at"]


def _record(*, row, transition, previous, by, at, reason) -> StatusChange:
    return StatusChange.objects.create(
        request=row, from_status=previous, to_status=row.status, by=by, at=at, reason=reason
    )


_t = lifecycle.transition
_LEA = permissions.can_act_as_lea
_REVIEW = permissions.can_review
_DECIDE = permissions.can_decide

# The lifecycle as data. LEA staff submit, resubmit and withdraw; reviewers verify, review,
# ask for information and decide; a lead may also reopen a declined request.
LIFECYCLE = lifecycle.Lifecycle(
    model=AssistanceRequest,
    transitions=[
        _t("submit", "Submit", "submitted", [S.DRAFT], S.SUBMITTED, _LEA, bulk=False),
        _t(
            "verify",
            "Verify",
            "verified",
            [S.SUBMITTED],
            S.VERIFIED,
            _REVIEW,
            notices={"lea": K.VERIFIED},
        ),
        _t(
            "start_review",
            "Start review",
            "put under review",
            [S.VERIFIED],
            S.UNDER_REVIEW,
            _REVIEW,
            notices={"lea": K.REVIEW_STARTED},
        ),
        _t(
            "request_information",
            "Request information",
            "sent a request for information",
            # From Submitted it is the initial verification follow-up of the 48-hour clock.
            [S.SUBMITTED, S.VERIFIED, S.UNDER_REVIEW],
            S.INFORMATION_REQUESTED,
            _REVIEW,
            reason_required=True,
            reason_prompt="Message to the LEA: what to add or change",
            reason_keyword="message",
            notices={"lea": K.INFORMATION_REQUESTED, "staff": K.INFORMATION_REQUESTED},
        ),
        _t(
            "resubmit",
            "Resubmit",
            "resubmitted",
            [S.INFORMATION_REQUESTED],
            S.UNDER_REVIEW,
            _LEA,
            bulk=False,
            notices={"staff": K.RESUBMITTED},
        ),
        _t(
            "approve",
            "Approve",
            "approved",
            [S.VERIFIED, S.UNDER_REVIEW],
            S.APPROVED,
            _DECIDE,
            notices={"lea": K.APPROVED, "staff": K.APPROVED},
        ),
        _t(
            "decline",
            "Decline",
            "declined",
            [S.VERIFIED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED],
            S.DECLINED,
            _DECIDE,
            reason_required=True,
            reason_prompt="Reason for declining (sent to the LEA)",
            notices={"lea": K.DECLINED, "staff": K.DECLINED},
        ),
        _t(
            "reopen",
            "Reopen",
            "reopened",
            [S.DECLINED],
            S.UNDER_REVIEW,
            permissions.can_reopen,
            reason_required=True,
            reason_prompt="Reason for reopening (sent to the LEA)",
            notices={"lea": K.REOPENED, "staff": K.REOPENED},
        ),
        _t(
            "withdraw",
            "Withdraw",
            "withdrawn",
            [S.SUBMITTED, S.VERIFIED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED],
            S.WITHDRAWN,
            _LEA,
            bulk=False,
            notices={"lea": K.WITHDRAWN, "staff": K.WITHDRAWN},
        ),
    ],
    record=_record,
    refused=TransitionRefused,
    object_keyword="assistance_request",
    select_related=("lea", "assigned_to", "submitted_by", "created_by"),
    touch=_touch,
    noun="a request",
)
TRANSITIONS = LIFECYCLE.transitions
ALLOWED = LIFECYCLE.allowed
# The transitions LEA staff make on the site; the rest are CCEE's, made in the admin.
LEA_TRANSITIONS = frozenset({"submit", "resubmit", "withdraw"})
STAFF_TRANSITIONS = frozenset(TRANSITIONS) - LEA_TRANSITIONS

# Called with (assistance_request, by) inside the approval's transaction; the contracts app
# registers the drafting of a scope of work here (requests_intake never imports contracts).
APPROVAL_HOOKS: list[Callable] = []
# Called with (assistance_request, by) inside the submission's and resubmission's transaction,
# after the determination is stored: the county confirmations send their links here
# (requests_intake.county_confirmations, registered by RequestsIntakeConfig.ready).
SUBMISSION_HOOKS: list[Callable] = []


def available_transitions(assistance_request, user, *, names=None) -> list[lifecycle.Transition]:
    """Return the transitions this person could make on the request now.

    `names` narrows the answer (the admin asks only about CCEE's, which spares a membership
    query per LEA transition).
    """
    return LIFECYCLE.available(assistance_request, user, names)


def _notify(name, req, status_change, by, context=None) -> None:
    """Queue the transition's notices to the LEA and to CCEE (not to the person who acted)."""
    ctx = {"status_change": status_change, "reason": status_change.reason, "by": by}
    ctx.update(context or {})
    event = f"sc{status_change.pk}"
    groups = []
    for audience, kind in TRANSITIONS[name].notices.items():
        if audience == "lea":
            recipients = notices.lea_recipients(req)
        else:
            recipients = [r for r in notices.reviewer_recipients(req) if r.user != by]
        groups.append(
            {"kind": kind, "req": req, "recipients": recipients, "event": event, "context": ctx}
        )
    if groups:
        queue_notice_groups(groups)


def _run(
    name: str,
    assistance_request: AssistanceRequest,
    by,
    *,
    reason: str = "",
    change: Callable | None = None,
    after: Callable | None = None,
    context: dict | None = None,
    wrong_state: Callable | None = None,
) -> AssistanceRequest:
    """Run transition `name` and queue its notices; `after` writes what else follows."""

    def effects(req, status_change):
        _notify(name, req, status_change, by, context)
        if after is not None:
            after(req, status_change)

    return LIFECYCLE.run(
        name,
        assistance_request,
        by=by,
        reason=reason,
        change=change,
        after=effects,
        wrong_state=wrong_state,
    )


def _lock(assistance_request) -> AssistanceRequest:
    """Return the request's row locked until the transaction ends (triage edits)."""
    return LIFECYCLE.lock(assistance_request)


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


# What a service that recomputes the verified determination calls after it (returns its fields).
apply_determination_summary = _apply_determination_summary


def _apply_data_facts(req: AssistanceRequest, data: dict) -> list[str]:
    """Verify from the state's data (`data`) the facts it answers, and flag what it contradicts.

    The data's facts become the verified facts (with the data as provenance in data_facts)
    unless verified facts exist already: a reviewer's are never overwritten on resubmission.
    """
    attested = req.eligibility_facts()
    req.data_facts = data or None
    req.data_mismatch = bool(state_data.contradictions(attested, data))
    fields = ["data_facts", "data_mismatch"]
    if data and req.verified_facts is None:
        req.verified_facts = state_data.with_data(attested, data)
        req.verified_determination = evaluate_request(req, req.verified_facts)
        req.verified_rules_version = req.verified_determination["rules_version"]
        fields += ["verified_facts", "verified_determination", "verified_rules_version"]
    return fields


def _attest(req: AssistanceRequest, by, now) -> list[str]:
    req.attested_by, req.attested_at = by, now
    return ["attested_by", "attested_at"]


@LIFECYCLE.service("submit")
def assistance_request_submit(
    *, assistance_request: AssistanceRequest, by, attest: bool = False
) -> AssistanceRequest:
    """Submit a complete draft: reference, receipt, determination and notices, in one go.

    `attest` records `by`'s attestation in the same row update (kept only if submitted).
    """

    def change(req, now):
        # The checks, the determination and the receipt's recipients read these several times.
        prefetch_related_objects([req], "partners", "additional_contacts")
        attested = _attest(req, by, now) if attest else []
        # The state's data is read once: the checks and the verified facts both use it.
        data = state_data.data_facts_for(req.lea)
        problems = submission_problems(req, data_facts=data)
        if problems:
            raise IncompleteRequest(problems)
        req.received_at = now
        req.verification_due_at = verification_due_at(now)
        req.submitted_by = by
        req.determination = evaluate_request(req)
        req.rules_version = req.determination["rules_version"]
        fields = [*attested, *_apply_data_facts(req, data), *_apply_determination_summary(req)]
        # Taken last, and on PostgreSQL without a lock (requests_intake.references).
        req.reference = references.next_reference(now)
        return [
            "reference",
            "received_at",
            "verification_due_at",
            "submitted_by",
            "determination",
            "rules_version",
            *fields,
        ]

    def after(req, status_change):
        # The receipt carries the PDF copy of the request as received (documents.request_pdf).
        # The receipt and the alert are written together (one read of keys, one insert).
        queue_notice_groups(
            [
                {
                    "kind": kind,
                    "req": req,
                    "recipients": recipients,
                    "event": "submitted",
                    "context": {"by": by},
                    "attachments": attachments,
                }
                for kind, recipients, attachments in (
                    (K.RECEIPT, notices.lea_recipients(req), [request_pdf_attachment(req)]),
                    (K.NEW_REQUEST_ALERT, notices.reviewer_recipients(req), []),
                )
            ]
        )
        for hook in SUBMISSION_HOOKS:
            hook(req, by)

    return _run(
        "submit", assistance_request, by, change=change, after=after, wrong_state=AlreadySubmitted
    )


@LIFECYCLE.service("verify")
def assistance_request_verify(*, assistance_request: AssistanceRequest, by) -> AssistanceRequest:
    """Record the initial verification (due 48 hours after receipt) and tell the LEA."""

    return _run("verify", assistance_request, by, change=_initial_verification(by))


def _initial_verification(by):
    """Return the change that records CCEE's initial verification follow-up, by `by`, now.

    Verifying does it; so does asking a submitted request for information (the first
    contact within the 48 hours), which leaves a request verified since untouched.
    """

    def change(req, now):
        if req.verified_at is not None:
            return []
        req.verified_at, req.verified_by = now, by
        fields = ["verified_at", "verified_by"]
        if req.assigned_to_id is None:
            req.assigned_to = by
            req.triage_version += 1
            fields += ["assigned_to", "triage_version"]
        return fields

    return change


@LIFECYCLE.service("start_review")
def assistance_request_start_review(
    *, assistance_request: AssistanceRequest, by
) -> AssistanceRequest:
    """Begin the review of a verified request."""
    return _run("start_review", assistance_request, by)


@LIFECYCLE.service("request_information")
def assistance_request_request_information(
    *, assistance_request: AssistanceRequest, by, message: str, sections=(), respond_by=None
) -> AssistanceRequest:
    """Ask the LEA for more information; the message names what to change.

    Asked of a submitted request, it is CCEE's initial verification follow-up (the 48-hour
    clock stops, verified_at and verified_by record it) without saying the request was verified.

    `respond_by` (a date, optional) is when the reviewer asks for the answer: the LEA's pages
    show it, and the clock sweep reminds the LEA the day before and on the day it passes.
    """

    def after(req, status_change):
        RequestMessage.objects.create(
            request=req,
            kind=RequestMessage.Kind.INFORMATION_REQUEST,
            author=by,
            body=message.strip(),
            sections=list(sections),
            respond_by=respond_by,
            created_at=status_change.at,
        )

    return _run(
        "request_information",
        assistance_request,
        by,
        reason=message,
        change=_initial_verification(by),
        after=after,
        context={
            "message": message.strip(),
            "sections": list(sections),
            "respond_by": respond_by,
        },
    )


@LIFECYCLE.service("resubmit")
def assistance_request_resubmit(
    *, assistance_request: AssistanceRequest, by, reply: str = ""
) -> AssistanceRequest:
    """Return a request to review after the LEA answered a request for information."""

    def change(req, now):
        data = state_data.data_facts_for(req.lea)
        problems = submission_problems(req, data_facts=data)
        if problems:
            raise IncompleteRequest(problems)
        req.determination = evaluate_request(req)
        req.rules_version = req.determination["rules_version"]
        return [
            "determination",
            "rules_version",
            *_apply_data_facts(req, data),
            *_apply_determination_summary(req),
        ]

    def after(req, status_change):
        if reply.strip():
            RequestMessage.objects.create(
                request=req,
                kind=RequestMessage.Kind.LEA_REPLY,
                author=by,
                body=reply.strip(),
                created_at=status_change.at,
            )
        for hook in SUBMISSION_HOOKS:
            hook(req, by)

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


@LIFECYCLE.service("approve")
def assistance_request_approve(
    *, assistance_request: AssistanceRequest, by, reason: str = ""
) -> AssistanceRequest:
    """Approve the request; the contract development starts (see APPROVAL_HOOKS)."""

    def after(req, status_change):
        for hook in APPROVAL_HOOKS:
            hook(req, by)

    return _run(
        "approve", assistance_request, by, reason=reason, change=_decide(by, reason), after=after
    )


@LIFECYCLE.service("decline")
def assistance_request_decline(
    *, assistance_request: AssistanceRequest, by, reason: str
) -> AssistanceRequest:
    """Decline the request, telling the LEA why."""

    return _run("decline", assistance_request, by, reason=reason, change=_decide(by, reason))


@LIFECYCLE.service("reopen")
def assistance_request_reopen(
    *, assistance_request: AssistanceRequest, by, reason: str
) -> AssistanceRequest:
    """Reopen a declined request for review (leads only)."""

    def change(req, now):
        req.decided_at, req.decided_by, req.decision_reason = None, None, ""
        return ["decided_at", "decided_by", "decision_reason"]

    return _run("reopen", assistance_request, by, reason=reason, change=change)


@LIFECYCLE.service("withdraw")
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
            queue_notices(
                kind=K.ASSIGNED,
                req=req,
                recipients=[staff_recipient(assignee)],
                event=f"assign{req.triage_version}",
                context={"by": by},
            )
    return req


def _triage_edit(
    assistance_request: AssistanceRequest,
    by,
    *,
    expected_triage_version: int | None,
    refuse_status: Callable,
    change: Callable,
) -> AssistanceRequest:
    """Apply a reviewer's edit that is not a status change, in one transaction.

    Lock the request, check the reviewer may review it, refuse with `refuse_status(req)` (a
    sentence, or "" to go on), refuse a form based on an older triage version, apply
    `change(req)` (it returns the fields it set), then save them with the new triage version
    and the history row that names the reviewer.
    """
    with transaction.atomic():
        req = _lock(assistance_request)
        decision = permissions.can_review(by, req)
        if not decision:
            raise TransitionRefused(decision.reason)
        refusal = refuse_status(req)
        if refusal:
            raise TransitionRefused(refusal)
        _refuse_if_stale(req, expected_triage_version)
        fields = change(req)
        req.last_activity_at = timezone.now()
        req.triage_version += 1
        req._history_user = by
        req.save(
            update_fields=[
                *fields,
                "last_activity_at",
                "triage_version",
                "updated_at",
                *_apply_determination_summary(req),
            ]
        )
    return req


def assistance_request_record_verified_facts(
    *,
    assistance_request: AssistanceRequest,
    by,
    facts: dict,
    expected_triage_version: int | None = None,
    override_reason: str = "",
) -> AssistanceRequest:
    """Keep the facts as a reviewer verified them and the determination recomputed from them.

    A fact that differs from what the state's data says needs `override_reason`.
    """

    def refuse_status(req):
        if req.status in (S.DRAFT, S.WITHDRAWN):
            return "Verified facts are recorded only on a submitted request."
        return ""

    def change(req):
        parsed = rules.parse_facts(facts)  # raises rules.FactsError with the field named
        overridden = state_data.contradictions(facts, req.data_facts or {})
        if overridden and not override_reason.strip():
            labels = "; ".join(rules.FACT_LABELS[name] for name in overridden)
            raise TransitionRefused(
                f"The state's data says otherwise about: {labels}. Give the reason for"
                " recording a different fact."
            )
        req.data_override_reason = override_reason.strip() if overridden else ""
        req.verified_determination = evaluate_request(req, facts)
        req.verified_facts = {**facts, "estimated_months": parsed.estimated_months}
        req.verified_rules_version = req.verified_determination["rules_version"]
        return [
            "verified_facts",
            "verified_determination",
            "verified_rules_version",
            "data_override_reason",
        ]

    return _triage_edit(
        assistance_request,
        by,
        expected_triage_version=expected_triage_version,
        refuse_status=refuse_status,
        change=change,
    )


# A decided request keeps the determination it was decided on (its scope of work follows it).
RECOMPUTABLE = frozenset({S.SUBMITTED, S.VERIFIED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED})


def determination_is_outdated(req: AssistanceRequest) -> bool:
    """Return whether a stored determination of the request predates the rules in force."""
    versions = [req.rules_version, req.verified_rules_version if req.verified_facts else ""]
    return any(v and v != rules.RULES_VERSION for v in versions)


def assistance_request_recompute_determination(
    *,
    assistance_request: AssistanceRequest,
    by,
    expected_triage_version: int | None = None,
) -> AssistanceRequest:
    """Recompute the request's determinations under the rules in force, keeping the old ones.

    The attested determination is recomputed from the attested facts, the verified one (if a
    reviewer recorded facts) from the verified facts; the request's history keeps what they
    were before, with the rules version each was computed under.
    """

    def refuse_status(req):
        if req.status not in RECOMPUTABLE:
            return (
                f"The determination of a {req.get_status_display().lower()} request is kept as"
                " it was; it is recomputed only before the request is decided."
            )
        return ""

    def change(req):
        if not determination_is_outdated(req):
            raise TransitionRefused(
                f"{req} is already determined under rules version {rules.RULES_VERSION}."
            )
        req.determination = evaluate_request(req)
        req.rules_version = req.determination["rules_version"]
        fields = ["determination", "rules_version"]
        if req.verified_facts:
            req.verified_determination = evaluate_request(req, req.verified_facts)
            req.verified_rules_version = req.verified_determination["rules_version"]
            fields += ["verified_determination", "verified_rules_version"]
        return fields

    return _triage_edit(
        assistance_request,
        by,
        expected_triage_version=expected_triage_version,
        refuse_status=refuse_status,
        change=change,
    )


def assistance_request_check_state_data(
    *,
    assistance_request: AssistanceRequest,
    by,
    expected_triage_version: int | None = None,
) -> AssistanceRequest:
    """Verify the request's facts again from the state's data as stored now (after an import).

    The data's values replace those in the verified facts, unless a reviewer recorded other
    values with a reason: those stand. The history keeps what was there before.
    """

    def refuse_status(req):
        if req.status not in RECOMPUTABLE:
            return (
                f"The facts of a {req.get_status_display().lower()} request are kept as they"
                " were; they are checked again only before the request is decided."
            )
        return ""

    def change(req):
        data = state_data.data_facts_for(req.lea)
        attested = req.eligibility_facts()
        req.data_facts = data or None
        req.data_mismatch = bool(state_data.contradictions(attested, data))
        if data and not req.data_override_reason:
            req.verified_facts = state_data.with_data(req.verified_facts or attested, data)
        if req.verified_facts:
            req.verified_determination = evaluate_request(req, req.verified_facts)
            req.verified_rules_version = req.verified_determination["rules_version"]
        return [
            "data_facts",
            "data_mismatch",
            "verified_facts",
            "verified_determination",
            "verified_rules_version",
        ]

    return _triage_edit(
        assistance_request,
        by,
        expected_triage_version=expected_triage_version,
        refuse_status=refuse_status,
        change=change,
    )
