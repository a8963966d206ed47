"""The reviewers' admin: triage changelist, actions, change view, internal notes, dashboard.

Every status change and assignment goes through requests_intake.workflow; this module only
parses what a reviewer sent, asks the service, and reports what happened in plain words.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from core.admin_lifecycle import LifecycleAdminMixin
from core.admin_mixins import PlainActionCheckboxMixin
from core.dates import format_date
from core.form_rendering import PLAIN_INPUTS
from eligibility import rules

from . import admin_confirm, admin_county, admin_history, permissions, selectors, workflow
from .admin_filters import (
    AssignedFilter,
    CostBasisFilter,
    CountyFilter,
    OverdueFilter,
    PathwayDropdownFilter,
    RulesVersionFilter,
    StatusFilter,
    TierFilter,
)
from .admin_forms import (
    AssignForm,
    InformationRequestForm,
    ReviewerChoiceField,
    TriageForm,
    VerifiedFactsForm,
    reviewers_queryset,
)
from .drafts import SECTION_FIELDS, SECTIONS
from .models import TRIAGE_ORDER, AssistanceRequest, EvidenceFor, InternalNote, LeaType

S = AssistanceRequest.Status
LEA_TYPE_LABELS = dict(LeaType.choices)


def format_hours(delta: timedelta) -> str:
    """Return a duration as a person reads it on a 48-hour clock: "3 h", "45 min", "2 d 4 h"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} d {hours % 24} h"


def verification_clock(req, now) -> str:
    """Return the time left to the 48-hour verification, or how overdue it is, in words."""
    if req.status != S.SUBMITTED or req.verification_due_at is None:
        if req.verified_at and req.verification_due_at:
            on_time = req.verified_at <= req.verification_due_at
            return "Verified on time" if on_time else "Verified late"
        return "—"
    if req.verification_due_at <= now:
        return f"OVERDUE by {format_hours(now - req.verification_due_at)}"
    return f"{format_hours(req.verification_due_at - now)} left"


def short_datetime(value) -> str:
    """Return a time in Pacific time, short enough for a changelist column: "Dec 1, 4:05 PM"."""
    if value is None:
        return "—"
    return format_date(timezone.localtime(value), "M j, g:i A")


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History with who and when, to read only: a revert would bypass the workflow."""

    object_history_list_template = "admin/requests_intake/assistancerequest/history_list.html"

    def get_history_queryset(self, request, history_manager, pk_name, object_pk):
        return (
            super()
            .get_history_queryset(request, history_manager, pk_name, object_pk)
            .select_related("history_user")
        )

    def get_historical_record_context_helper(self, request, historical_record):
        return admin_history.ReadableHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            record.when_pacific = admin_history.pacific(record.history_date)
            if not hasattr(record, "what_happened"):  # the oldest version on the page
                record.what_happened = admin_history.what_happened(
                    record.history_user, None, getattr(record, "status", None), record.history_type
                )

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class InternalNoteInline(admin.StackedInline):
    """Reviewers' notes on the request: added here, never edited, never shown to the LEA."""

    model = InternalNote
    extra = 1
    max_num = 1
    fields = ["body"]
    verbose_name = "internal note (CCEE only)"
    verbose_name_plural = "internal notes (CCEE only: never shown to the LEA or the agent)"
    # The saved notes are listed above the one form, which only adds a note: an empty form never
    # looks like a saved note, and its own button saves it.
    template = "admin/requests_intake/assistancerequest/internal_notes_inline.html"

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def get_formset(self, request, obj=None, **kwargs):
        # Its form and management form write their inputs and labels directly (the same
        # markup): a formset hands its forms its own renderer, never their default_renderer.
        kwargs.setdefault("renderer", PLAIN_INPUTS)
        kwargs.setdefault("labels", {"body": "New internal note"})
        kwargs.setdefault(
            "help_texts",
            {"body": "Only CCEE sees it. Saved with your name and the time; never edited."},
        )
        return super().get_formset(request, obj, **kwargs)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(
            "requests_intake.view_internal_notes"
        ) and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InternalNote)
