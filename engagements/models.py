"""The engagement that follows an executed agreement: its people, statements, indicators, reports.

An engagement opens (status `setup`) when execution of its agreement is recorded
(contracts.services.EXECUTION_HOOKS). It becomes `active` only once it has at least one
student-learning indicator; then active ⇄ paused (with a reason) → completed, or closed early
(with a reason). Every change is an EngagementChange row written by the lifecycle runner.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import Deliverable, ScopeOfWork
from requests_intake.models import AssistanceRequest, LeaMembership


class EngagementStatus(models.TextChoices):
    SETUP = "setup", _("Being set up")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed early")


class Method(models.TextChoices):
    """Seed 004's three ways CCEE brokers assistance."""

    DISTRICT_TO_DISTRICT = "district_to_district", _("District-to-district")
    SUCCESS_COACH = "success_coach", _("Success coach")
    EXTERNAL_PROVIDER = "external_provider", _("External provider")


class IntensityUnit(models.TextChoices):
    HOURS = "hours", _("hours per month")
    DAYS = "days", _("days per month")


class EngagementQuerySet(models.QuerySet):
    def running(self):
        """Return the engagements under way (active or paused)."""
        S = EngagementStatus
        return self.filter(status__in=[S.ACTIVE, S.PAUSED])

    def active_between(self, start: date, end: date):
        """Return the engagements that were under way at some point from `start` to `end`.

        An engagement is under way from the day it became active (`activated_on`) to the day it
        was completed or closed (`ended_on`, none while it runs); pauses do not end it.
        """
        return self.filter(activated_on__isnull=False, activated_on__lte=end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=start)
        )

    def public_success_stories(self):
        """Return the engagements a reviewer marked as success stories with the LEA's consent."""
        return self.filter(
            success_story=True,
            success_story_consent_at__isnull=False,
            status__in=[EngagementStatus.ACTIVE, EngagementStatus.COMPLETED],
        )

    def visible_to_lea_member(self, user):
        return self.filter(request__lea_id__in=LeaMembership.objects.approved_lea_ids(user))


class Engagement(models.Model):
    """The assistance under way for one request, opened when its agreement is executed."""

    Status = EngagementStatus
    Method = Method

    request = models.OneToOneField(
        AssistanceRequest, on_delete=models.PROTECT, related_name="engagement"
    )
    agreement = models.OneToOneField(
        ScopeOfWork, on_delete=models.PROTECT, related_name="engagement"
    )
    status = models.CharField(
        max_length=12, choices=EngagementStatus.choices, default=EngagementStatus.SETUP
    )
    method = models.CharField(max_length=24, choices=Method.choices)
    provider_name = models.CharField(
        max_length=200, blank=True, help_text=_("The coach, partner district or provider.")
    )
    start_date = models.DateField()
    end_date = models.DateField()
    intensity_amount = models.DecimalField(
        _("intensity"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    intensity_unit = models.CharField(
        max_length=8, choices=IntensityUnit.choices, default=IntensityUnit.HOURS
    )
    opened_at = models.DateTimeField(default=timezone.now)
    activated_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    # Closeout (seed 004: "think sustainable from the start").
    sustainability = models.TextField(_("what the district will sustain"), blank=True)

    # Success story for the public dashboard: needs the LEA's recorded consent.
    success_story = models.BooleanField(default=False)
    success_story_summary = models.TextField(blank=True)
    success_story_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    success_story_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    success_story_consent_at = models.DateTimeField(null=True, blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["end_date", "pk"]
        permissions = [
            ("manage_engagement", "Can pause, resume, complete or close an engagement"),
            ("review_progressreport", "Can give feedback on or return a progress report"),
            ("check_problemofpractice", "Can check a problem of practice against seed 004"),
            ("mark_success_story", "Can mark an engagement as a success story"),
            ("view_deliverable_status", "Can see the deliverable status of engagements"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EngagementStatus.values), name="engagement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="engagement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(success_story=True) | Q(success_story_consent_at__isnull=False),
                name="engagement_success_story_has_consent",
            ),
        ]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self):
        return f"Engagement for {self.request.reference}"

    @property
    def is_running(self) -> bool:
        return self.status in (EngagementStatus.ACTIVE, EngagementStatus.PAUSED)


class EngagementChange(models.Model):
    """One row per transition or recorded event of an engagement. Append-only."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=12, choices=EngagementStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=EngagementStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("engagement history entry")
        verbose_name_plural = _("engagement history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.engagement}: {self.action}"


class TeamMember(models.Model):
    """A member of the district's leading team: an LEA member (user) or someone invited by email."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150)
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "email"], name="one_team_entry_per_email"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.role})"


