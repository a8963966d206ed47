"""The registry of assistance providers: who they are, what they offer, who vetted them, where
they work.

A provider (an LEA helping another LEA, a district success coach, or an organisation) applies on
the public site and moves applied → under review → approved ⇄ paused → removed through the
lifecycle runner (providers.transitions); every step is a ProviderChange row with its reason.
Reviewers' VettingNotes are internal. A ProviderAssignment ties a provider to a scope of work
and, once the agreement is executed, to its engagement; that is what a provider's people see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import ScopeOfWork
from engagements.models import Engagement, EngagementStatus
from requests_intake.models import LocalEducationalAgency

from . import taxonomy


class ProviderKind(models.TextChoices):
    LEA = "lea", _("District-to-district (LEA)")
    COACH = "coach", _("District success coach")
    ORGANISATION = "organisation", _("External provider (organisation)")


class ProviderStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")  # the application is in; nobody has looked yet
    UNDER_REVIEW = "under_review", _("Under review")  # a reviewer is vetting it
    APPROVED = "approved", _("Approved")  # vetted: may be matched and assigned
    PAUSED = "paused", _("Paused")  # approved before, not matched for now
    REMOVED = "removed", _("Removed")  # declined or taken off the registry


class ProviderQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ProviderStatus.APPROVED)

    def publicly_listed(self):
        """Return the approved providers a reviewer listed and who consented to be listed."""
        return self.approved().filter(public_listing=True, public_consent=True)

    def with_load(self):
        """Annotate `active_engagements`: the active assignments that take up capacity.

        An assignment counts while it is active (not ended) and its engagement is not completed
        or closed, or, before the engagement opens, while its agreement is not executed yet.
        """
        ended = [EngagementStatus.COMPLETED, EngagementStatus.CLOSED]
        running = Q(assignments__ended_at__isnull=True) & (
            (
                Q(assignments__engagement__isnull=False)
                & ~Q(assignments__engagement__status__in=ended)
            )
            | (
                Q(assignments__engagement__isnull=True)
                & ~Q(assignments__scope_of_work__status=ScopeOfWork.Status.EXECUTED)
            )
        )
        return self.annotate(active_engagements=Count("assignments", filter=running, distinct=True))

    def of_member(self, user):
        """Return the providers the person is a member of."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(members__user=user)


class Provider(models.Model):
    """An assistance provider in the registry (seed 004's three methods of assistance)."""

    Kind = ProviderKind
    Status = ProviderStatus

    kind = models.CharField(max_length=12, choices=ProviderKind.choices)
    name = models.CharField(max_length=200)
    lea = models.ForeignKey(
        LocalEducationalAgency,
        verbose_name=_("LEA"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="providers",
        help_text=_("Required for district-to-district providers: the LEA offering help."),
    )
    status = models.CharField(
        max_length=12, choices=ProviderStatus.choices, default=ProviderStatus.APPLIED
    )
    summary = models.TextField(_("summary of experience"))
    website = models.URLField(blank=True)
    contact_email = models.EmailField()
    expertise = models.JSONField(default=list, blank=True, help_text=_("Taxonomy codes."))
    grade_spans = models.JSONField(default=list, blank=True)
    counties = models.JSONField(
        default=list, blank=True, help_text=_("Two-digit county codes served.")
    )
    statewide = models.BooleanField(_("serves the whole state"), default=False)
    languages = models.JSONField(default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=1, help_text=_("How many engagements the provider can take on at once.")
    )
    references = models.TextField(
        blank=True, help_text=_("Systems the provider has helped improve, and whom to ask.")
    )
    public_listing = models.BooleanField(
        default=False, help_text=_("Set by a reviewer: may appear in the public directory.")
    )
    public_consent = models.BooleanField(
        default=False, help_text=_("Set by the provider: agrees to appear in the directory.")
    )
    applied_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        permissions = [
            ("vet_provider", "Can review, approve, pause or resume a provider"),
            ("remove_provider", "Can remove a provider from the registry"),
            ("view_vettingnotes", "Can see the vetting notes of providers"),
            (
                "work_as_provider",
                "Can work for a provider on the engagements it is assigned to",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProviderKind.values), name="provider_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProviderStatus.values), name="provider_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=ProviderKind.LEA) | Q(lea__isnull=False),
                name="provider_lea_kind_names_lea",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProviderStatus.APPROVED) | Q(approved_at__isnull=False),
                name="provider_approved_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self):
        return self.name

    def expertise_labels(self) -> list[str]:
        return taxonomy.labels(self.expertise, taxonomy.EXPERTISE_CHOICES)

    def grade_span_labels(self) -> list[str]:
        return taxonomy.labels(self.grade_spans, taxonomy.GRADE_SPANS)

    def language_labels(self) -> list[str]:
        return taxonomy.labels(self.languages, taxonomy.LANGUAGES)

    def county_labels(self) -> list[str]:
        return taxonomy.labels(self.counties, taxonomy.COUNTIES)

    @property
    def is_listed_publicly(self) -> bool:
        return (
            self.status == ProviderStatus.APPROVED and self.public_listing and self.public_consent
        )


