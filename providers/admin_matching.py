"""The reviewers' matching pages in the admin: candidates for a request or an engagement (and
assigning from there), ending an assignment, cohort suggestions, and the cohorts themselves.

Each page reads through providers.matching in a fixed number of queries and writes through
providers.assignments / providers.cohort_services.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from contracts.models import ScopeOfWork
from engagements.models import Engagement
from requests_intake.models import AssistanceRequest, RequestStatus

from . import matching, taxonomy
from .assignments import AssignmentRefused, provider_assign, provider_unassign
from .cohort_services import CohortRefused, cohort_create, parse_member
from .matching_forms import AssignRowForm, CohortForm, UnassignForm
from .matching_models import AssignmentChange, Cohort
from .models import Provider, ProviderAssignment

VIEW_CANDIDATES = "providers.view_provider"
UNASSIGN = "providers.change_providerassignment"
VIEW_COHORTS = "providers.view_cohort"
# The candidates page lists this many ranked providers unless all are asked for.
SHOWN = 50


def _tag_labels(tags) -> list[str]:
    return sorted(taxonomy.EXPERTISE_LABELS.get(tag, tag) for tag in tags)


def _work_assignments(sow, engagement):
    work = Q(scope_of_work=sow) if sow is not None else Q(pk__in=[])
    if engagement is not None:
        work |= Q(engagement=engagement)
    return (
        ProviderAssignment.objects.filter(work)
        .select_related("provider", "assigned_by")
        .order_by("ended_at", "assigned_at", "pk")
    )


class CandidatesPage:
    """The candidates page of one piece of work: GET shows, POST assigns the ticked providers."""

    def __init__(self, model_admin, request, *, title, subject, ranking, sow, engagement):
        self.model_admin = model_admin
        self.request = request
        self.title = title
        self.subject = subject
        self.ranking = ranking
        self.sow = sow
        self.engagement = engagement
        self.forms: dict[int, AssignRowForm] = {}
        self.errors: list[str] = []

    @property
    def can_assign(self) -> bool:
        return self.sow is not None or self.engagement is not None

    def respond(self):
        if self.request.method == "POST" and self.can_assign and self._assign():
            return HttpResponseRedirect(self.request.get_full_path())
        return TemplateResponse(self.request, "admin/providers/candidates.html", self.context())

    def _assign(self) -> bool:
        """Assign every ticked provider, or none: return whether they were assigned."""
        ticked = [int(v) for v in self.request.POST.getlist("assign") if v.isdigit()]
        if not ticked:
            self.errors.append("Tick at least one provider to assign.")
            return False
        names = {r.candidate.provider_id: r.candidate.name for r in self.ranking.ranked}
        self.forms = {
            pk: AssignRowForm(self.request.POST, provider_id=pk, provider_name=names.get(pk, ""))
            for pk in ticked
        }
        if not all(form.is_valid() for form in self.forms.values()):
            return False
        providers = Provider.objects.in_bulk(ticked)
        try:
            with transaction.atomic():
                for pk, form in self.forms.items():
                    self._assign_one(providers.get(pk), form)
        except AssignmentRefused:
            return False
        names = ", ".join(providers[pk].name for pk in ticked)
        self.model_admin.message_user(self.request, f"Assigned: {names}.", messages.SUCCESS)
        return True

    def _assign_one(self, provider, form):
        if provider is None:
            form.add_error(None, "This provider is no longer in the registry.")
            raise AssignmentRefused("missing")
        try:
            provider_assign(
                provider=provider,
                by=self.request.user,
                scope_of_work=self.sow,
                engagement=self.engagement,
                role=form.cleaned_data["role"],
                days_committed=form.cleaned_data["days_committed"],
            )
        except AssignmentRefused as refused:
            form.add_error(None, str(refused))
            raise

    def rows(self):
        shown = self.ranking.ranked
        if self.request.GET.get("all") != "1":
            shown = shown[:SHOWN]
        return [
            {
                "ranked": ranked,
                "form": self.forms.get(ranked.candidate.provider_id)
                or AssignRowForm(
                    provider_id=ranked.candidate.provider_id, provider_name=ranked.candidate.name
                ),
                "ticked": ranked.candidate.provider_id in self.forms,
            }
            for ranked in shown
        ]

    def context(self) -> dict:
        need = self.ranking.need
        site = self.model_admin.admin_site
        assignments = list(_work_assignments(self.sow, self.engagement))
        return {
            **site.each_context(self.request),
            "opts": Cohort._meta,
            "title": self.title,
            "subject": self.subject,
            "need": need,
            "need_tags": _tag_labels(need.tags),
            "need_kinds": sorted(dict(taxonomy.KINDS).get(k, k) for k in need.kinds),
            "need_groups": _tag_labels(need.lea.student_groups),
            "rows": self.rows(),
            "ranked_count": len(self.ranking.ranked),
            "shown_all": self.request.GET.get("all") == "1" or len(self.ranking.ranked) <= SHOWN,
            "excluded": self.ranking.excluded,
            "active_assignments": [a for a in assignments if a.ended_at is None],
            "ended_assignments": [a for a in assignments if a.ended_at is not None],
            "can_assign": self.can_assign
            and self.request.user.has_perm("providers.add_providerassignment"),
            "can_unassign": self.request.user.has_perm(UNASSIGN),
            "work_missing": not self.can_assign,
            "errors": self.errors,
        }


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "member_count", "created_by", "created_at")
    search_fields = ("name", "note")
    fields = ("name", "note", "requests", "engagements", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    raw_id_fields = ("requests", "engagements")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(
                request_count=Count("requests", distinct=True),
                engagement_count=Count("engagements", distinct=True),
            )
        )

    @admin.display(description="members")
    def member_count(self, obj):
        return obj.request_count + obj.engagement_count

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "candidates/request/<int:pk>/",
                wrap(self.request_candidates_view),
                name="providers_candidates_request",
            ),
            path(
                "candidates/engagement/<int:pk>/",
                wrap(self.engagement_candidates_view),
                name="providers_candidates_engagement",
            ),
            path(
                "assignment/<int:pk>/end/",
                wrap(self.assignment_end_view),
                name="providers_assignment_end",
            ),
            path("suggestions/", wrap(self.suggestions_view), name="providers_cohort_suggestions"),
            *super().get_urls(),
        ]

    # --- Candidates -------------------------------------------------------------------------

    def request_candidates_view(self, request, pk):
        """Rank the providers for a submitted request; assign them to its scope of work."""
        if not request.user.has_perm(VIEW_CANDIDATES):
            raise PermissionDenied
        req = get_object_or_404(
            AssistanceRequest.objects.exclude(status=RequestStatus.DRAFT).select_related("lea"),
            pk=pk,
        )
        sow = ScopeOfWork.objects.filter(request=req).first()
        engagement = Engagement.objects.filter(request=req).select_related("agreement").first()
        page = CandidatesPage(
            self,
            request,
            title=f"Provider candidates for {req.reference}",
            subject={
                "label": f"{req.reference} — {req.lea.name}",
                "url": reverse("admin:requests_intake_assistancerequest_change", args=(req.pk,)),
            },
            ranking=matching.rank_for_request(req),
            sow=sow,
            engagement=engagement,
        )
        return page.respond()

    def engagement_candidates_view(self, request, pk):
        """Rank the providers for an engagement (its current problem of practice); assign them."""
        if not request.user.has_perm(VIEW_CANDIDATES):
            raise PermissionDenied
        engagement = get_object_or_404(
            Engagement.objects.select_related("request__lea", "agreement"), pk=pk
        )
        req = engagement.request
        page = CandidatesPage(
            self,
            request,
            title=f"Provider candidates for the engagement {req.reference}",
            subject={
                "label": f"Engagement {req.reference} — {req.lea.name}",
                "url": reverse("admin:engagements_engagement_change", args=(engagement.pk,)),
            },
            ranking=matching.rank_for_engagement(engagement),
            sow=engagement.agreement,
            engagement=engagement,
        )
        return page.respond()

    # --- Ending an assignment ---------------------------------------------------------------

    def assignment_end_view(self, request, pk):
        """Ask why, then end the assignment (its history keeps the reason)."""
        if not request.user.has_perm(UNASSIGN):
            raise PermissionDenied
        assignment = get_object_or_404(
            ProviderAssignment.objects.select_related(
                "provider", "scope_of_work__request__lea", "engagement__request__lea"
            ),
            pk=pk,
        )
        back = _work_url(assignment)
        form = UnassignForm(request.POST or None)
        error = ""
        if request.method == "POST" and assignment.ended_at is None and form.is_valid():
            try:
                provider_unassign(
                    assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
                )
            except AssignmentRefused as refused:
                error = str(refused)
            else:
                self.message_user(
                    request, f"{assignment.provider.name} is no longer assigned.", messages.SUCCESS
                )
                return HttpResponseRedirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"End the assignment of {assignment.provider.name}",
            "assignment": assignment,
            "history": AssignmentChange.objects.filter(assignment=assignment).select_related("by"),
            "form": form,
            "error": error,
            "back": back,
        }
        return TemplateResponse(request, "admin/providers/assignment_end.html", context)

    # --- Cohort suggestions -----------------------------------------------------------------

    def suggestions_view(self, request):
        """Pairs of districts facing a similar challenge; tick members and name a cohort."""
        if not request.user.has_perm(VIEW_COHORTS):
            raise PermissionDenied
        form = CohortForm(request.POST or None)
        chosen = request.POST.getlist("member") if request.method == "POST" else []
        members_error = ""
        if request.method == "POST":
            members = [m for m in (parse_member(v) for v in chosen) if m is not None]
            if form.is_valid():
                try:
                    cohort = cohort_create(
                        name=form.cleaned_data["name"],
                        note=form.cleaned_data["note"],
                        members=members,
                        by=request.user,
                    )
                except CohortRefused as refused:
                    members_error = str(refused)
                else:
                    self.message_user(request, f"Cohort “{cohort}” created.", messages.SUCCESS)
                    return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Cohort suggestions: districts facing a similar challenge",
            "suggestions": [
                {"s": s, "shared": _tag_labels(s.shared_tags)}
                for s in matching.cohort_suggestions()
            ],
            "cohorts": self.get_queryset(request)[:50],
            "form": form,
            "chosen": set(chosen),
            "members_error": members_error,
            "can_create": request.user.has_perm("providers.add_cohort"),
        }
        return TemplateResponse(request, "admin/providers/cohort_suggestions.html", context)


def _work_url(assignment) -> str:
    if assignment.engagement_id:
        return reverse("admin:providers_candidates_engagement", args=(assignment.engagement_id,))
    return reverse(
        "admin:providers_candidates_request", args=(assignment.scope_of_work.request_id,)
    )
