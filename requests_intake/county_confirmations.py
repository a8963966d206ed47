"""The county office and the geographic lead agency confirm the (g)(1)(A) facts themselves.

On submission (and resubmission) each contact the LEA names in the eligibility section gets a
link that needs no account: a signed token (django.core.signing, salted) naming one
CountyConfirmation row, its request, its role and the row's random nonce. The link opens a page
showing only what the contact must confirm; its answer is a lifecycle transition of the row
(core.lifecycle: locked, checked, recorded in CountyConfirmationChange), so a second use finds
the row answered and changes nothing. The answer becomes a verified fact with its source (who,
which agency, when), and the request's verified determination is computed again from it.

Reviewers resend a link (a new row, the old one superseded: its link stops working) or name
another contact; the superseded rows are the history of who was asked and when.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import lifecycle
from core.business_days import add_business_days, local_date
from core.decisions import ALLOW, Decision, deny
from eligibility import rules
from notices.recipients import Recipient
from notices.services import build_notices, queue_notices, save_notices

from . import notices, permissions, state_data, workflow
from .models import AssistanceRequest, CountyConfirmation, CountyConfirmationChange
from .notice_kinds import CK
from .selectors import county_office_of

C = CountyConfirmation.Status
Role = CountyConfirmation.Role
S = AssistanceRequest.Status

TOKEN_SALT = "requests_intake.county_confirmation"  # noqa: S105 (a signing salt, not a secret)
REMINDER_BUSINESS_DAYS = 2
# The recipient audience of a county contact: no account, only the signed link.
COUNTY_CONTACT = "county_contact"

# The attested facts each role answers for.
ROLE_FACTS = {
    Role.COUNTY_OFFICE: (
        "coe_superintendent_determined_necessary",
        "coe_technical_assistance_provided",
    ),
    Role.GEOGRAPHIC_LEAD: ("geographic_lead_agrees",),
}

# The request's fields naming each role's contact: (name, email, agency or None).
CONTACT_FIELDS = {
    Role.COUNTY_OFFICE: ("coe_contact_name", "coe_contact_email", None),
    Role.GEOGRAPHIC_LEAD: (
        "geographic_lead_contact_name",
        "geographic_lead_contact_email",
        "geographic_lead_agency",
    ),
}


class ConfirmationRefused(lifecycle.TransitionRefused):
    """A confirmation change that is not allowed now, for this person; the message says why."""


class LinkInvalid(Exception):
    """A confirmation link that opens nothing; `kind` says why, for the page to explain."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


# --- The link ---------------------------------------------------------------------------------


def make_token(confirmation: CountyConfirmation) -> str:
    """Return the signed token of a confirmation's link (bound to its request, role and nonce)."""
    payload = {
        "c": confirmation.pk,
        "r": confirmation.request_id,
        "f": confirmation.role,
        "n": confirmation.nonce,
    }
    return signing.dumps(payload, salt=TOKEN_SALT)


def confirmation_url(confirmation: CountyConfirmation) -> str:
    path = reverse("requests_intake:county_confirmation", args=[make_token(confirmation)])
    return f"{settings.SITE_URL}{path}"


def max_age() -> timedelta:
    return timedelta(days=settings.COUNTY_CONFIRMATION_DAYS)


def confirmation_for_token(token: str) -> CountyConfirmation:
    """Return the pending confirmation a link opens, or raise LinkInvalid saying why not.

    "invalid": tampered, unknown, or bound to another request or role; "expired"; "used": the
    confirmation was answered or superseded; "closed": the request is no longer open to it.
    """
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise LinkInvalid("expired") from None
    except signing.BadSignature:
        raise LinkInvalid("invalid") from None
    if not isinstance(payload, dict):
        raise LinkInvalid("invalid")
    found = (
        CountyConfirmation.objects.select_related("request__lea")
        .filter(pk=payload.get("c"), nonce=payload.get("n"))
        .first()
    )
    if found is None or (found.request_id, found.role) != (payload.get("r"), payload.get("f")):
        raise LinkInvalid("invalid")
    return _usable(found)


def _usable(confirmation: CountyConfirmation) -> CountyConfirmation:
    if confirmation.status != C.PENDING:
        raise LinkInvalid("used")
    if confirmation.expires_at <= timezone.now():
        raise LinkInvalid("expired")
    if confirmation.request.status not in workflow.RECOMPUTABLE:
        raise LinkInvalid("closed")
    return confirmation


