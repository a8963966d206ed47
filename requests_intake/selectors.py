"""Reads that pages need, with their related rows fetched in a fixed number of queries."""

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from notices.models import Notice

from .models import (
    AssistanceRequest,
    LeaInvitation,
    LeaMembership,
    LeaType,
    LocalEducationalAgency,
    RequestMessage,
)


def memberships_for_user(user):
    """Return the person's LEA memberships, approved and pending, with their LEAs."""
    return LeaMembership.objects.filter(user=user).select_related("lea").order_by("lea__name")


def _member_requests(user, lea_ids=None):
    """Return the requests of the person's approved LEAs with their LEA and `agreement_status`
    (the stored status of the request's agreement, none before approval).

    `lea_ids`, where the caller read them with member_lea_ids(user), stands for the membership
    subquery.
    """
    return _with_agreement(_of_member(user, lea_ids))


def _with_agreement(requests):
    return requests.select_related("lea").annotate(agreement_status=F("scope_of_work__status"))


def _of_member(user, lea_ids=None):
    """The person's approved LEAs' requests: by the membership rule, or by the ids read from it."""
    if lea_ids is None:
        return AssistanceRequest.objects.for_member(user)
    return AssistanceRequest.objects.filter(lea_id__in=lea_ids)


# Most recently active first; request_lea_recent_idx holds each LEA's requests in this order.
MEMBER_ORDER = ("-last_activity_at", "-pk")


def requests_for_member(user, lea_ids=None):
    """Return the requests of the person's approved LEAs, newest first.

    Each carries what waiting.waiting_on reads: `agreement_status` and `information_due` (the
    answer-by date of its latest request for information).
    """
    return _with_waiting(_member_requests(user, lea_ids))


def _with_waiting(requests):
    """Return `requests` with their `information_due`, in MEMBER_ORDER."""
    latest_question = RequestMessage.objects.filter(
        request=OuterRef("pk"), kind=RequestMessage.Kind.INFORMATION_REQUEST
    ).order_by("-created_at", "-pk")
    return requests.annotate(
        information_due=Subquery(latest_question.values("respond_by")[:1])
    ).order_by(*MEMBER_ORDER)


def latest_information_request(req):
    """Return the request's latest request for information among its fetched messages, or None.

    Messages are read oldest first (RequestMessage's ordering).
    """
    asked = [m for m in req.messages.all() if m.kind == RequestMessage.Kind.INFORMATION_REQUEST]
    return asked[-1] if asked else None


# What My requests shows of each row and what waiting.waiting_on reads (with the annotations of
# requests_for_member): the rest of a request (its determinations as JSON, its sections' text)
# was most of the list's database time, read and decoded for 25 rows and never shown.
MEMBER_LIST_FIELDS = (
    "reference",
    "status",
    "lea__name",
    "created_at",
    "received_at",
    "verification_due_at",
    "last_activity_at",
)


def member_lea_ids(user) -> list[int]:
    """Return the ids of the person's approved LEAs, read once.

    For a page that filters on them more than once (My requests counts, lists and asks whether
    there is an LEA to start a draft for): one small query instead of the membership subquery
    built, planned and run in each of its queries.
    """
    ids = LeaMembership.objects.approved_lea_ids(user).order_by().values_list("lea_id", flat=True)
    return list(ids)


def request_ids_for_member(user, lea_ids=None):
    """Return the ids of requests_for_member(user)'s rows, in its order, without its joins and
    subquery: what My requests counts and cuts a page from (core.pagination.IdsFirstPaginator).
    """
    return _of_member(user, lea_ids).order_by(*MEMBER_ORDER).values_list("pk", flat=True)


def member_list_rows(page_ids):
    """Return the rows of My requests whose ids are `page_ids`, a cut of request_ids_for_member.

    The ids already hold the membership rule, so the rows are read by id alone: repeating the
    LEA filter here made PostgreSQL read every request of the LEA to keep the page's 25.
    """
    requests = _with_agreement(AssistanceRequest.objects.filter(pk__in=page_ids))
    return _with_waiting(requests).only(*MEMBER_LIST_FIELDS)


def request_get_for_member(user, pk):
    """Return the request if it belongs to one of the person's approved LEAs; else raise 404."""

    return get_object_or_404(requests_for_member(user), pk=pk)


# LEA staff's reads (the intake pages).


