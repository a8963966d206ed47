"""What reporting reads from the apps below it: verified requests, engagements, success stories.

The one module coupled to requests_intake's and engagements' models, so a change there is
reconciled here alone.
"""

from datetime import date

from django.utils import timezone

from engagements.models import Engagement
from requests_intake.models import AssistanceRequest, LeaMembership

from .fiscal import FiscalQuarter, fiscal_quarter_of, quarters_between


def portal_direct_support(today: date | None = None) -> set[tuple[int, FiscalQuarter]]:
    """Return the (LEA id, fiscal quarter) pairs the portal's own work supported directly.

    A request counts in the quarter CCEE verified it (Pacific time); an engagement in every
    quarter it was under way, from the day it became active to the day it ended (today while
    it runs). A pair appears once however many requests and engagements it has.
    """
    today = today or timezone.localdate()
    pairs: set[tuple[int, FiscalQuarter]] = set()
    verified = AssistanceRequest.objects.filter(verified_at__isnull=False).values_list(
        "lea_id", "verified_at"
    )
    for lea_id, verified_at in verified.iterator():
        pairs.add((lea_id, fiscal_quarter_of(timezone.localdate(verified_at))))
    engaged = Engagement.objects.filter(activated_on__isnull=False, activated_on__lte=today)
    for lea_id, first, last in engaged.values_list(
        "request__lea_id", "activated_on", "ended_on"
    ).iterator():
        for quarter in quarters_between(first, min(last or today, today)):
            pairs.add((lea_id, quarter))
    return pairs


def public_success_stories(limit: int = 12) -> list[dict]:
    """Return the success stories marked public with the LEA's consent: LEA, county, summary.

    Only those three fields leave this function: no person, request or internal detail.
    """
    stories = (
        Engagement.objects.public_success_stories()
        .exclude(success_story_summary="")
        .order_by("-success_story_consent_at", "pk")
        .values("request__lea__name", "request__lea__county", "success_story_summary")[:limit]
    )
    return [
        {
            "lea": row["request__lea__name"],
            "county": row["request__lea__county"],
            "summary": row["success_story_summary"],
        }
        for row in stories
    ]


def requests_visible_to(user):
    """Return the requests `user` may read, scoped exactly as on the site and in the admin.

    Reviewers and leads (who may view requests) read every request that left draft; LEA staff
    the requests of the LEAs where their membership is approved; anyone else none.
    """
    qs = AssistanceRequest.objects.select_related("lea")
    if user.has_perm("requests_intake.view_assistancerequest"):
        return qs.submitted_ever()
    if user.has_perm("requests_intake.submit_assistancerequest"):
        return qs.for_member(user)
    return qs.none()


def engagements_visible_to(user):
    """Return the engagements `user` may read: all for reviewers and leads, LEA staff theirs.

    Whoever may read every request may read its engagement (reviewers and leads).
    """
    qs = Engagement.objects.select_related("request__lea")
    if user.has_perm("engagements.view_engagement") or user.has_perm(
        "requests_intake.view_assistancerequest"
    ):
        return qs
    if user.has_perm("requests_intake.submit_assistancerequest"):
        return qs.visible_to_lea_member(user)
    return qs.none()


def member_lea_ids(user):
    """Return the ids of the LEAs where `user`'s membership is approved (a subquery)."""
    return LeaMembership.objects.approved_lea_ids(user)