class InternalNoteAdmin(ReadOnlyHistoryAdmin):
    """Every note across requests, with its history; notes are added from the request's page."""

    list_display = ["request", "author", "created_at", "excerpt"]
    list_select_related = ["request", "author"]
    search_fields = ["request__reference", "body"]
    readonly_fields = ["request", "author", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(
            "requests_intake.view_internal_notes"
        ) and super().has_view_permission(request, obj)

    @admin.display(description="note")
    def excerpt(self, obj):
        return obj.body if len(obj.body) <= 80 else f"{obj.body[:77]}…"


class TriagePaginator(Paginator):
    """Counts a page's rows exactly up to selectors.EXACT_COUNT_LIMIT, by estimate above it."""

    @cached_property
    def count(self):
        return selectors.triage_count(self.object_list)


class TriageChangeList(ChangeList):
    """The changelist reads only the columns it shows, so sorting 50,000 rows stays cheap.

    Its default order is the stored, indexed triage key (models.TRIAGE_ORDER), so the first page
    is read from the index whatever the number of rows; and it counts the rows once: with no
    filter or search, the total shown beside the count is the same number. Above
    selectors.EXACT_COUNT_LIMIT rows the counts are PostgreSQL's estimate (TriagePaginator).
    """

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).only(*selectors.TRIAGE_LIST_FIELDS)

    def get_results(self, request):
        """Django's get_results, with the total reused when no filter or search applies."""
        paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
        result_count = paginator.count
        full_result_count = None
        if self.model_admin.show_full_result_count:
            unfiltered = not (self.has_active_filters or self.query)
            full_result_count = (
                result_count if unfiltered else selectors.triage_count(self.root_queryset)
            )
        self.can_show_all = result_count <= self.list_max_show_all
        self.multi_page = result_count > self.list_per_page
        if (self.show_all and self.can_show_all) or not self.multi_page:
            self.result_list = self.queryset._clone()
        else:
            try:
                self.result_list = paginator.page(self.page_num).object_list
            except InvalidPage as exc:
                raise IncorrectLookupParameters from exc
        self.result_count = result_count
        self.show_full_result_count = self.model_admin.show_full_result_count
        self.show_admin_actions = not self.show_full_result_count or bool(full_result_count)
        self.full_result_count = full_result_count
        self.paginator = paginator


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(
    admin_county.CountyConfirmationAdminMixin,
    PlainActionCheckboxMixin,
    LifecycleAdminMixin,
    ReadOnlyHistoryAdmin,
):
    """The triage changelist, the actions, and the reviewer's view of one request.

    The status buttons, the transition actions and their reason pages come from the request's
    lifecycle table (requests_intake.workflow.LIFECYCLE): CCEE's transitions only.
    """

    lifecycle = workflow.LIFECYCLE
    lifecycle_names = workflow.STAFF_TRANSITIONS
    # Final: both ask on a page showing each request's determination before anything happens.
    confirmed_transitions = admin_confirm.DECISIONS
    # Request information asks which sections to change and, optionally, by when.
    transition_forms = {"request_information": InformationRequestForm}
    reason_required_message = (
        "Write the reason: the LEA reads it, and it is kept in the request's history."
    )

    change_form_template = "admin/requests_intake/assistancerequest/change_form.html"
    form = TriageForm
    inlines = [InternalNoteInline]
    list_display = [
        "reference",
        "verification_display",
        "status",
        "tier_display",
        "lea_display",
        "pathways_display",
        "data_check_display",
        "county_display",
        "assigned_display",
        "received_display",
        "last_activity_display",
    ]
    list_display_links = ["reference"]
    # The work-queue filters first; the long ones (counties, pathways) as selects.
    list_filter = [
        AssignedFilter,
        OverdueFilter,
        StatusFilter,
        TierFilter,
        PathwayDropdownFilter,
        CostBasisFilter,
        "lea__lea_type",
        CountyFilter,
        RulesVersionFilter,
        "data_mismatch",
        admin_county.CountyConfirmationFilter,
    ]
    search_fields = ["reference", "lea__name", "lea__cds_code", "primary_contact_email"]
    list_per_page = 50
    # The transitions' actions (verify, approve, …) are added from the lifecycle table.
    actions = ["assign_to_me", "assign_to_reviewer"]
    # The form holds only what a reviewer edits; the request's own facts are one read-only
    # panel made in one pass (review_fact_panels), not ~50 AdminReadonlyFields.
    fieldsets = [("Triage", {"fields": ["shown_status", "assigned_to", "seen_triage_version"]})]

    # -- who may do what -------------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # requests come from LEAs, through the site

    def has_delete_permission(self, request, obj=None):
        return False  # nothing a reviewer does deletes a request: decline or let it withdraw

    def has_view_permission(self, request, obj=None):
        return permissions.is_reviewer(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return permissions.is_reviewer(request.user) and super().has_change_permission(request, obj)

    def get_actions(self, request):
        if not permissions.is_reviewer(request.user):
            return {}
        return super().get_actions(request)

    # -- reads -----------------------------------------------------------------------------

    def get_queryset(self, request):
        return selectors.requests_for_triage(timezone.now()).annotate(**admin_county.county_flags())

    def get_object(self, request, object_id, from_field=None):
        cached = getattr(request, "_review_object", None)
        if cached is not None and from_field is None and str(cached.pk) == str(object_id):
            return cached
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        # The same rows as get_queryset, without the changelist's sort and county-flag columns
        # (half the cost of reading one request).
        queryset = selectors.requests_for_review()
        try:
            req = queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None
        # The change view prints every person the request names: one more query, not six joins.
        selectors.attach_named_people(req)
        return req

    class Media:
        js = ["js/admin_filters.js"]

    def get_changelist(self, request, **kwargs):
        return TriageChangeList

    paginator = TriagePaginator

    def get_ordering(self, request):
        # Awaiting verification by time left on the 48-hour clock (overdue first), then tier:
        # the stored, indexed key (requests_intake.models.TRIAGE_ORDER).
        return list(TRIAGE_ORDER)

    def get_readonly_fields(self, request, obj=None):
        return ["shown_status"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            # The plain select, not the admin's wrapper of it: its links would edit people's
            # accounts, not assign a request, and it renders the select through Django's
            # templates whatever the form's renderer (core.form_rendering), a tenth of the page.
            return super().formfield_for_foreignkey(
                db_field,
                request,
                queryset=reviewers_queryset(),
                empty_label="Nobody (unassigned)",
                form_class=ReviewerChoiceField,
                **kwargs,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="LEA", ordering="lea__name")
    def lea_display(self, obj):
        return format_html(
            "{}<br><small>{} · {} County · CDS {}</small>",
            obj.lea.name,
            LEA_TYPE_LABELS.get(obj.lea.lea_type, obj.lea.lea_type),
            obj.lea.county,
            obj.lea.cds_code,
        )

    @admin.display(description="tier", ordering="triage_tier")
    def tier_display(self, obj):
        return f"Tier {obj.priority_tier}" if obj.priority_tier else "—"

    @admin.display(description="pathways")
    def pathways_display(self, obj):
        return obj.pathways.replace(",", ", ") if obj.pathways else "None"

    @admin.display(description="state data", ordering="data_mismatch")
    def data_check_display(self, obj):
        if obj.data_mismatch:
            return "Contradicts the LEA"
        return "Agrees" if obj.data_facts else "—"

    @admin.display(description="county confirmation")
    def county_display(self, obj):
        return admin_county.county_display(obj)

    @admin.display(description="assigned to", ordering="assigned_to__full_name")
    def assigned_display(self, obj):
        return obj.assigned_to.get_full_name() if obj.assigned_to else "Unassigned"

    @admin.display(description="received", ordering="received_at")
    def received_display(self, obj):
        return short_datetime(obj.received_at)

    @admin.display(description="last activity", ordering="last_activity_at")
    def last_activity_display(self, obj):
        return short_datetime(obj.last_activity_at)

    @admin.display(description="48-hour verification", ordering="verification_due_at")
    def verification_display(self, obj):
        return verification_clock(obj, timezone.now())

    # -- the change view ------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name=f"{prefix}_dashboard"),
            *self.get_lifecycle_urls(),
            *self.get_county_confirmation_urls(),
            path(
                "<int:pk>/verified-facts/",
                wrap(self.verified_facts_view),
                name=f"{prefix}_verified_facts",
            ),
            path(
                "<int:pk>/recompute-determination/",
                wrap(self.recompute_view),
                name=f"{prefix}_recompute",
            ),
            path(
                "<int:pk>/check-state-data/",
                wrap(self.check_state_data_view),
                name=f"{prefix}_check_state_data",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if self.has_view_permission(request):
            req = self.get_object(request, object_id)
            if req is not None:  # else the admin says the request does not exist
                request._review_object = req
                extra_context.update(self.review_context(request, req))
        return super().change_view(request, object_id, form_url, extra_context)

    def review_context(self, request, req):
        # The attested facts and the partners' table both list the partners: read them once.
        prefetch_related_objects([req], "partners")
        attested_facts = req.eligibility_facts()
        return {
            "req": req,
            "transitions": self.lifecycle_buttons(request, req),
            "attested_facts": attested_facts,
            "facts_form": VerifiedFactsForm(
                initial=VerifiedFactsForm.initial_for(req, attested_facts)
            ),
            "attachments_by_kind": attachments_by_kind(req),
            "internal_notes": (
                list(req.internal_notes.select_related("author"))
                if request.user.has_perm("requests_intake.view_internal_notes")
                else []
            ),
            "additional_contacts": list(req.additional_contacts.all()),
            "partners": partner_rows(req),
            "timeline": selectors.request_timeline(req),
            "verification_clock": verification_clock(req, timezone.now()),
            "determination_outdated": workflow.determination_is_outdated(req),
            "data_rows": data_fact_rows(req, attested_facts),
            "county_rows": admin_county.confirmation_rows(req, attested_facts),
            "confirmed_rows": admin_county.confirmed_fact_rows(req, attested_facts),
            "fact_panels": review_fact_panels(req),
            "recomputable": req.status in workflow.RECOMPUTABLE,
            "current_rules_version": rules.RULES_VERSION,
        }

    def save_model(self, request, obj, form, change):
        """Save triage fields through the workflow, refusing an edit based on a stale version."""
        try:
            workflow.assistance_request_assign(
                assistance_request=obj,
                by=request.user,
                assignee=form.cleaned_data.get("assigned_to"),
                expected_triage_version=form.cleaned_data["seen_triage_version"],
            )
        except workflow.TransitionRefused as refused:
            request._triage_refused = str(refused)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        added = any(fs.new_objects for fs in formsets if fs.model is InternalNote)
        if added and getattr(request, "_triage_refused", None):
            # The refusal concerns the triage fields; a new note is never lost with it.
            self.message_user(request, "Your internal note was saved.", messages.INFO)

    def save_formset(self, request, form, formset, change):
        if formset.model is InternalNote:
            for note in formset.save(commit=False):
                if note.pk is None:
                    note.author = request.user
                    note._history_user = request.user
                    note.save()
            return
        super().save_formset(request, form, formset, change)

    def response_change(self, request, obj):
        refused = getattr(request, "_triage_refused", None)
        if refused:
            self.message_user(request, refused, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_triage_refused", None):
            return [{"changed": {"fields": []}}] if add else []
        return super().construct_change_message(request, form, formsets, add)

    def _get_for_review(self, request, pk):
        if not permissions.is_reviewer(request.user) or not self.has_view_permission(request):
            raise PermissionDenied
        return selectors.request_for_review(pk)

    def get_lifecycle_object(self, request, pk):
        return self._get_for_review(request, pk)

    def transition_summary(self, obj) -> str:
        return f"{obj}: {obj.lea.name} ({obj.get_status_display()})"

    def bulk_objects(self, request, queryset) -> list:
        # The changelist's selection reads only its columns; the page shows determinations.
        return list(
            self.get_queryset(request)
            .filter(pk__in=queryset.values("pk"))
            .select_related(*selectors.REVIEW_PEOPLE)
            .order_by("pk")
        )

    def transition_details(self, obj, transition):
        if transition.name in admin_confirm.DECISIONS:
            return admin_confirm.decision_details(obj)
        return None

    def transition_notes(self, transition, objects) -> list[str]:
        if transition.name == "request_information" and any(
            obj.status == S.SUBMITTED for obj in objects
        ):
            return [admin_confirm.INITIAL_CONTACT_NOTE]
        return []

    def verified_facts_view(self, request, pk):
        """Record the facts as the reviewer verified them; the determination is recomputed."""
        req = self._get_for_review(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        change_url = reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])
        form = VerifiedFactsForm(request.POST)
        if form.is_valid():
            try:
                workflow.assistance_request_record_verified_facts(
                    assistance_request=req,
                    by=request.user,
                    facts=form.facts(),
                    expected_triage_version=form.cleaned_data["triage_version"],
                    override_reason=form.cleaned_data["data_override_reason"],
                )
            except workflow.TransitionRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
            except rules.FactsError as error:
                label = rules.FACT_LABELS.get(error.field, error.field)
                self.message_user(request, f"{label}: {error.problem}.", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Verified facts recorded for {req}; the determination was recomputed.",
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(change_url)
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else "The form"
            self.message_user(
                request,
                f"The verified facts were not saved. {label}: {' '.join(errors)}",
                messages.ERROR,
            )
        return HttpResponseRedirect(change_url)

    def _post_service(self, request, pk, service, success: str):
        """Run a service of the request's change view from a POST, and say how it went."""
        req = self._get_for_review(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            seen = int(request.POST.get("triage_version", ""))
        except ValueError:
            seen = None
        try:
            service(assistance_request=req, by=request.user, expected_triage_version=seen)
        except workflow.TransitionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(request, success.format(req=req), messages.SUCCESS)
        change_url = reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])
        return HttpResponseRedirect(change_url)

    def recompute_view(self, request, pk):
        """Recompute the request's determinations under the rules in force (history kept)."""
        return self._post_service(
            request,
            pk,
            workflow.assistance_request_recompute_determination,
            f"The determination of {{req}} was recomputed under rules version"
            f" {rules.RULES_VERSION}; the earlier one is kept in its history.",
        )

    def check_state_data_view(self, request, pk):
        """Verify the request's facts again from the state's data as stored now."""
        return self._post_service(
            request,
            pk,
            workflow.assistance_request_check_state_data,
            "The facts of {req} were checked against the state's data as stored now.",
        )

    # -- actions ---------------------------------------------------------------------------

    @admin.action(description="Assign the selected requests to me")
    def assign_to_me(self, request, queryset):
        self._assign(request, queryset, request.user)

    @admin.action(description="Assign the selected requests to a reviewer…")
    def assign_to_reviewer(self, request, queryset):
        if "confirm" in request.POST:
            form = AssignForm(request.POST)
            if form.is_valid():
                self._assign(request, queryset, form.cleaned_data["assignee"])
                return None
        else:
            form = AssignForm()
        return self.intermediate_page(
            request,
            label="Assign",
            name="assign_to_reviewer",
            form=form,
            objects=list(queryset.order_by("pk")),
            single=False,
        )

    def _assign(self, request, queryset, assignee):
        done, skipped = [], []
        for req in queryset.order_by("pk"):
            try:
                workflow.assistance_request_assign(
                    assistance_request=req, by=request.user, assignee=assignee
                )
            except workflow.TransitionRefused as refused:
                skipped.append(f"{req}: {refused}")
            else:
                done.append(str(req))
        name = assignee.get_full_name() if assignee else "nobody"
        self.report_bulk(request, f"assigned to {name}", done, skipped)

    # -- the dashboard ---------------------------------------------------------------------

    def dashboard_view(self, request):
        """Show the triage dashboard: counts, the 48-hour clock, my requests, the monthly chart."""
        if not permissions.is_reviewer(request.user) or not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        data = selectors.triage_dashboard(request.user, now)
        statuses = [(value, label) for value, label in S.choices if value != S.DRAFT]
        chart = {
            "labels": [start.strftime("%b %Y") for start, _ in data["by_month"]],
            "datasets": [
                {
                    "label": str(label),
                    "data": [counts.get(value, 0) for _, counts in data["by_month"]],
                }
                for value, label in statuses
            ],
        }
        table = [
            (start, [counts.get(value, 0) for value, _ in statuses], sum(counts.values()))
            for start, counts in data["by_month"]
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Triage dashboard",
            "now": now,
            "chart_data": chart,
            "chart_statuses": [label for _, label in statuses],
            "chart_table": table,
            "clock": {r.pk: verification_clock(r, now) for r in data["awaiting"] + data["overdue"]},
            **data,
        }
        context["awaiting_rows"] = [(r, context["clock"][r.pk]) for r in data["awaiting"]]
        context["overdue_rows"] = [(r, context["clock"][r.pk]) for r in data["overdue"]]
        return TemplateResponse(request, "admin/requests_intake/dashboard.html", context)


AssistanceRequestAdmin.shown_status = admin_history.shown_field("status")

# What the change view shows of the request, under the form: its fields grouped as the intake
# form groups them, labelled as people write them (LEA, COE, SPI, LCAP, (g)(1)(A)) and read as
# words, names and Pacific times (admin_history.shown_value).
FACT_PANELS = [
    ("Request", ["reference", "lea"]),
    *[
        (SECTIONS[slug], list(SECTION_FIELDS[slug]))
        for slug in ("contacts", "eligibility", "threshold", "need", "agreement")
    ],
    (
        "Attestation, receipt and decision",
        [
            "attested_by",
            "attested_at",
            "submitted_by",
            "received_at",
            "verification_due_at",
            "verified_by",
            "verified_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "withdrawn_at",
        ],
    ),
]
_FACT_LABELS = {name: admin_history.admin_label(name) for _, names in FACT_PANELS for name in names}


# One read-only row, as admin/includes/fieldset.html lays out a read-only field.
FACT_ROW = (
    '<div class="form-row field-shown_{}"><div><div class="flex-container"><label>{}:</label>'
    '<div class="readonly">{}</div></div></div></div>'
)


def review_fact_panels(req) -> list[dict]:
    """Return the request's read-only facts, panel by panel: its title and its rows' markup.

    The rows are written here, escaped, rather than by a template loop: about fifty rows, each a
    handful of variable lookups and filters, were a tenth of the change view's time.
    """
    return [
        {
            "title": title,
            "rows": format_html_join(
                "\n",
                FACT_ROW,
                (
                    (name, capfirst(_FACT_LABELS[name]), fact_value_html(req, name))
                    for name in names
                ),
            ),
        }
        for title, names in FACT_PANELS
    ]


def fact_value_html(req, name):
    """Return a fact as the panel shows it: escaped, its line breaks kept (as linebreaksbr)."""
    return linebreaksbr(admin_history.shown_value(req, name), autoescape=True)


def attachments_by_kind(req) -> list[tuple[str, list]]:
    """Return the request's attachments grouped by what they are evidence for, in form order."""
    groups = {value: [] for value, _label in EvidenceFor.choices}
    for attachment in req.attachments.all():
        groups.setdefault(attachment.evidence_for, []).append(
            (attachment, attachment_url(req, attachment))
        )
    labels = dict(EvidenceFor.choices)
    return [(labels.get(kind, kind), rows) for kind, rows in groups.items() if rows]


def partner_rows(req) -> list[dict]:
    """Return every improvement partner the LEA named: the county office and geographic lead
    agency when engaged, then the others, each with what they do and since when."""
    rows = []
    if req.partner_county_office:
        rows.append(
            {
                "name": "The county office of education",
                "role": "County office (COE) partner",
                "since": req.partner_county_office_since,
            }
        )
    if req.partner_geographic_lead:
        rows.append(
            {
                "name": "The geographic lead agency",
                "role": "Geographic lead agency (EC 52073)",
                "since": req.partner_geographic_lead_since,
            }
        )
    rows += [{"name": p.name, "role": p.role, "since": p.since} for p in req.partners.all()]
    return rows


def attachment_url(req, attachment):
    """Return the authorised download link of an attachment (the intake app's view)."""
    return reverse("requests_intake:attachment_download", args=[req.pk, attachment.pk])


def data_fact_rows(req, attested_facts) -> list[dict]:
    """Return each fact verified from the state's data beside what the LEA attested."""
    return [
        {
            "label": rules.FACT_LABELS[name],
            "attested": attested_facts.get(name, False),
            "data": fact["value"],
            "source": fact["source"],
            "contradicts": attested_facts.get(name, False) != fact["value"],
        }
        for name, fact in (req.data_facts or {}).items()
    ]