def approved_leas_for_user(user):
    """Return the LEAs where the person's membership is approved, by name."""

    return LocalEducationalAgency.objects.filter(
        pk__in=LeaMembership.objects.approved_lea_ids(user)
    ).order_by("name")


EDITING_RELATED = ("additional_contacts", "partners", "attachments")


def request_for_editing(user, pk, *, related: bool = True):
    """Return a request of the person's LEAs with its contacts, partners and evidence; or 404.

    `related=False` leaves them out, for a caller that may not show them (`with_editing_related`
    adds them to the row later). The editing pages and the submission never say what a request
    waits on, so requests_for_member's annotations for it (a join and a subquery) are not read.
    """
    qs = AssistanceRequest.objects.for_member(user).select_related("lea")
    if related:
        qs = qs.prefetch_related(*EDITING_RELATED)
    return get_object_or_404(qs, pk=pk)


def with_editing_related(req):
    """Return `req` with what request_for_editing(related=True) would have prefetched."""
    prefetch_related_objects([req], *EDITING_RELATED)
    return req


def request_to_submit(user, pk):
    """Return a request of the person's LEAs as a submission reads it before its lock; or 404.

    Only its status and reference (whether it is still a draft, where a repeated submission is
    sent): the submission itself reads and locks the whole row (workflow.LIFECYCLE.lock), so
    reading the request's ninety columns and its LEA here as well was done for nothing.
    """
    only = AssistanceRequest.objects.for_member(user).only("pk", "status", "reference")
    return get_object_or_404(only, pk=pk)


def request_for_lea_detail(user, pk):
    """Return a request of the person's LEAs with everything its page shows; or 404.

    Notices are limited to those sent to the LEA's people (not CCEE staff's alerts). It carries
    what waiting.waiting_on reads, as requests_for_member's rows do, but the answer-by date is
    taken from the messages fetched for the timeline, and every person the page names (who
    submitted and attested, who changed the status, who wrote) is read in one query: joins of
    the person's table into three queries cost more to build than the query they replace.
    """

    qs = _member_requests(user).prefetch_related(
        "additional_contacts",
        "partners",
        "attachments",
        "status_changes",
        "messages",
        Prefetch(
            "notices",
            # The timeline names each notice; its bodies are never shown here.
            queryset=Notice.objects.filter(Q(recipient__isnull=True) | Q(recipient__is_staff=False))
            .defer("body_text", "body_html")
            .order_by("created_at", "pk"),
        ),
    )
    req = get_object_or_404(qs, pk=pk)
    asked = latest_information_request(req)
    req.information_due = asked.respond_by if asked else None
    _attach_people(
        [
            (req, ("submitted_by", "attested_by")),
            *((change, ("by",)) for change in req.status_changes.all()),
            *((message, ("author",)) for message in req.messages.all()),
        ]
    )
    return req


def _attach_people(rows) -> None:
    """Read the people that (row, foreign key names) pairs point at in one query, onto the rows."""
    wanted = [(row, row._meta.get_field(name)) for row, names in rows for name in names]
    ids = {getattr(row, field.attname) for row, field in wanted} - {None}
    people = get_user_model().objects.in_bulk(ids) if ids else {}
    for row, field in wanted:
        field.set_cached_value(row, people.get(getattr(row, field.attname)))


# Timelines: status changes, messages and notices, oldest first; at one moment a status change
# comes before the message and the notices it caused.
_TIMELINE_ORDER = {"status": 0, "message": 1, "notice": 2}


def _message_entries(messages) -> list[dict]:
    return [
        {
            "at": message.created_at,
            "kind": "message",
            "title": message.get_kind_display(),
            "who": message.author.get_full_name() if message.author else "",
            "body": message.body,
        }
        for message in messages
    ]


def _in_order(entries: list[dict]) -> list[dict]:
    return sorted(entries, key=lambda e: (e["at"], _TIMELINE_ORDER[e["kind"]]))


