"""Writes of the contracts app: checks, one service per transition, documents (drafting.py drafts).

Each transition locks the scope-of-work row, checks the person's permission and the source
state, writes the change and its ContractChange row, and queues the outbox notices, all in one
transaction. A refused transition raises ContractRefused saying why, and changes nothing.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core import files, lifecycle, roles
from core.decisions import ALLOW, Decision, deny
from core.pdf import render_pdf
from notices.recipients import staff_in_roles
from notices.services import queue_notices
from requests_intake import notices
from requests_intake.permissions import is_approved_member

from . import documents, signature, versions
from .models import (
    MAX_TERM_MONTHS,
    AgreementDocument,
    AgreementTemplate,
    ContractChange,
    ElectronicSignature,
    ScopeOfWork,
    ScopeOfWorkSnapshot,
)
from .notice_kinds import K

S = ScopeOfWork.Status
MAX_SIGNED_COPY_BYTES = 20 * 1024 * 1024


class ContractRefused(lifecycle.TransitionRefused):
    """A contract action that is not allowed now, for this person; the message says why."""


PERMISSIONS = {
    "send": "contracts.send_scopeofwork",
    "approve": "contracts.approve_scopeofwork",
    "edit": "contracts.change_scopeofwork",
    "return_signed": "contracts.return_signed_scopeofwork",
}
_ROLE_REFUSALS = {
    "send": "Only CCEE reviewers and leads can send or revise a scope of work.",
    "approve": "Only the administrative agent can approve, return or execute an agreement.",
    "return_signed": "Only staff of the LEA can return its signed agreement.",
}


def may(user, what: str) -> bool:
    """Return whether the person holds the contracts permission named `what`."""
    return bool(user is not None and user.is_active and user.has_perm(PERMISSIONS[what]))


def _holding(what: str):
    """Return the lifecycle check that the person holds the contracts permission `what`."""

    def check(user, sow) -> Decision:
        return ALLOW if may(user, what) else deny(_ROLE_REFUSALS[what])

    return check


def _record(*, row, transition, previous, by, at, reason) -> ContractChange:
    return ContractChange.objects.create(
        scope_of_work=row,
        action=transition.name,
        from_status=previous,
        to_status=row.status,
        version=row.version,
        by=by,
        at=at,
        comments=reason,
    )


def _lea_signer(user, sow) -> Decision:
    """LEA staff holding the permission, with an approved membership of the agreement's LEA."""
    if not may(user, "return_signed"):
        return deny(_ROLE_REFUSALS["return_signed"])
    if not is_approved_member(user, sow.request.lea_id):
        return deny(_ROLE_REFUSALS["return_signed"])
    return ALLOW


_t = lifecycle.transition
_SEND, _APPROVE = _holding("send"), _holding("approve")

