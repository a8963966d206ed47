"""The request's history as people read it: labels, status words, Pacific times, real names.

django-simple-history's admin lists each saved version with its changed fields; this formats
them (a person's name, not "Deleted user (pk=None)"; "Approved", not "approved"; a time in
Pacific time; a determination in one line) and says in a sentence who did what.
"""

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.html import conditional_escape
from simple_history.template_utils import HistoricalRecordContextHelper

from eligibility import rules

from . import admin_confirm, contract_terms, workflow
from .drafts import FIELD_LABELS
from .models import AssistanceRequest, AssistanceType

S = AssistanceRequest.Status

# How the admin names the request's own fields (the LEA's fields as the intake form names them).
ADMIN_LABELS = {
    **FIELD_LABELS,
    "lea": "LEA",
    "status": "Status",
    "reference": "Reference",
    "assigned_to": "Assigned to",
    "attested_by": "Attested by",
    "attested_at": "Attested",
    "submitted_by": "Submitted by",
    "received_at": "Received",
    "verification_due_at": "48-hour verification due",
    "verified_by": "Initial verification by",
    "verified_at": "Initial verification",
    "decided_by": "Decided by",
    "decided_at": "Decided",
    "decision_reason": "Reason for the decision",
    "withdrawn_at": "Withdrawn",
    "determination": "Determination (attested facts)",
    "verified_determination": "Determination (verified facts)",
    "verified_facts": "Verified facts",
    "data_facts": "Facts from the state's data",
    "data_mismatch": "State's data contradicts the LEA",
    "data_override_reason": "Reason for differing from the state's data",
    "priority_tier": "Priority tier",
    "pathways": "Pathways",
    "cost_basis": "Cost basis",
    "rules_version": "Rules version (attested)",
    "verified_rules_version": "Rules version (verified)",
    "triage_version": "Triage version",
    "version": "Draft version",
    "created_by": "Created by",
    "last_edited_by": "Last edited by",
    "created_at": "Created",
    "lea_type": "Type of agency",
}

# "Riley Chen approved": the verb of each status a transition reaches, as the table says it.
_VERB_OF_TARGET = {}
for _t in workflow.TRANSITIONS.values():
    _VERB_OF_TARGET.setdefault(_t.target, _t.verb)
_VERB_OF_TARGET[S.UNDER_REVIEW] = "put it under review"
_VERB_OF_TARGET[S.INFORMATION_REQUESTED] = "asked the LEA for more information"


def pacific(value) -> str:
    """Return a date or time as people write it, in Pacific time: "Dec 1, 2026, 3:06 PM PST"."""
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "M j, Y, g:i A T")
    if isinstance(value, date):
        return formats.date_format(value, "F j, Y")
    return str(value)


def person_name(user) -> str:
    return user.get_full_name() or user.email


def readable_value(name: str, value) -> str:
    """Return one stored value of the request as a person reads it."""
    # A relation that was empty comes back as a "deleted object" without a key.
    if value is None or value == "" or value == [] or getattr(value, "pk", "") is None:
        return "—"
    if hasattr(value, "get_full_name"):
        return person_name(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "status":
        return str(S(value).label)
    if name in contract_terms.NEED_FIELDS or name in contract_terms.AGREEMENT_FIELDS:
        return contract_terms.display(name, value) or "—"
    if name == "assistance_types":
        labels = dict(AssistanceType.choices)
        return "; ".join(str(labels.get(v, v)) for v in value)
    if name == "cost_basis":
        return rules.COST_BASIS_LABELS.get(value, value)
    if name in ("determination", "verified_determination"):
        return admin_confirm.determination_text(value)
    if isinstance(value, date | datetime):
        return pacific(value)
    return str(value)


def what_happened(who, old_status, new_status, history_type: str) -> str:
    """Return the sentence that says who did what in one version: "Riley Chen approved"."""
    name = person_name(who) if who is not None else "The portal"
    if history_type == "+":
        return f"{name} started the draft" if new_status == S.DRAFT else f"{name} added it"
    if old_status != new_status and new_status in _VERB_OF_TARGET:
        return f"{name} {_VERB_OF_TARGET[new_status]}"
    if new_status == S.DRAFT:
        return f"{name} saved the draft"
    return f"{name} changed it"


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """Formats one version's changes with the admin's labels and readable values."""

    def context_for_delta_changes(self, delta):
        # `delta` compares this version (new_record) with the one before it (old_record).
        newer, older = delta.new_record, delta.old_record
        self.record.what_happened = what_happened(
            newer.history_user,
            getattr(older, "status", None),
            getattr(newer, "status", None),
            newer.history_type,
        )
        return [
            {
                "field": ADMIN_LABELS.get(
                    change.field, change.field.replace("_", " ").capitalize()
                ),
                "old": conditional_escape(readable_value(change.field, change.old)),
                "new": conditional_escape(readable_value(change.field, change.new)),
            }
            for change in delta.changes
            if change.field not in ("triage_version", "version")
        ]


def admin_label(name: str) -> str:
    """Return how the admin names the request's field `name`."""
    return ADMIN_LABELS.get(name, name.replace("_", " ").capitalize())


def shown_value(obj, name: str) -> str:
    """Return the request's field `name` as a person reads it (a choice by its label)."""
    field = obj._meta.get_field(name)
    if field.choices and getattr(obj, name):
        return str(getattr(obj, f"get_{name}_display")())
    return readable_value(name, getattr(obj, name))


def shown_field(name: str):
    """Return an admin display function that shows field `name` with its label, readably."""

    def show(modeladmin, obj):
        return shown_value(obj, name)

    show.short_description = admin_label(name)
    show.__name__ = f"shown_{name}"
    return show