def request_timeline_for_lea(req) -> list[dict]:
    """Return what happened to a request, oldest first, from rows request_for_lea_detail fetched.

    Notices of one event (one kind at one moment) are merged into one entry naming everyone.
    """
    messages = list(req.messages.all())
    # A message sent with a status change is its reason: shown once, as the message.
    sent_with_change = {(message.created_at, message.body) for message in messages}
    entries = [
        {
            "at": change.at,
            "kind": "status",
            "title": f"Status: {change.get_to_status_display()}",
            "who": change.by.get_full_name() if change.by else "",
            "body": "" if (change.at, change.reason.strip()) in sent_with_change else change.reason,
        }
        for change in req.status_changes.all()
    ]
    entries += _message_entries(messages)
    merged: dict[tuple, dict] = {}
    for notice in req.notices.all():
        key = (notice.kind, notice.created_at)
        if key not in merged:
            merged[key] = {
                "at": notice.created_at,
                "kind": "notice",
                "title": f"Email: {notice.subject}",
                "who": "",
                "recipients": [],
            }
        merged[key]["recipients"].append(notice.recipient_email)
    for entry in merged.values():
        entry["body"] = "Sent to " + ", ".join(entry.pop("recipients"))
        entries.append(entry)
    return _in_order(entries)


# Reviewers' reads (the triage admin and its dashboard).


def requests_for_review():
    """Return every request that has left draft, with the LEA and assignee."""

    return AssistanceRequest.objects.submitted_ever().select_related("lea", "assigned_to")


def requests_for_triage(now=None):
    """Return every request that has left draft, with the LEA and assignee, in triage order."""

    return requests_for_review().with_triage_order(now)


# The columns the triage changelist shows, sorts and filters on (the rest stays unread).
TRIAGE_LIST_FIELDS = (
    "id",
    "reference",
    "status",
    "priority_tier",
    "pathways",
    "cost_basis",
    "data_facts",
    "data_mismatch",
    "received_at",
    "verification_due_at",
    "verified_at",
    "last_activity_at",
    "primary_contact_email",
    "lea__name",
    "lea__cds_code",
    "lea__county",
    "lea__lea_type",
    "assigned_to__full_name",
    "assigned_to__email",
)
# Everyone a request names, shown on the reviewers' change view.
REVIEW_PEOPLE = (
    "lea",
    "assigned_to",
    "created_by",
    "submitted_by",
    "attested_by",
    "verified_by",
    "decided_by",
    "last_edited_by",
)


# The people a request names beside its LEA and assignee; the change view reads them in one
# query (attach_named_people) rather than joining the user table six more times: PostgreSQL
# takes about 10 ms to plan the nine-table join, twenty times what it takes to run it.
NAMED_PEOPLE = tuple(name for name in REVIEW_PEOPLE if name not in ("lea", "assigned_to"))


def attach_named_people(req) -> None:
    """Read every person the request names (NAMED_PEOPLE) in one query, onto the request."""
    _attach_people([(req, NAMED_PEOPLE)])


def request_for_review(pk):
    """Return one request for the reviewers' change view with every person it names."""

    return get_object_or_404(
        AssistanceRequest.objects.submitted_ever().select_related(*REVIEW_PEOPLE), pk=pk
    )


def request_timeline(req) -> list[dict]:
    """Return the request's status changes, notices and messages, oldest first (3 queries)."""
    messages = list(req.messages.select_related("author"))
    # A message sent with a status change is its reason: shown once, as the message.
    sent_with_change = {(message.created_at, message.body) for message in messages}
    entries = [
        {
            "at": change.at,
            "kind": "status",
            "title": f"{change.get_from_status_display()} → {change.get_to_status_display()}",
            "who": change.by.get_full_name() if change.by else "",
            "body": "" if (change.at, change.reason) in sent_with_change else change.reason,
        }
        for change in req.status_changes.select_related("by")
    ]
    entries += _message_entries(messages)
    entries += [
        {
            "at": notice.created_at,
            "kind": "notice",
            "title": f"{notice.kind_label} to {notice.recipient_email}",
            "who": "",
            "body": f"{notice.subject} ({notice.get_status_display().lower()})",
        }
        # Only what the line shows: the bodies (text and HTML) are most of a notice's bytes.
        for notice in req.notices.only(*TIMELINE_NOTICE_FIELDS).order_by("created_at", "pk")
    ]
    return _in_order(entries)


TIMELINE_NOTICE_FIELDS = ("created_at", "kind", "recipient_email", "subject", "status", "request")


