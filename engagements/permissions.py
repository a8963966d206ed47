"""Who may do what on an engagement: `can_<verb>(user, engagement) -> Decision`.

Reviewers and leads do everything (their role grants the codenames); LEA staff act on the
engagements of the LEAs where their membership is approved; submitting a report also needs a
place on the leading team. The agent sees deliverable status only. Another LEA gets a 404.
"""

from core.decisions import ALLOW, Decision, deny
from requests_intake.permissions import is_approved_member

STAFF_VIEW = "engagements.view_engagement"
MANAGE = "engagements.manage_engagement"
REVIEW_REPORT = "engagements.review_progressreport"
CHECK_PROBLEM = "engagements.check_problemofpractice"
MARK_STORY = "engagements.mark_success_story"
DELIVERABLES = "engagements.view_deliverable_status"
LEA_EDIT = "engagements.change_progressreport"  # granted to LEA staff, with membership

NOT_A_MEMBER = "Only approved members of this LEA can do this."

# Others who take part in an engagement besides its LEA (the providers assigned to it): each
# entry is (user, engagement) -> bool. A higher app registers its own (providers.apps);
# engagements never imports it. A participant sees the engagement and, with LEA_EDIT,
# co-authors its progress reports; nothing else of the LEA's.
PARTICIPANT_CHECKS: list = []
ONLY_REVIEWERS = "Only CCEE reviewers and leads can do this."


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_staff_viewer(user) -> bool:
    return _active(user) and user.has_perm(STAFF_VIEW)


def is_lea_member(user, engagement) -> bool:
    return _active(user) and is_approved_member(user, engagement.request.lea_id)


def is_participant(user, engagement) -> bool:
    return _active(user) and any(check(user, engagement) for check in PARTICIPANT_CHECKS)


def can_view(user, engagement) -> Decision:
    if is_staff_viewer(user) or is_lea_member(user, engagement):
        return ALLOW
    if is_participant(user, engagement):
        return ALLOW
    return deny(NOT_A_MEMBER)


def can_edit_as_lea(user, engagement) -> Decision:
    """LEA members of that LEA: define indicators, the team, drafts of reports, revisions."""
    if is_staff_viewer(user) and user.has_perm(MANAGE):
        return ALLOW
    if _active(user) and user.has_perm(LEA_EDIT) and is_lea_member(user, engagement):
        return ALLOW
    return deny(NOT_A_MEMBER)


def on_leading_team(user, engagement, team=None) -> bool:
    team = engagement.team.all() if team is None else team
    email = (user.email or "").lower()
    return any(m.user_id == user.pk or m.email.lower() == email for m in team)


def can_write_report(user, engagement) -> Decision:
    """LEA members of that LEA, and participants co-authoring: drafts of progress reports."""
    if can_edit_as_lea(user, engagement):
        return ALLOW
    if _active(user) and user.has_perm(LEA_EDIT) and is_participant(user, engagement):
        return ALLOW
    return deny(NOT_A_MEMBER)


def can_submit_report(user, report) -> Decision:
    engagement = report.engagement
    if not can_edit_as_lea(user, engagement):
        # A participant co-authoring the report submits it as the leading team does.
        return can_write_report(user, engagement)
    if user.has_perm(MANAGE) or on_leading_team(user, engagement):
        return ALLOW
    return deny("Only the district's leading team submits the reports: ask to be added to it.")


def _holding(permission):
    def check(user, obj) -> Decision:
        return ALLOW if _active(user) and user.has_perm(permission) else deny(ONLY_REVIEWERS)

    return check


can_manage = _holding(MANAGE)
can_review_report = _holding(REVIEW_REPORT)
can_check_problem = _holding(CHECK_PROBLEM)
can_mark_story = _holding(MARK_STORY)