# The agreement's lifecycle as data: reviewers send drafts and revise them; the administrative
# agent approves or asks for revisions, sends the agreement to the LEA and records execution.
LIFECYCLE = lifecycle.Lifecycle(
    model=ScopeOfWork,
    transitions=[
        _t(
            "send_to_agent",
            "Send to the agent",
            "sent to the agent",
            [S.DRAFT],
            S.SENT_TO_AGENT,
            _SEND,
        ),
        _t(
            "request_revisions",
            "Request revisions",
            "returned for revisions",
            [S.SENT_TO_AGENT],
            S.REVISIONS_REQUESTED,
            _APPROVE,
            reason_required=True,
            reason_prompt="What needs revising",
            reason_keyword="comments",
            reason_missing="Say what needs revising: the comments are required.",
            bulk=False,
        ),
        _t(
            "revise",
            "Start a new draft version",
            "reopened as a new draft",
            [S.REVISIONS_REQUESTED],
            S.DRAFT,
            _SEND,
            bulk=False,
        ),
        _t(
            "approve",
            "Approve",
            "approved",
            [S.SENT_TO_AGENT],
            S.AGENT_APPROVED,
            _APPROVE,
            reason_prompt="Comments (optional)",
            reason_keyword="comments",
        ),
        _t(
            "send_to_lea",
            "Send the agreement to the LEA",
            "sent to the LEA",
            [S.AGENT_APPROVED],
            S.SENT_TO_LEA,
            _APPROVE,
        ),
        _t(
            "return_signed",
            "Return the signed agreement",
            "returned signed by the LEA",
            [S.SENT_TO_LEA],
            S.SIGNED_BY_LEA,
            _lea_signer,
            bulk=False,
        ),
        _t(
            "request_new_signature",
            "Ask the LEA for a new signed copy",
            "returned to the LEA for signature",
            [S.SIGNED_BY_LEA],
            S.SENT_TO_LEA,
            _APPROVE,
            reason_required=True,
            reason_prompt="What is wrong with the signed copy (the LEA reads this)",
            reason_keyword="comments",
            reason_missing="Say what is wrong with the signed copy: the LEA is told.",
            bulk=False,
        ),
        # The one place execution happens (an uploaded copy, or the one the LEA returned).
        _t(
            "execute",
            "Record execution",
            "recorded as executed",
            [S.SENT_TO_LEA, S.SIGNED_BY_LEA],
            S.EXECUTED,
            _APPROVE,
            bulk=False,
        ),
    ],
    record=_record,
    refused=ContractRefused,
    object_keyword="scope_of_work",
    select_related=("request__lea", "request__assigned_to"),
    touch=lambda sow, now: ["updated_at"],
    describe=lambda sow: f"The scope of work for {sow.request.reference}",
)
TRANSITIONS = LIFECYCLE.transitions
ALLOWED = LIFECYCLE.allowed


def available_transitions(sow: ScopeOfWork, user) -> list[lifecycle.Transition]:
    return LIFECYCLE.available(sow, user)


def may_return_signed(sow: ScopeOfWork, user) -> bool:
    """Whether the person may return this agreement signed now (LEA staff, while it is sent)."""
    return bool(LIFECYCLE.available(sow, user, ["return_signed"]))


# --- Checks before a draft goes to the agent ----------------------------------------------


def scope_of_work_problems(sow: ScopeOfWork) -> list[str]:
    """Return what stops the draft from going to the agent, in plain sentences."""
    problems = []
    for field, label in [
        ("problem_of_practice", "the problem of practice"),
        ("theory_of_action", "the theory of action"),
        ("goals", "the goals"),
        ("indicators", "the measurable indicators"),
        ("statutory_basis", "the statutory basis"),
        ("roles", "the roles and responsibilities"),
    ]:
        if not getattr(sow, field).strip():
            problems.append(f"Write {label}.")
    if sow.term_months > MAX_TERM_MONTHS and not sow.term_reason.strip():
        problems.append(
            f"The term runs {sow.term_months} months: give the reason it needs more than nine."
        )
    activities = list(sow.activities.all())
    if not activities:
        problems.append("Add at least one activity.")
    for item in [*activities, *sow.deliverables.all()]:
        start = getattr(item, "start_date", None) or item.due_date
        end = getattr(item, "end_date", None) or item.due_date
        if start < sow.term_start or end > sow.term_end:
            problems.append(f"“{item}” has dates outside the term.")
    if "(g)(2)" in sow.statutory_basis and not sow.systemic_review.strip():
        problems.append("EC 52074(g)(2) applies: describe the systemic review.")
    lines = list(sow.cost_lines.all())
    total = sum((line.amount for line in lines), Decimal("0"))
    if sow.cost_basis == ScopeOfWork.CostBasis.REIMBURSABLE and total <= 0:
        problems.append("The LEA reimburses the costs: enter the cost lines with their unit costs.")
    if sow.cost_basis == ScopeOfWork.CostBasis.SHARED_COST and not sow.cost_sharing_parties:
        problems.append("The cost is shared: name the cost-sharing parties.")
    return problems