@dataclass(frozen=True)
class LinkHolder:
    """Whoever opened a valid link: the contact it was sent to, known by the row's nonce."""

    nonce: str
    is_active: bool = False

    def has_perm(self, permission) -> bool:
        return False


def can_answer(holder, confirmation) -> Decision:
    """The contact may answer through a link to this row, while it is pending and not expired."""
    if not isinstance(holder, LinkHolder) or holder.nonce != confirmation.nonce:
        return deny("This link does not open this confirmation.")
    if confirmation.expires_at <= timezone.now():
        return deny("This link has expired.")
    if confirmation.request.status not in workflow.RECOMPUTABLE:
        return deny("This request no longer waits for a confirmation.")
    return ALLOW


def can_supersede(user, confirmation) -> Decision:
    """Reviewers resend a link or name another contact; the LEA names another on resubmission."""
    if permissions.is_reviewer(user) or permissions.can_act_as_lea(user, confirmation.request):
        return ALLOW
    return deny("Only CCEE reviewers and leads can resend a link or name another contact.")


def _record(*, row, transition, previous, by, at, reason) -> CountyConfirmationChange:
    is_holder = isinstance(by, LinkHolder)
    return CountyConfirmationChange.objects.create(
        confirmation=row,
        from_status=previous,
        to_status=row.status,
        by=None if is_holder else by,
        by_contact=f"{row.contact_name} <{row.contact_email}>" if is_holder else "",
        at=at,
        reason=reason,
    )


_t = lifecycle.transition
LIFECYCLE = lifecycle.Lifecycle(
    model=CountyConfirmation,
    transitions=[
        _t("confirm", "Confirm", "confirmed", [C.PENDING], C.CONFIRMED, can_answer, bulk=False),
        _t("decline", "Decline", "declined", [C.PENDING], C.DECLINED, can_answer, bulk=False),
        # Resending keeps the contact; replacing names another. Both supersede the row.
        _t(
            "supersede",
            "Resend or replace",
            "superseded",
            [C.PENDING, C.DECLINED],
            C.SUPERSEDED,
            can_supersede,
        ),
    ],
    record=_record,
    refused=ConfirmationRefused,
    object_keyword="confirmation",
    select_related=("request__lea",),
    describe=lambda c: f"The {c.get_role_display().lower()} confirmation of {c.request}",
    noun="a confirmation",
)


# --- Opening links ----------------------------------------------------------------------------


def reminder_due_at(sent_at: datetime) -> datetime:
    """Return when an unanswered link is reminded: two California business days after sending."""
    local = timezone.localtime(sent_at)
    day = add_business_days(local_date(sent_at), REMINDER_BUSINESS_DAYS)
    moment = datetime.combine(day, local.time())
    return timezone.make_aware(moment, timezone.get_current_timezone())


def _named_name_and_email(req: AssistanceRequest, role: str) -> tuple[str, str]:
    name_field, email_field, _agency_field = CONTACT_FIELDS[role]
    return getattr(req, name_field).strip(), getattr(req, email_field).strip().lower()


def _agency(req: AssistanceRequest, role: str) -> str:
    agency_field = CONTACT_FIELDS[role][2]
    agency = county_office_name(req) if agency_field is None else getattr(req, agency_field)
    return agency.strip()


def named_contact(req: AssistanceRequest, role: str) -> tuple[str, str, str]:
    """Return (name, email, agency) the request names for `role` ("" where not named)."""
    return (*_named_name_and_email(req, role), _agency(req, role))


def county_office_name(req: AssistanceRequest) -> str:
    """Return the name of the county office of the request's county, from the directory."""
    office = county_office_of(req.lea)
    return office.name if office is not None else f"{req.lea.county} County Office of Education"


def _open(req, role, contact, *, by=None, replaces=None) -> CountyConfirmation:
    """Create a pending confirmation and queue its notice with the link (inside a transaction)."""
    name, email, agency = contact
    now = timezone.now()
    confirmation = CountyConfirmation.objects.create(
        request=req,
        role=role,
        contact_name=name,
        contact_email=email,
        agency_name=agency,
        nonce=secrets.token_urlsafe(24),
        sent_at=now,
        expires_at=now + max_age(),
        reminder_due_at=reminder_due_at(now),
        sent_by=by,
        replaces=replaces,
    )
    CountyConfirmationChange.objects.create(
        confirmation=confirmation,
        from_status=C.PENDING,
        to_status=C.PENDING,
        by=by,
        at=now,
        reason="sent on submission" if by is None else "sent by a reviewer",
    )
    queue_contact_notice(confirmation, kind=CK.CONFIRMATION_REQUEST, event="sent")
    return confirmation


