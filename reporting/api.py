"""The read API, version 1 (django-ninja): requests, engagements, support records, report figures.

Token-authenticated (`Authorization: Bearer <token>`, tokens from `manage.py create_api_token`),
documented by its OpenAPI 3.1 schema at /api/v1/openapi.json (no Swagger page: it would need
8 MB of static files and inline configuration the Content-Security-Policy refuses). Every
read is scoped as on the site: a request or engagement the person may not see is a 404, and a
list holds only what they may see.
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer

from . import selectors, sources
from .fiscal import fiscal_year_label
from .models import SupportRecord
from .services import api_token_user

# Pages of at most 500 rows, and an offset no database column overflows on (a client asking
# for row 10^25 gets a 422 naming the bound, not a server error).
MAX_PAGE_ROWS = 500
MAX_OFFSET = 10**9


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE_ROWS)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="CCEE Assistance Portal read API",
    version="1",
    description="Read-only access to requests, engagements, support records and OKR report "
    "figures, scoped to the token's person exactly as on the site.",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url=None,
)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return api.create_response(request, {"detail": "Not permitted for this token."}, status=403)


class LeaOut(Schema):
    cds_code: str
    name: str
    county: str
    lea_type: str


class RequestOut(Schema):
    id: int
    reference: str | None
    lea: LeaOut
    status: str
    status_label: str = Field(..., alias="get_status_display")
    created_at: datetime
    received_at: datetime | None
    verified_at: datetime | None
    decided_at: datetime | None


class EngagementOut(Schema):
    id: int
    request_id: int
    request_reference: str | None = Field(None, alias="request.reference")
    lea: LeaOut = Field(..., alias="request.lea")
    status: str
    method: str
    start_date: date
    end_date: date
    activated_on: date | None
    ended_on: date | None


class SupportRecordOut(Schema):
    id: int
    lea: LeaOut
    initiative: str = Field(..., alias="initiative.code")
    fiscal_year: int
    quarter: int
    kind: str
    source: str
    date: date | None


class SupportFilter(Schema):
    fiscal_year: int | None = Field(None, ge=2015, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)
    kind: Literal["direct", "indirect"] | None = None
    initiative: str | None = Field(None, max_length=40, description="An initiative's code.")


class ReportQuery(Schema):
    fiscal_year: int = Field(..., ge=2015, le=2100)
    quarter: int = Field(4, ge=1, le=4)


class FiguresOut(Schema):
    direct: int
    direct_unduplicated: int
    indirect: int
    indirect_unduplicated: int


class BreakdownRowOut(Schema):
    key: str
    label: str
    figures: FiguresOut


class KeyResultOut(Schema):
    area: str
    name: str
    measure: str
    initiative: str
    target: int
    actual: int


class ReportOut(Schema):
    fiscal_year: int
    label: str
    through_quarter: int
    direct_goal: int
    indirect_goal: int
    total: FiguresOut
    by_initiative: list[BreakdownRowOut]
    by_center: list[BreakdownRowOut]
    by_county: list[BreakdownRowOut]
    by_lea_type: list[BreakdownRowOut]
    by_quarter: list[BreakdownRowOut]
    key_results: list[KeyResultOut]


@api.get("/requests", response=list[RequestOut], tags=["requests"])
@paginate(Pages)
def list_requests(request):
    """The requests the token's person may see (LEA staff: their LEAs'; reviewers: all)."""
    return sources.requests_visible_to(request.user).order_by("-created_at", "-pk")


@api.get("/requests/{request_id}", response=RequestOut, tags=["requests"])
def get_request(request, request_id: int):
    return get_object_or_404(sources.requests_visible_to(request.user), pk=request_id)


@api.get("/engagements", response=list[EngagementOut], tags=["engagements"])
@paginate(Pages)
def list_engagements(request):
    return sources.engagements_visible_to(request.user).order_by("pk")


@api.get("/engagements/{engagement_id}", response=EngagementOut, tags=["engagements"])
def get_engagement(request, engagement_id: int):
    return get_object_or_404(sources.engagements_visible_to(request.user), pk=engagement_id)


def _records_visible_to(user):
    qs = SupportRecord.objects.select_related("lea", "initiative")
    if user.has_perm("reporting.view_supportrecord"):
        return qs
    if user.has_perm("requests_intake.submit_assistancerequest"):
        return qs.filter(lea_id__in=sources.member_lea_ids(user))
    return qs.none()


@api.get("/support-records", response=list[SupportRecordOut], tags=["support records"])
@paginate(Pages)
def list_support_records(request, filters: Query[SupportFilter]):
    """Support records (CCEE staff: all; LEA staff: their LEAs'), filtered by year, quarter…"""
    qs = _records_visible_to(request.user)
    for name, lookup in [
        ("fiscal_year", "fiscal_year"),
        ("quarter", "quarter"),
        ("kind", "kind"),
        ("initiative", "initiative__code"),
    ]:
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{lookup: value})
    return qs.order_by("pk")


def _rows(rows) -> list[dict]:
    return [{"key": r.key, "label": r.label, "figures": vars(r.figures)} for r in rows]


@api.get("/report", response=ReportOut, tags=["report"])
def get_report(request, query: Query[ReportQuery]):
    """The OKR report's figures for a fiscal year to date (CCEE leads and reviewers)."""
    if not request.user.has_perm("reporting.view_report"):
        raise PermissionDenied
    report = selectors.quarterly_report(query.fiscal_year, query.quarter)
    return {
        "fiscal_year": report.fiscal_year,
        "label": fiscal_year_label(report.fiscal_year),
        "through_quarter": report.quarter,
        "direct_goal": report.direct_goal,
        "indirect_goal": report.indirect_goal,
        "total": vars(report.total),
        "by_initiative": _rows(report.by_initiative),
        "by_center": _rows(report.by_center),
        "by_county": _rows(report.by_county),
        "by_lea_type": _rows(report.by_lea_type),
        "by_quarter": _rows(report.by_quarter),
        "key_results": [vars(kr) for kr in report.key_results],
    }