# --- Transitions --------------------------------------------------------------------------


def scope_of_work_admin_url(sow: ScopeOfWork) -> str:
    from django.conf import settings

    path = reverse("admin:contracts_scopeofwork_change", args=[sow.pk])
    return f"{settings.SITE_URL}{path}"


def _agents():
    return staff_in_roles(roles.ADMINISTRATIVE_AGENT)


def _reviewers(req):
    return notices.reviewer_recipients(req)


def _run(name: str, sow: ScopeOfWork, by, *, comments: str = "", change=None, after=None):
    return LIFECYCLE.run(name, sow, by=by, reason=comments, change=change, after=after)


def _notify(kind, sow, recipients, history, *, staff_link=True, **extra):
    context = {"sow": sow, "change": history, "comments": history.comments, **extra}
    if staff_link:
        context["url"] = scope_of_work_admin_url(sow)
    queue_notices(
        kind=kind,
        req=sow.request,
        recipients=recipients,
        event=f"sow{sow.pk}v{sow.version}c{history.pk}",
        context=context,
    )


@LIFECYCLE.service("send_to_agent")
def scope_of_work_send_to_agent(*, scope_of_work: ScopeOfWork, by) -> ScopeOfWork:
    """Send a complete draft to the administrative agent, who is notified."""

    def change(sow, now):
        problems = scope_of_work_problems(sow)
        if problems:
            raise ContractRefused("The draft is not ready to send: " + " ".join(problems))
        sow.sent_to_agent_at = now
        return ["sent_to_agent_at"]

    def after(sow, history):
        ScopeOfWorkSnapshot.objects.update_or_create(
            scope_of_work=sow,
            version=sow.version,
            defaults={"content": versions.snapshot(sow), "taken_at": history.at},
        )
        _notify(K.CONTRACT_DRAFT_SENT, sow, _agents(), history)

    return _run("send_to_agent", scope_of_work, by, change=change, after=after)


@LIFECYCLE.service("request_revisions")
def scope_of_work_request_revisions(
    *, scope_of_work: ScopeOfWork, by, comments: str
) -> ScopeOfWork:
    """Return the draft to CCEE with the agent's comments."""

    def change(sow, now):
        sow.revision_comments = comments.strip()
        return ["revision_comments"]

    def after(sow, history):
        _notify(K.CONTRACT_REVISIONS_REQUESTED, sow, _reviewers(sow.request), history)

    return _run(
        "request_revisions", scope_of_work, by, comments=comments, change=change, after=after
    )


@LIFECYCLE.service("revise")
def scope_of_work_revise(*, scope_of_work: ScopeOfWork, by) -> ScopeOfWork:
    """Reopen a returned scope of work as a new draft version."""

    def change(sow, now):
        sow.version += 1
        return ["version"]

    return _run("revise", scope_of_work, by, change=change)


@LIFECYCLE.service("approve")
def scope_of_work_approve(*, scope_of_work: ScopeOfWork, by, comments: str = "") -> ScopeOfWork:
    """Record the administrative agent's approval; CCEE's reviewers are told."""

    def change(sow, now):
        sow.agent_approved_at, sow.agent_approved_by = now, by
        return ["agent_approved_at", "agent_approved_by"]

    def after(sow, history):
        _notify(K.CONTRACT_APPROVED, sow, _reviewers(sow.request), history)

    return _run("approve", scope_of_work, by, comments=comments, change=change, after=after)


@LIFECYCLE.service("send_to_lea")
def scope_of_work_send_to_lea(*, scope_of_work: ScopeOfWork, by) -> ScopeOfWork:
    """Generate the agreement the LEA signs, store it as a new version, and tell the LEA."""

    def change(sow, now):
        sow.sent_to_lea_at = now
        return ["sent_to_lea_at"]

    def after(sow, history):
        document = _generate(sow, by, AgreementDocument.Kind.SENT)
        _generate_pdf(sow, by, AgreementDocument.Kind.SENT)
        _notify(
            K.CONTRACT_SENT_TO_LEA,
            sow,
            notices.lea_recipients(sow.request, also=[(sow.signatory_email, sow.signatory_name)]),
            history,
            staff_link=False,
            document=document,
        )

    return _run("send_to_lea", scope_of_work, by, change=change, after=after)


