"""How far a draft has got, section by section: complete, has problems, or not started.

A section is complete when submission finds nothing to fix in it, not started when none of its
fields holds anything yet (and it has problems to fix), and has problems otherwise. "Continue the
draft" opens the first section that is not complete; the section navigation shows each state.
"""

from .drafts import FIELD_SECTION, SECTION_FIELDS, SECTIONS
from .validation import submission_problems

COMPLETE = "complete"
HAS_PROBLEMS = "problems"
NOT_STARTED = "not_started"

STATE_LABELS = {
    COMPLETE: "complete",
    HAS_PROBLEMS: "has problems",
    NOT_STARTED: "not started",
}

# The sections a person fills in; "review" is where they attest and submit.
FORM_SECTIONS = [slug for slug in SECTIONS if slug != "review"]


def _filled(req, slug) -> bool:
    """Return whether any field of the section holds a value (or a row, or a file)."""
    if slug == "contacts" and req.additional_contacts.all():
        return True
    if slug == "threshold" and req.partners.all():
        return True
    if slug in ("eligibility", "need") and req.attachments.all():
        return True
    for name in SECTION_FIELDS[slug]:
        if name in ("lea_type", "legal_name"):
            continue  # filled in from the state's directory when the draft starts
        if getattr(req, name) not in (None, "", False, [], {}):
            return True
    return False


def section_states(req, problems: dict | None = None) -> dict[str, str]:
    """Return {section slug: state} for the sections a person fills in."""
    if problems is None:
        problems = submission_problems(req)
    troubled = {FIELD_SECTION.get(name) for name in problems}
    states = {}
    for slug in FORM_SECTIONS:
        if slug not in troubled:
            states[slug] = COMPLETE
        elif _filled(req, slug):
            states[slug] = HAS_PROBLEMS
        else:
            states[slug] = NOT_STARTED
    return states


def first_unfinished(states: dict[str, str]) -> str:
    """Return the first section that is not complete, or "review" when every one is."""
    return next((slug for slug, state in states.items() if state != COMPLETE), "review")