def _contact_notice(confirmation, kind: str, event: str) -> dict:
    """Return queue_notices' arguments for the email to the contact, with a fresh signed link."""
    recipient = Recipient(
        confirmation.contact_email, None, confirmation.contact_name, COUNTY_CONTACT
    )
    return {
        "kind": kind,
        "req": confirmation.request,
        "recipients": [recipient],
        "event": f"cc{confirmation.pk}-{event}",
        "context": {
            "confirmation": confirmation,
            "agency": confirmation.agency_name,
            "confirm_url": confirmation_url(confirmation),
            "facts": fact_labels(confirmation.role),
            "expires_at": confirmation.expires_at,
        },
    }


def queue_contact_notice(confirmation, *, kind, event) -> int:
    """Queue the email to the contact with a freshly signed link to their confirmation."""
    return queue_notices(**_contact_notice(confirmation, kind, event))


def fact_labels(role: str) -> list[str]:
    return [rules.FACT_LABELS[fact] for fact in ROLE_FACTS[role]]


def county_confirmations_open(req: AssistanceRequest, by=None) -> list[CountyConfirmation]:
    """Send a link to each contact the request names for a (g)(1)(A) claim, once per contact.

    Called inside the submission's (and resubmission's) transaction. A role whose current
    confirmation already names the same address is left alone; a changed address supersedes it.
    """
    if not req.coe_superintendent_determined_necessary:
        return []
    # Only a role whose contact is named (name and email) is asked; with none named, the
    # submission reads nothing here (the confirmations, the county office's directory row).
    named = {role: _named_name_and_email(req, role) for role in Role.values}
    named = {role: contact for role, contact in named.items() if contact[0] and contact[1]}
    if not named:
        return []
    current = {c.role: c for c in req.county_confirmations.exclude(status=C.SUPERSEDED)}
    opened = []
    for role, (name, email) in named.items():
        contact = (name, email, _agency(req, role))
        previous = current.get(role)
        if previous is not None and (
            previous.contact_email == contact[1] or previous.status == C.CONFIRMED
        ):
            continue  # the same contact is asked already, or has confirmed: that stands
        if previous is not None:
            reason = f"the LEA named another contact: {old_contact(previous)} → {contact[1]}"
            LIFECYCLE.run("supersede", previous, by=by, reason=reason)
        opened.append(_open(req, role, contact, replaces=previous))
    return opened


# --- Answers ----------------------------------------------------------------------------------


def source_text(confirmation, answer_verb: str, at) -> str:
    """Return the provenance of an answered fact: who, which agency, when (Pacific time)."""
    when = timezone.localtime(at).strftime("%b %-d, %Y, %-I:%M %p")
    return (
        f"{answer_verb.capitalize()} by {confirmation.contact_name} "
        f"({confirmation.agency_name}, {confirmation.contact_email}) through the portal's "
        f"signed link on {when} Pacific time"
    )


def _apply_answer(confirmation, value: bool, verb: str, at) -> None:
    """Record the answered facts as verified, with their source, and re-evaluate the request."""
    req = workflow.LIFECYCLE.lock(confirmation.request)
    entry = {
        "value": value,
        "source": source_text(confirmation, verb, at),
        "by": confirmation.contact_name,
        "email": confirmation.contact_email,
        "agency": confirmation.agency_name,
        "role": confirmation.role,
        "at": at.isoformat(),
        "confirmation": confirmation.pk,
    }
    answered = {fact: dict(entry) for fact in ROLE_FACTS[confirmation.role]}
    req.confirmed_facts = {**(req.confirmed_facts or {}), **answered}
    base = req.verified_facts or state_data.with_data(req.eligibility_facts(), req.data_facts or {})
    req.verified_facts = {**base, **dict.fromkeys(answered, value)}
    req.verified_determination = workflow.evaluate_request(req, req.verified_facts)
    req.verified_rules_version = req.verified_determination["rules_version"]
    req.last_activity_at = at
    req._history_user = None
    req.save(
        update_fields=[
            "confirmed_facts",
            "verified_facts",
            "verified_determination",
            "verified_rules_version",
            "last_activity_at",
            "updated_at",
            *workflow.apply_determination_summary(req),
        ]
    )
    confirmation.request = req