# Called with (scope of work, person) inside execute's transaction, once the execution is
# recorded; apps above contracts register here (engagements opens the engagement).
EXECUTION_HOOKS: list = []


def _check_execution_date(executed_on: date | None) -> None:
    if executed_on is None:
        raise ContractRefused("Give the date the agreement was executed.")
    if executed_on > timezone.localdate():
        raise ContractRefused("The execution date cannot be in the future.")


def _checked_signed_copy(signed_copy) -> files.CheckedUpload:
    """The signed copy passes the checks every upload passes (core.files), as a PDF or DOCX."""
    try:
        return files.check_upload(
            signed_copy, types=files.SIGNED_COPY_TYPES, max_bytes=MAX_SIGNED_COPY_BYTES
        )
    except ValidationError as exc:
        raise ContractRefused(exc.messages[0]) from exc


def returned_signed_copy(sow: ScopeOfWork) -> AgreementDocument | None:
    """The signed copy the LEA returned for the agreement's current round, if any."""
    return sow.documents.filter(kind=AgreementDocument.Kind.SIGNED).order_by("-number").first()


@LIFECYCLE.service("execute")
def scope_of_work_execute(
    *, scope_of_work: ScopeOfWork, by, signed_copy=None, executed_on: date
) -> ScopeOfWork:
    """Record the executed agreement, from the copy the LEA returned or an uploaded one.

    From "Sent to the LEA" (a copy that came back outside the portal) the signed copy is
    uploaded here; from "Signed by the LEA" the returned copy is the one executed, unless the
    agent uploads another.
    """
    _check_execution_date(executed_on)
    upload = _checked_signed_copy(signed_copy) if signed_copy is not None else None
    if upload is None and scope_of_work.status != S.SIGNED_BY_LEA:
        raise ContractRefused(
            "Upload the signed copy of the agreement: the LEA has not returned one in the portal."
        )

    def change(sow, now):
        # Under the lock (the status already reads its target here): a copy must be on file.
        if upload is None and returned_signed_copy(sow) is None:
            raise ContractRefused("Upload the signed copy of the agreement.")
        sow.executed_on = executed_on
        return ["executed_on"]

    def after(sow, history):
        if upload is not None:
            _store(
                sow,
                by,
                AgreementDocument.Kind.SIGNED,
                upload.read(),
                original_name=upload.original_name,
                content_type=upload.content_type,
                extension=upload.extension,
            )
        lea = notices.lea_recipients(sow.request)
        _notify(K.CONTRACT_EXECUTED, sow, lea, history, staff_link=False)
        _notify(K.CONTRACT_EXECUTED, sow, _reviewers(sow.request), history)
        for hook in EXECUTION_HOOKS:  # the engagement opens here (engagements.apps)
            hook(sow, by)

    return _run("execute", scope_of_work, by, change=change, after=after)


@LIFECYCLE.service("request_new_signature")
def scope_of_work_request_new_signature(
    *, scope_of_work: ScopeOfWork, by, comments: str
) -> ScopeOfWork:
    """Send the agreement back to the LEA for signature, saying what was wrong; copies are kept."""

    def after(sow, history):
        _notify(
            K.CONTRACT_SIGNATURE_REFUSED,
            sow,
            notices.lea_recipients(sow.request),
            history,
            staff_link=False,
        )

    return _run("request_new_signature", scope_of_work, by, comments=comments, after=after)


def _tell_agents_signed(sow, history, document):
    _notify(K.CONTRACT_SIGNED_RETURNED, sow, _agents(), history, document=document)


