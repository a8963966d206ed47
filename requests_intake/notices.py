"""The request's notices: who receives them, and what their templates are given.

The outbox itself (rows, delivery, retries, resend) is the notices app; this module adds what
only requests know: the LEA's people, the reviewers of a request, and links to the request.
"""

from django.conf import settings
from django.db.models.functions import Lower
from django.urls import reverse

from core import roles
from eligibility import rules
from notices import rendering
from notices.recipients import Recipient, staff_in_roles, staff_recipient

from .models import AssistanceRequest, LeaMembership

# Where a request notice's templates are (contracts' kinds use the same layout and fallback).
REQUEST_NOTICE_TEMPLATES = {
    "templates": "requests_intake/notices",
    "layout": "requests_intake/notices/notice",
    "fallback": "requests_intake/notices/_default",
}


# The audience of a contact named on a request who cannot open its page on the portal (no
# account, or no approved membership of the LEA): their notices say how to get access instead
# of linking to a page that would refuse them.
CONTACT_WITHOUT_ACCESS = "contact"


def _members_by_email(req: AssistanceRequest, emails) -> dict:
    """Return {email: user} for the approved members of the request's LEA among `emails`."""
    memberships = (
        LeaMembership.objects.approved()
        .filter(lea_id=req.lea_id, user__is_active=True)
        .annotate(email_lower=Lower("user__email"))
        .filter(email_lower__in=list(emails))
        .select_related("user")
    )
    return {m.email_lower: m.user for m in memberships}


def lea_recipients(req: AssistanceRequest, also=()) -> list[Recipient]:
    """Return the LEA people who receive a request's notices: contacts and the submitter.

    `also` adds (email, name) pairs for one notice (the agreement's signatory, when it is sent).
    A contact who is an approved member of the LEA gets links to the request's page; one who
    is not is a CONTACT_WITHOUT_ACCESS recipient.
    """
    named = []
    if req.primary_contact_email:
        named.append((req.primary_contact_email.lower(), req.primary_contact_name))
    named += [(c.email.lower(), c.name) for c in req.additional_contacts.all()]
    named += [(email.lower(), name) for email, name in also if email]
    members = _members_by_email(req, {email for email, _ in named}) if named else {}
    people: dict[str, Recipient] = {}
    for email, name in named:
        user = members.get(email)
        audience = "lea" if user is not None else CONTACT_WITHOUT_ACCESS
        people.setdefault(email, Recipient(email, user, name, audience))
    for user in (req.submitted_by, req.created_by):
        if user is not None and user.email.lower() not in people:
            people[user.email.lower()] = Recipient(user.email.lower(), user, user.get_full_name())
    return list(people.values())


def reviewer_recipients(req: AssistanceRequest, everyone=None) -> list[Recipient]:
    """Return the assigned reviewer, or every reviewer and lead when nobody is assigned.

    A sweep over many requests passes `everyone` (staff_in_roles(*REVIEW_ROLES), asked once).
    """
    if req.assigned_to_id and req.assigned_to.is_active:
        return [staff_recipient(req.assigned_to)]
    return everyone if everyone is not None else staff_in_roles(*roles.REVIEW_ROLES)


def lead_recipients() -> list[Recipient]:
    """Return the CCEE leads, who receive the 48-hour escalations."""
    return staff_in_roles(roles.CCEE_LEAD)


def request_url(req: AssistanceRequest, audience: str) -> str:
    """Return the absolute link to the request: the site page for the LEA, the admin for staff."""
    if audience == "staff":
        path = reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])
    else:
        path = reverse("requests_intake:request_detail", args=[req.pk])
    return f"{settings.SITE_URL}{path}"


def determination_in_plain_words(determination) -> dict | None:
    """Return what a stored determination means, in the words the LEA's notices use."""
    if not determination:
        return None
    found = rules.Determination.from_dict(determination)
    return {
        "pathways": [rules.PATHWAY_LABELS[p] for p in found.pathways],
        "cost": rules.COST_BASIS_LABELS[found.cost_basis],
        "cost_basis": found.cost_basis,
        "priority_tier": found.priority_tier,
        "meets_threshold": found.meets_ccee_threshold,
    }


PRIORITY_IN_WORDS = {
    1: "the highest priority group",
    2: "the priority group",
    3: "the general group",
}

COST_IN_WORDS = {
    rules.STATE_FUNDED: "the state funds CCEE's assistance; your agency does not reimburse CCEE",
    rules.SHARED_COST: "the cost is shared among the agencies that help your district",
    rules.REIMBURSABLE: "your agency reimburses CCEE for the cost of its services",
}


def determination_changes(req: AssistanceRequest) -> list[str]:
    """Return, in plain sentences, what verification changed in who pays and in priority.

    Empty when no fact was verified, or when the verified facts lead where the attested did.
    The request page and the approval notice say these same sentences.
    """
    if not req.verified_determination or not req.determination:
        return []
    attested = rules.Determination.from_dict(req.determination)
    verified = rules.Determination.from_dict(req.verified_determination)
    changes = []
    if attested.cost_basis != verified.cost_basis:
        changes.append(
            "Who pays changed when CCEE verified the facts: your request said "
            f"{COST_IN_WORDS[attested.cost_basis]}; on the verified facts, "
            f"{COST_IN_WORDS[verified.cost_basis]}."
        )
    if attested.priority_tier != verified.priority_tier:
        changes.append(
            "The priority changed when CCEE verified the facts: your request was in "
            f"{PRIORITY_IN_WORDS[attested.priority_tier]}; on the verified facts it is in "
            f"{PRIORITY_IN_WORDS[verified.priority_tier]}."
        )
    return changes


def request_context(req: AssistanceRequest, recipient: Recipient) -> dict:
    """Return what every request notice's subject and templates use."""
    can_open = recipient.audience != CONTACT_WITHOUT_ACCESS
    return {
        "request": req,
        "url": request_url(req, recipient.audience) if can_open else "",
        "can_open": can_open,
        "signup_url": f"{settings.SITE_URL}{reverse('accounts:signup')}",
        "ref": req.reference or f"draft #{req.pk}",
        "lea": req.lea.name,
    }


def verified_context(req: AssistanceRequest, recipient: Recipient) -> dict:
    """Return a request notice's context with the determination in force, in plain words.

    `changes` says what verification changed in who pays and in priority (see
    determination_changes); `priority` names the tier in force in words.
    """
    determination = determination_in_plain_words(req.determination_in_force)
    return {
        **request_context(req, recipient),
        "determination": determination,
        "priority": PRIORITY_IN_WORDS[determination["priority_tier"]] if determination else "",
        "changes": determination_changes(req),
    }


def render_notice(kind: str, req: AssistanceRequest, recipient: Recipient, context: dict):
    """Return (subject, text, html) for one notice about a request."""
    return rendering.render_notice(kind, recipient=recipient, context=context, subject_of=req)


def county_contact_context(req: AssistanceRequest, recipient: Recipient) -> dict:
    """Return what a county contact's notice uses: the request named, never a link to its page."""
    return {
        "request": req,
        "ref": req.reference or f"draft #{req.pk}",
        "lea": req.lea.name,
    }