class ProviderChange(models.Model):
    """One row per step of a provider's lifecycle, with who, when and why. Append-only."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=12, choices=ProviderStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ProviderStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("provider history entry")
        verbose_name_plural = _("provider history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.provider}: {self.action}"


class ProviderConflict(models.Model):
    """A declared conflict of interest with an LEA (employment, a contract, other)."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment")
        CONTRACT = "contract", _("Contract")
        OTHER = "other", _("Other")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="conflicts")
    lea = models.ForeignKey(
        LocalEducationalAgency,
        verbose_name=_("LEA"),
        on_delete=models.PROTECT,
        related_name="provider_conflicts",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["declared_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["employment", "contract", "other"]),
                name="providerconflict_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.provider} — {self.lea} ({self.get_kind_display()})"


class ProviderMember(models.Model):
    """A person who signs in for a provider."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        MEMBER = "member", _("Member")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["provider", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "user"], name="one_membership_per_provider"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["lead", "member"]), name="providermember_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.provider})"


class VettingNote(models.Model):
    """A reviewer's note on a provider against seed 004's criteria. Internal: never shown to
    providers or LEA staff."""

    class Criterion(models.TextChoices):
        LISTENS_AND_LEARNS = "listens_and_learns", _(taxonomy.VETTING_CRITERIA[0][1])
        BUILDS_CAPACITY = "builds_capacity", _(taxonomy.VETTING_CRITERIA[1][1])
        DEEP_COLLABORATION = "deep_collaboration", _(taxonomy.VETTING_CRITERIA[2][1])
        OTHER = "other", _("Other")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="vetting_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    criterion = models.CharField(max_length=20, choices=Criterion.choices)
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    criterion__in=[
                        "listens_and_learns",
                        "builds_capacity",
                        "deep_collaboration",
                        "other",
                    ]
                ),
                name="vettingnote_criterion_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_criterion_display()}: {self.text[:40]}"


class ProviderAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def of_user(self, user):
        """Return the active assignments of the providers the person is a member of.

        A removed provider's people keep no access to its former work.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return (
            self.active()
            .filter(provider__members__user=user)
            .exclude(provider__status=ProviderStatus.REMOVED)
        )


class ProviderAssignment(models.Model):
    """A provider assigned to a scope of work and, once its agreement is executed, its engagement.

    Active while `ended_at` is empty. Executing the agreement sets `engagement` on the active
    assignments of its scope of work (providers.services.assignments_follow_execution).
    """

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="assignments")
    scope_of_work = models.ForeignKey(
        ScopeOfWork,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provider_assignments",
    )
    engagement = models.ForeignKey(
        Engagement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provider_assignments",
    )
    role = models.CharField(
        max_length=120, blank=True, help_text=_("For example: lead coach, content expert.")
    )
    days_committed = models.PositiveSmallIntegerField(default=0)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    objects = ProviderAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_of_work__isnull=False) | Q(engagement__isnull=False),
                name="providerassignment_names_work",
            ),
        ]
        indexes = [models.Index(fields=["provider", "ended_at"])]

    def __str__(self):
        work = self.engagement or self.scope_of_work
        return f"{self.provider} on {work}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


# The matching side's models (cohorts, assignment history) live in their own module.
from .matching_models import AssignmentChange, Cohort  # noqa: E402, F401