def agreement_return_signed_copy(*, scope_of_work: ScopeOfWork, by, checked) -> ScopeOfWork:
    """The LEA returns the agreement signed on paper: `checked` is an upload already checked by
    content (requests_intake.attachments.check_upload), a PDF or Word document."""
    if checked.content_type not in ("application/pdf", documents.DOCX_CONTENT_TYPE):
        raise ContractRefused(
            f"{checked.original_name} is not a PDF or a Word document (.docx): return the "
            "signed agreement as one of those."
        )
    checked.upload.seek(0)
    content = checked.upload.read()
    extension = ".pdf" if checked.content_type == "application/pdf" else ".docx"

    def after(sow, history):
        document = _store(
            sow,
            by,
            AgreementDocument.Kind.SIGNED,
            content,
            original_name=checked.original_name,
            content_type=checked.content_type,
            extension=extension,
        )
        _tell_agents_signed(sow, history, document)

    return _run(
        "return_signed",
        scope_of_work,
        by,
        comments=f"Signed copy uploaded: {checked.original_name}.",
        after=after,
    )


@LIFECYCLE.service("return_signed")
def agreement_return_signed(*, scope_of_work: ScopeOfWork, by, checked=None, **signature_fields):
    """The LEA returns the agreement: a checked upload, or the fields of an e-signature."""
    if checked is not None:
        return agreement_return_signed_copy(scope_of_work=scope_of_work, by=by, checked=checked)
    return agreement_sign_electronically(scope_of_work=scope_of_work, by=by, **signature_fields)


CONSENT_TEXT = (
    "I agree to sign this agreement electronically. My typed name below is my signature and "
    "has the same effect as my handwritten signature on paper."
)


NOT_THE_SIGNATORY = (
    "The agreement names {signatory} as the person authorised to sign it: only they can sign it "
    "in the portal, signed in with the email address the agreement names. You can upload a copy "
    "they signed on paper instead."
)


def is_signatory(sow: ScopeOfWork, user) -> bool:
    """Return whether `user` may sign the agreement electronically: the signatory it names.

    An agreement that names no signatory's email address may be signed by any member who may
    return it (the paper copy stays open to every such member either way).
    """
    email = (sow.signatory_email or "").strip().lower()
    return not email or (user.email or "").strip().lower() == email


def agreement_sign_electronically(
    *,
    scope_of_work: ScopeOfWork,
    by,
    name: str,
    title: str,
    signed_on: date,
    consent: bool,
    ip_address: str | None = None,
    user_agent: str = "",
) -> ScopeOfWork:
    """The LEA signs in the portal: the agreement PDF gets a signature page and the seal."""
    name, title = (name or "").strip(), (title or "").strip()
    if not consent:
        raise ContractRefused("Tick the box to agree to sign electronically.")
    if not name or not title:
        raise ContractRefused("Type your full name and your title.")
    if signed_on != timezone.localdate():
        raise ContractRefused("The date of an electronic signature is today's date.")
    if not is_signatory(scope_of_work, by):
        raise ContractRefused(
            NOT_THE_SIGNATORY.format(signatory=documents.signatory_line(scope_of_work))
        )

    def after(sow, history):
        source = _sent_pdf(sow, by)
        record = ElectronicSignature(
            signed_from=source,
            signer=by,
            signer_name=name,
            signer_title=title,
            signed_on=signed_on,
            consent_text=CONSENT_TEXT,
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:300],
            signed_at=history.at,
            certificate_sha256=signature.certificate_sha256(),
        )
        sealed = _stamp_and_seal(sow, source, record)
        ref = sow.request.reference or f"sow-{sow.pk}"
        document = _store(
            sow,
            by,
            AgreementDocument.Kind.SIGNED,
            sealed,
            original_name=f"{ref}-agreement-v{sow.version}-signed.pdf",
            content_type="application/pdf",
            extension=".pdf",
        )
        record.document = document
        record.sealed_sha256 = document.sha256
        record.save()
        _tell_agents_signed(sow, history, document)

    return _run(
        "return_signed",
        scope_of_work,
        by,
        comments=f"Signed electronically by {name}, {title}.",
        after=after,
    )


