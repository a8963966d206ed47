"""The filters of the reviewers' changelist: pathway, cost basis, tier, assignee, the clock."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from eligibility import rules

from .models import AssistanceRequest, LocalEducationalAgency


class PathwayFilter(admin.SimpleListFilter):
    title = "pathway"
    parameter_name = "pathway"

    def lookups(self, request, model_admin):
        return [(code, f"{code}: {label}") for code, label in rules.PATHWAY_LABELS.items()]

    def queryset(self, request, queryset):
        if self.value() in rules.PATHWAY_LABELS:
            # Stored comma-separated, e.g. "g1A,g3"; codes never contain one another.
            return queryset.filter(pathways__contains=self.value())
        return queryset


class CostBasisFilter(admin.SimpleListFilter):
    title = "cost basis"
    parameter_name = "cost_basis"

    def lookups(self, request, model_admin):
        return list(rules.COST_BASIS_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in rules.COST_BASIS_LABELS:
            return queryset.filter(cost_basis=self.value())
        return queryset


class TierFilter(admin.SimpleListFilter):
    title = "priority tier"
    parameter_name = "tier"

    def lookups(self, request, model_admin):
        return [(str(t), f"Tier {t}") for t in rules.PRIORITY_TIERS] + [("none", "No tier")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(priority_tier__isnull=True)
        if self.value() in {str(t) for t in rules.PRIORITY_TIERS}:
            return queryset.filter(priority_tier=int(self.value()))
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("nobody", "Unassigned")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "48-hour verification"
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("awaiting", "Awaiting, not yet overdue")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "overdue":
            return queryset.overdue(now)
        if self.value() == "awaiting":
            return queryset.awaiting_verification().filter(verification_due_at__gt=now)
        return queryset


class RulesVersionFilter(admin.SimpleListFilter):
    """Requests whose determination predates the rules in force, to be recomputed."""

    title = "rules version"
    parameter_name = "rules"

    def lookups(self, request, model_admin):
        return [
            ("older", "Computed under an older version"),
            ("current", f"Current ({rules.RULES_VERSION})"),
        ]

    def queryset(self, request, queryset):
        current = rules.RULES_VERSION
        older = (Q(rules_version__gt="") & ~Q(rules_version=current)) | (
            Q(verified_rules_version__gt="") & ~Q(verified_rules_version=current)
        )
        if self.value() == "older":
            return queryset.filter(older)
        if self.value() == "current":
            return queryset.filter(rules_version=current).exclude(older)
        return queryset


class DropdownFilter(admin.SimpleListFilter):
    """A filter with many choices, shown as one labelled select instead of a long list.

    static/js/admin_filters.js follows the chosen option's link; without scripts, the choices
    are listed as links under the select's details.
    """

    template = "admin/requests_intake/filter_dropdown.html"


class StatusFilter(admin.SimpleListFilter):
    """The request's status, without Draft: a draft never reaches the reviewers' list."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (value, label)
            for value, label in AssistanceRequest.Status.choices
            if value != AssistanceRequest.Status.DRAFT
        ]

    def queryset(self, request, queryset):
        if self.value() in dict(self.lookup_choices):
            return queryset.filter(status=self.value())
        return queryset


class CountyFilter(DropdownFilter):
    """The 58 counties, as a select."""

    title = "county"
    parameter_name = "county"

    def lookups(self, request, model_admin):
        counties = (
            LocalEducationalAgency.objects.exclude(county="")
            .order_by("county")
            .values_list("county", flat=True)
            .distinct()
        )
        return [(county, county) for county in counties]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(lea__county=self.value())
        return queryset


class PathwayDropdownFilter(DropdownFilter, PathwayFilter):
    """The pathways, as a select (their labels are long)."""