class ProblemOfPractice(models.Model):
    """A version of the problem of practice; the newest is current. Never edited in place."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="problem_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    reason = models.TextField(help_text=_("Why this version replaces the one before."))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # Seed 004's three tests, checked by a reviewer on this version.
    of_interest = models.BooleanField(_("of interest to the district"), null=True)
    workable = models.BooleanField(_("precise and small enough to be workable"), null=True)
    important = models.BooleanField(
        _("important enough to yield considerable improvement if solved"), null=True
    )
    check_note = models.TextField(blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["engagement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "number"], name="one_problem_version_number"
            ),
        ]

    def __str__(self):
        return f"Problem of practice v{self.number}"

    @property
    def passes_tests(self) -> bool:
        return bool(self.of_interest and self.workable and self.important)


class TheoryOfAction(models.Model):
    """A version of the theory of action: if these actions, then these changes, then outcomes."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="theory_versions"
    )
    number = models.PositiveIntegerField()
    actions = models.TextField(_("if we (actions)"))
    practice_changes = models.TextField(_("then practice changes"))
    student_outcomes = models.TextField(_("then, for students"))
    reason = models.TextField(help_text=_("Why this version replaces the one before."))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["engagement", "number"]
        verbose_name_plural = _("theories of action")
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "number"], name="one_theory_version_number"
            ),
        ]

    def __str__(self):
        return f"Theory of action v{self.number}"


class IndicatorKind(models.TextChoices):
    STUDENT_LEARNING = "student_learning", _("Student learning")
    TEACHER_PRACTICE = "teacher_practice", _("Teacher practice")
    LEADERSHIP = "leadership", _("Leadership")
    SYSTEM = "system", _("System")


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMESTER = "semester", _("Per semester")


CADENCE_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.SEMESTER: 6}


class Indicator(models.Model):
    """A key observable, measurable indicator with its baseline, target and cadence."""

    Kind = IndicatorKind
    Cadence = Cadence

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=IndicatorKind.choices)
    # One of the California School Dashboard's state indicators, when it is one (dashboard.py).
    dashboard_indicator = models.CharField(max_length=32, blank=True)
    unit = models.CharField(max_length=60)
    data_source = models.CharField(max_length=200)
    baseline_value = models.DecimalField(max_digits=12, decimal_places=2)
    baseline_date = models.DateField()
    target_value = models.DecimalField(max_digits=12, decimal_places=2)
    target_date = models.DateField()
    # Lower is better for some (chronic absenteeism, suspension rate): the target is below.
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.QUARTERLY)
    student_group = models.CharField(max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Closeout: the outcome against the target.
    final_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    final_note = models.TextField(blank=True)

    class Meta:
        ordering = ["engagement", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__gt=models.F("baseline_date")),
                name="indicator_target_after_baseline",
            ),
            models.CheckConstraint(
                condition=~Q(target_value=models.F("baseline_value")),
                name="indicator_target_differs_from_baseline",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def higher_is_better(self) -> bool:
        return self.target_value > self.baseline_value

    @property
    def target_met(self) -> bool | None:
        """Whether the closeout's final value reached the target; None before closeout."""
        if self.final_value is None:
            return None
        if self.higher_is_better:
            return self.final_value >= self.target_value
        return self.final_value <= self.target_value


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class ProgressReport(models.Model):
    """A scheduled progress report (or the final report), due on a California business day."""

    Status = ReportStatus

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="reports")
    number = models.PositiveSmallIntegerField()
    is_final = models.BooleanField(default=False)
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField()
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    done = models.TextField(_("what was done"), blank=True)
    struggling = models.TextField(_("what is struggling"), blank=True)
    changes = models.TextField(_("what changes"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(_("reviewer feedback"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["engagement", "due_date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"], name="one_report_number"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="progressreport_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("period_end")),
                name="progressreport_due_after_period",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        label = "Final report" if self.is_final else f"Progress report {self.number}"
        return f"{label} (due {self.due_date:%B %-d, %Y})"


class ReportChange(models.Model):
    """One row per transition of a progress report (submitted, returned, accepted). Append-only."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=10, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReportStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.action}"


class Measurement(models.Model):
    """An indicator's value reported in a progress report."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="measurements"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    measured_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="one_measurement_per_report"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} on {self.measured_on}"


class DeliverableStatus(models.Model):
    """The status of a scope-of-work deliverable as a progress report gives it."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        AT_RISK = "at_risk", _("At risk")
        DONE = "done", _("Done")

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="deliverable_statuses"
    )
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.NOT_STARTED)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = _("deliverable statuses")
        ordering = ["report", "deliverable__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "deliverable"], name="one_status_per_deliverable"
            ),
        ]

    def __str__(self):
        return f"{self.deliverable}: {self.get_state_display()}"


def report_attachment_path(instance, filename):
    return (
        f"engagements/{instance.report.engagement_id}/reports/{instance.report_id}/{instance.token}"
    )


class ReportAttachment(models.Model):
    """A file attached to a progress report: private, served by an authorised view."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=report_attachment_path, max_length=300)
    token = models.CharField(max_length=32, editable=False)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