def _sent_pdf(sow, by) -> AgreementDocument:
    """The newest agreement PDF sent to the LEA (made now for agreements sent before PDFs)."""
    pdf = (
        sow.documents.filter(kind=AgreementDocument.Kind.SENT, extension=".pdf")
        .order_by("-number")
        .first()
    )
    return pdf or _generate_pdf(sow, by, AgreementDocument.Kind.SENT)


def _stamp_and_seal(sow, source: AgreementDocument, record: ElectronicSignature) -> bytes:
    """The source PDF followed by the signature page, sealed."""
    page = render_pdf(
        "contracts/signature_page_pdf.html",
        {
            "signature": record,
            "reference": sow.request.reference,
            "lea_name": sow.lea_legal_name or sow.request.lea.name,
            "signatory": documents.signatory_line(sow),
            "signed_on": documents.long_date(record.signed_on),
            "signed_at": timezone.localtime(record.signed_at).strftime("%B %-d, %Y, %-I:%M %p %Z"),
            "signer_email": record.signer.email,
            "signed_from": source,
        },
    )
    with source.file.open("rb") as handle:
        original = handle.read()
    import pypdf  # on the first signed copy, not by every process at start-up

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(original))
    writer.append(io.BytesIO(page))
    out = io.BytesIO()
    writer.write(out)
    return signature.seal_pdf(
        out.getvalue(), reason=f"Signed electronically by {record.signer_name}"
    )


@transaction.atomic
def scope_of_work_record_negotiation(
    *, scope_of_work: ScopeOfWork, by, reason: str, extra_business_days: int
) -> ScopeOfWork:
    """Record that negotiation is anticipated: the extension is kept, the due date is not moved."""
    reason = (reason or "").strip()
    if not reason:
        raise ContractRefused("Give the reason negotiation is anticipated.")
    if not 1 <= extra_business_days <= 60:
        raise ContractRefused("The extension is from 1 to 60 business days.")
    sow = (
        ScopeOfWork.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=scope_of_work.pk)
    )
    if not (may(by, "approve") or may(by, "send")):
        raise ContractRefused("Only CCEE reviewers and the administrative agent can do this.")
    if sow.status in (S.AGENT_APPROVED, S.SENT_TO_LEA, S.EXECUTED):
        raise ContractRefused("The agreement is already approved; no extension is needed.")
    sow.negotiation_anticipated = True
    sow.negotiation_reason = reason
    sow.extension_business_days += extra_business_days
    sow.save(
        update_fields=[
            "negotiation_anticipated",
            "negotiation_reason",
            "extension_business_days",
            "updated_at",
        ]
    )
    ContractChange.objects.create(
        scope_of_work=sow,
        action="negotiation_anticipated",
        from_status=sow.status,
        to_status=sow.status,
        version=sow.version,
        by=by,
        comments=f"Extended by {extra_business_days} business days "
        f"(due {documents.long_date(sow.due_date)}; now expected "
        f"{documents.long_date(sow.effective_due_date)}): "
        f"{reason}",
    )
    return sow


def scope_of_work_record_edit(*, scope_of_work: ScopeOfWork, by, changed: list[str]):
    """Keep who changed which parts of a draft's content, and when (nothing if nothing changed)."""
    if not changed:
        return None
    return ContractChange.objects.create(
        scope_of_work=scope_of_work,
        action="edited",
        from_status=scope_of_work.status,
        to_status=scope_of_work.status,
        version=scope_of_work.version,
        by=by,
        comments="Edited: " + "; ".join(changed) + ".",
    )


# --- Documents ----------------------------------------------------------------------------


