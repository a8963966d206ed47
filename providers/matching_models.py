"""The matching side's own rows: cohorts of districts, and the history of assignments.

Imported by providers.models (so Django finds them); they name the registry's models by label,
so this module imports none of providers.models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Cohort(models.Model):
    """Districts facing a similar challenge, grouped to devise a solution collectively (seed 004).

    Its members are open requests and/or engagements; a reviewer groups them from the
    suggestions page (providers.cohorts).
    """

    name = models.CharField(max_length=200)
    note = models.TextField(blank=True, help_text=_("Why these districts work together."))
    requests = models.ManyToManyField(
        "requests_intake.AssistanceRequest", blank=True, related_name="cohorts"
    )
    engagements = models.ManyToManyField(
        "engagements.Engagement", blank=True, related_name="cohorts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.name


class AssignmentChange(models.Model):
    """One row per assignment or unassignment of a provider, with who, when and why."""

    class Action(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        UNASSIGNED = "unassigned", _("Unassigned")

    assignment = models.ForeignKey(
        "providers.ProviderAssignment", on_delete=models.CASCADE, related_name="changes"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["assigned", "unassigned"]),
                name="assignmentchange_action_valid",
            ),
            models.CheckConstraint(
                condition=~Q(action="unassigned") | ~Q(reason=""),
                name="assignmentchange_unassigned_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.assignment}: {self.get_action_display()}"