def quarter_start(now):
    """Return the start of the calendar quarter that `now` falls in, in Pacific time."""

    local = timezone.localtime(now)
    month = 3 * ((local.month - 1) // 3) + 1
    return datetime(local.year, month, 1, tzinfo=timezone.get_current_timezone())


def verified_within_window(now):
    """Return (on time, counted) for this quarter's requests whose verification is settled.

    A request counts once it was verified or its 48 hours have run out; it is on time when it
    was verified by its due time.
    """

    settled = (
        AssistanceRequest.objects.submitted_ever()
        .filter(received_at__gte=quarter_start(now), received_at__lte=now)
        .filter(Q(verified_at__isnull=False) | Q(verification_due_at__lte=now))
    )
    totals = settled.aggregate(
        counted=Count("pk"),
        on_time=Count("pk", filter=Q(verified_at__lte=F("verification_due_at"))),
    )
    return totals["on_time"], totals["counted"]


def requests_received_by_month(now, months=12):
    """Return [(month start, {status: count})] for the last `months` months, Pacific time."""

    local = timezone.localtime(now)
    year, month = local.year, local.month
    starts = []
    for _ in range(months):
        starts.append(datetime(year, month, 1, tzinfo=timezone.get_current_timezone()))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    rows = (
        AssistanceRequest.objects.submitted_ever()
        .filter(received_at__gte=starts[0])
        .annotate(month=TruncMonth("received_at"))
        .values("month", "status")
        .annotate(n=Count("pk"))
    )
    counts = {start.date(): {} for start in starts}
    for row in rows:
        key = timezone.localtime(row["month"]).date()
        if key in counts:
            counts[key][row["status"]] = row["n"]
    return [(start, counts[start.date()]) for start in starts]


def triage_dashboard(user, now):
    """Return what the triage dashboard shows, in a fixed number of queries."""

    S = AssistanceRequest.Status
    by_status = dict(
        AssistanceRequest.objects.values_list("status").annotate(n=Count("pk")).order_by()
    )
    awaiting = list(
        AssistanceRequest.objects.awaiting_verification()
        .select_related("lea", "assigned_to")
        .order_by("verification_due_at", "pk")[:50]
    )
    open_statuses = [S.SUBMITTED, S.VERIFIED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED]
    mine = list(
        AssistanceRequest.objects.filter(assigned_to=user, status__in=open_statuses)
        .select_related("lea")
        .order_by("verification_due_at", "received_at", "pk")[:50]
    )
    on_time, counted = verified_within_window(now)
    return {
        "status_counts": [
            (label, by_status.get(value, 0)) for value, label in S.choices if value != S.DRAFT
        ],
        "awaiting": [r for r in awaiting if not r.is_verification_overdue(now)],
        "overdue": [r for r in awaiting if r.is_verification_overdue(now)],
        "awaiting_total": by_status.get(S.SUBMITTED, 0),
        "mine": mine,
        "on_time": on_time,
        "counted": counted,
        "on_time_percent": round(100 * on_time / counted) if counted else None,
        "quarter_start": quarter_start(now),
        "by_month": requests_received_by_month(now),
    }


# Above this many rows (by the planner's estimate) the triage changelist shows the estimate
# instead of counting every row: a count that grows with the table is the one part of the page
# that would. Below it, the count is exact.
EXACT_COUNT_LIMIT = 20_000


def planner_row_estimate(queryset) -> int | None:
    """Return PostgreSQL's estimate of the rows `queryset` selects (one EXPLAIN), or None."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def triage_count(queryset) -> int:
    """Return the rows of a triage list: exact up to EXACT_COUNT_LIMIT, the estimate above."""
    estimate = planner_row_estimate(queryset)
    if estimate is not None and estimate > EXACT_COUNT_LIMIT:
        return estimate
    return queryset.count()


def county_office_of(lea) -> LocalEducationalAgency | None:
    """Return the directory's active county office of education of the LEA's county, if any."""
    return (
        LocalEducationalAgency.objects.filter(
            lea_type=LeaType.COUNTY_OFFICE,
            county_code=lea.county_code,
            status=LocalEducationalAgency.Status.ACTIVE,
        )
        .order_by("cds_code")
        .first()
    )


def lea_for_member(user, lea_id):
    """Return the LEA if the person's membership of it is approved; else 404 (not yours)."""
    return get_object_or_404(approved_leas_for_user(user), pk=lea_id)


def lea_members(lea):
    """Return the LEA's approved memberships with their people, the lead contact first."""
    return (
        LeaMembership.objects.approved()
        .filter(lea=lea)
        .select_related("user")
        .order_by("-is_lead_contact", "user__full_name", "user__email")
    )


def lea_invitations_open(lea, now=None):
    """Return the LEA's invitations not yet used and not expired, with who sent them."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    return (
        LeaInvitation.objects.filter(lea=lea, accepted_at__isnull=True, invited_at__gt=since)
        .select_related("invited_by")
        .order_by("-invited_at", "-pk")
    )