def current_template() -> AgreementTemplate | None:
    return AgreementTemplate.objects.order_by("-version").first()


def _store(sow, by, kind, content: bytes, *, original_name, content_type, extension, template=None):
    # The row lock on the scope of work (held by every caller) serialises the numbering.
    number = (sow.documents.aggregate(n=Max("number"))["n"] or 0) + 1
    document = AgreementDocument(
        scope_of_work=sow,
        number=number,
        kind=kind,
        sow_version=sow.version,
        template=template,
        token=secrets.token_hex(8),
        extension=extension,
        original_name=original_name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        produced_by=by,
        produced_at=timezone.now(),
    )
    document.file.save("agreement", ContentFile(content), save=False)
    document.save()
    return document


def _generate(sow, by, kind) -> AgreementDocument:
    template = current_template()
    template_bytes = template.file.read() if template else documents.default_template_bytes()
    if template:
        template.file.close()
    sow = (
        ScopeOfWork.objects.select_related("request__lea")
        .prefetch_related("activities", "deliverables", "cost_lines")
        .get(pk=sow.pk)
    )
    content = documents.render_agreement(template_bytes, documents.agreement_context(sow))
    ref = sow.request.reference or f"sow-{sow.pk}"
    number = (sow.documents.aggregate(n=Max("number"))["n"] or 0) + 1
    return _store(
        sow,
        by,
        kind,
        content,
        original_name=f"{ref}-agreement-v{sow.version}-{number}.docx",
        content_type=documents.DOCX_CONTENT_TYPE,
        extension=".docx",
        template=template,
    )


def _generate_pdf(sow, by, kind) -> AgreementDocument:
    """Render the agreement as PDF (the same text as the DOCX's built-in template) and store it."""
    sow = (
        ScopeOfWork.objects.select_related("request__lea")
        .prefetch_related("activities", "deliverables", "cost_lines")
        .get(pk=sow.pk)
    )
    content = render_pdf("contracts/agreement_pdf.html", {"a": documents.agreement_context(sow)})
    ref = sow.request.reference or f"sow-{sow.pk}"
    number = (sow.documents.aggregate(n=Max("number"))["n"] or 0) + 1
    return _store(
        sow,
        by,
        kind,
        content,
        original_name=f"{ref}-agreement-v{sow.version}-{number}.pdf",
        content_type="application/pdf",
        extension=".pdf",
    )


def agreement_document_generate(*, scope_of_work: ScopeOfWork, by) -> AgreementDocument:
    """Render the scope of work as a new numbered DOCX version for review."""
    if not (may(by, "approve") or may(by, "send")):
        raise ContractRefused("Only CCEE reviewers and the administrative agent can do this.")
    with transaction.atomic():
        sow = ScopeOfWork.objects.select_for_update().get(pk=scope_of_work.pk)
        return _generate(sow, by, AgreementDocument.Kind.GENERATED)


def agreement_template_upload(*, upload, by, notes: str = "") -> AgreementTemplate:
    """Store a new template version after checking it renders; raise TemplateRejected if not."""
    if not by.has_perm("contracts.add_agreementtemplate"):
        raise ContractRefused("Only the administrative agent can upload agreement templates.")
    try:
        checked = files.check_upload(
            upload, types=files.TEMPLATE_TYPES, max_bytes=MAX_SIGNED_COPY_BYTES
        )
    except ValidationError as exc:
        raise documents.TemplateRejected(exc.messages[0]) from exc
    content = checked.read()
    documents.check_template(content)
    with transaction.atomic():
        # Serialise version numbers: the newest version row is locked while the next is taken.
        last = AgreementTemplate.objects.select_for_update().order_by("-version").first()
        template = AgreementTemplate(
            version=(last.version if last else 0) + 1,
            original_name=checked.original_name,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            notes=notes.strip(),
            uploaded_by=by,
        )
        template.file.save("template.docx", ContentFile(content), save=False)
        template.save()
    return template