def _tell_lea_and_reviewers(confirmation, verb: str) -> None:
    req = confirmation.request
    context = {
        "confirmation": confirmation,
        "answer": verb,
        "role": confirmation.get_role_display().lower(),
        "facts": fact_labels(confirmation.role),
    }
    for recipients in (notices.lea_recipients(req), notices.reviewer_recipients(req)):
        queue_notices(
            kind=CK.CONFIRMATION_ANSWERED,
            req=req,
            recipients=recipients,
            event=f"cc{confirmation.pk}-answered",
            context=context,
        )


def county_confirmation_answer(
    *,
    confirmation: CountyConfirmation,
    holder: LinkHolder,
    confirmed: bool,
    note: str = "",
    upload=None,
) -> CountyConfirmation:
    """Record the contact's answer (once), verify the facts it answers and tell the LEA and CCEE."""
    name, verb = ("confirm", "confirmed") if confirmed else ("decline", "declined")

    def change(row, now):
        row.answered_at, row.note = now, note.strip()
        if upload is None:
            return ["answered_at", "note"]
        # `upload` is a core.files.CheckedUpload: its content passed the checks.
        row.file_name, row.file_content_type = upload.original_name, upload.content_type
        row.file.save(upload.original_name, upload.upload, save=False)
        return ["answered_at", "note", "file", "file_name", "file_content_type"]

    def after(row, history):
        _apply_answer(row, confirmed, verb, history.at)
        _tell_lea_and_reviewers(row, verb)

    with transaction.atomic():
        # The request first, as submission and resubmission lock it before its confirmations.
        workflow.LIFECYCLE.lock(confirmation.request)
        return LIFECYCLE.run(name, confirmation, by=holder, reason=note, change=change, after=after)


# --- Reviewers: resend, replace ---------------------------------------------------------------


@LIFECYCLE.service("supersede")
def county_confirmation_resend(
    *, confirmation: CountyConfirmation, by, reason: str = ""
) -> CountyConfirmation:
    """Send the same contact a new link; the old link stops working. Return the new row."""
    with transaction.atomic():
        old = LIFECYCLE.run("supersede", confirmation, by=by, reason=reason or "link resent")
        contact = (old.contact_name, old.contact_email, old.agency_name)
        return _open(old.request, old.role, contact, by=by, replaces=old)


def county_confirmation_replace(
    *, confirmation: CountyConfirmation, by, name: str, email: str, agency: str = ""
) -> CountyConfirmation:
    """Name another contact for the role and send them a link. Return the new row."""
    name, email, agency = name.strip(), email.strip().lower(), agency.strip()
    if not name or not email:
        raise ConfirmationRefused("Give the new contact's name and email address.")
    with transaction.atomic():
        old = LIFECYCLE.run(
            "supersede",
            confirmation,
            by=by,
            reason=f"contact replaced: {old_contact(confirmation)} → {name} <{email}>",
        )
        contact = (name, email, agency or old.agency_name)
        return _open(old.request, old.role, contact, by=by, replaces=old)


def old_contact(confirmation) -> str:
    return f"{confirmation.contact_name} <{confirmation.contact_email}>"


# --- The reminder (run by the clock sweep) ----------------------------------------------------


def due_reminders(now, batch: int) -> list[CountyConfirmation]:
    """Return the pending confirmations two business days old without an answer or reminder."""
    return list(
        CountyConfirmation.objects.filter(
            status=C.PENDING,
            reminder_sent_at__isnull=True,
            reminder_due_at__lte=now,
            expires_at__gt=now,
            request__status__in=workflow.RECOMPUTABLE,
        )
        .select_related("request__lea")
        .order_by("reminder_due_at", "pk")[:batch]
    )


def send_reminders(now, batch: int) -> int:
    """Queue the reminder of each due confirmation, once; return how many were reminded."""
    due = due_reminders(now, batch)
    rows = []
    for confirmation in due:
        rows += build_notices(**_contact_notice(confirmation, CK.CONFIRMATION_REMINDER, "reminder"))
    save_notices(rows)  # a key already there (a reminder queued before) is skipped
    CountyConfirmation.objects.filter(pk__in=[c.pk for c in due]).update(reminder_sent_at=now)
    return len(due)
