"""Scope-of-work drafts, agreement documents and the California business-day calendar."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eligibility import rules
from requests_intake.models import AssistanceRequest, AssistanceType, LeaMembership

from .calendar import add_business_days

# The term covers the need CCEE's minimum threshold accepts; longer needs a recorded reason.
MAX_TERM_MONTHS = rules.THRESHOLD_MAX_MONTHS


class Closure(models.Model):
    """A one-off day state offices are closed (besides the CalHR holidays), added by an admin."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=150)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("office closure")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


def template_path(instance, filename):
    return f"contracts/templates/agreement-template-v{instance.version}.docx"


class AgreementTemplate(models.Model):
    """A version of the DOCX agreement template; the newest is used; none is ever overwritten."""

    version = models.PositiveIntegerField(unique=True)
    file = models.FileField(upload_to=template_path, max_length=300)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    notes = models.TextField(blank=True, help_text=_("What changed in this version."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreement template version")
        ordering = ["-version"]

    def __str__(self):
        return f"Agreement template v{self.version} ({self.original_name})"


class ScopeOfWorkQuerySet(models.QuerySet):
    def open(self):
        """Return the drafts whose agreement is not yet approved by the agent."""
        S = ScopeOfWork.Status
        return self.filter(status__in=[S.DRAFT, S.SENT_TO_AGENT, S.REVISIONS_REQUESTED])

    def visible_to_lea_member(self, user):
        """Return the sent, signed or executed agreements of the person's approved LEAs."""
        S = ScopeOfWork.Status
        return self.filter(
            status__in=[S.SENT_TO_LEA, S.SIGNED_BY_LEA, S.EXECUTED],
            request__lea_id__in=LeaMembership.objects.approved_lea_ids(user),
        )


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # CCEE reviewers edit it
    SENT_TO_AGENT = "sent_to_agent", _("Sent to the administrative agent")
    REVISIONS_REQUESTED = "revisions_requested", _("Revisions requested")
    AGENT_APPROVED = "agent_approved", _("Approved by the administrative agent")
    SENT_TO_LEA = "sent_to_lea", _("Sent to the LEA")
    # The LEA returned it signed (an uploaded copy or an electronic signature): the agent records
    # execution from that copy.
    SIGNED_BY_LEA = "signed_by_lea", _("Signed by the LEA")
    EXECUTED = "executed", _("Executed")


class ScopeOfWork(models.Model):
    """The scope of work and costs for an approved request: the agreement being prepared."""

    Status = AgreementStatus

    class CostBasis(models.TextChoices):
        # The bases and their labels are eligibility's: the determination decides which applies.
        STATE_FUNDED = rules.STATE_FUNDED, _(rules.COST_BASIS_LABELS[rules.STATE_FUNDED])
        SHARED_COST = rules.SHARED_COST, _(rules.COST_BASIS_LABELS[rules.SHARED_COST])
        REIMBURSABLE = rules.REIMBURSABLE, _(rules.COST_BASIS_LABELS[rules.REIMBURSABLE])

    request = models.OneToOneField(
        AssistanceRequest, on_delete=models.PROTECT, related_name="scope_of_work"
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT)
    # Each return to draft after a revision request starts a new version.
    version = models.PositiveIntegerField(default=1)

    # The clock: approval + five California state business days (contracts.calendar).
    approved_at = models.DateTimeField()
    due_date = models.DateField()
    negotiation_anticipated = models.BooleanField(default=False)
    negotiation_reason = models.TextField(blank=True)
    extension_business_days = models.PositiveSmallIntegerField(default=0)

    # Parties
    # Drafting fills it from settings.ADMINISTRATIVE_AGENT_NAME (contracts.drafting).
    agent_name = models.CharField(
        _("administrative agent"), max_length=200, default="The administrative agent of CCEE"
    )
    # The LEA as a party: drafting copies them from the request; the signature block and the
    # e-signature address the signatory.
    lea_legal_name = models.CharField(
        _("LEA's legal name for contracting"), max_length=200, blank=True
    )
    signatory_name = models.CharField(_("authorised signatory"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=150, blank=True)
    signatory_email = models.EmailField(_("signatory's email address"), blank=True)
    schools_in_scope = models.TextField(
        _("schools in scope"), blank=True, help_text=_("One school a line; empty: the whole LEA.")
    )
    # Background and statutory basis
    background = models.TextField(blank=True)
    statutory_basis = models.TextField(blank=True)
    systemic_review = models.TextField(
        blank=True, help_text=_("Required when EC 52074(g)(2) applies.")
    )
    # What the assistance is for and how its success is measured
    problem_of_practice = models.TextField(blank=True)
    theory_of_action = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    indicators = models.TextField(_("measurable indicators"), blank=True)
    assistance_method = models.CharField(
        max_length=40, choices=AssistanceType.choices, default=AssistanceType.COACHING
    )
    provider = models.CharField(max_length=200, blank=True)
    roles = models.TextField(_("roles and responsibilities"), blank=True)
    term_start = models.DateField()
    term_end = models.DateField()
    term_reason = models.TextField(
        blank=True, help_text=_("Required when the term is longer than nine months.")
    )
    # Costs
    cost_basis = models.CharField(max_length=20, choices=CostBasis.choices)
    cost_sharing_parties = models.TextField(blank=True)
    # The LEA's expected budget, the fund that reimburses CCEE ((g)(3)) and board approval.
    funding_terms = models.TextField(_("budget, funding and board approval"), blank=True)

    revision_comments = models.TextField(blank=True)
    sent_to_agent_at = models.DateTimeField(null=True, blank=True)
    agent_approved_at = models.DateTimeField(null=True, blank=True)
    agent_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_to_lea_at = models.DateTimeField(null=True, blank=True)
    executed_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopeOfWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("scope of work")
        verbose_name_plural = _("scopes of work")
        ordering = ["due_date", "pk"]
        permissions = [
            ("send_scopeofwork", "Can send a scope of work to the administrative agent"),
            ("approve_scopeofwork", "Can approve a scope of work or request revisions"),
            ("return_signed_scopeofwork", "Can return the signed agreement of the person's LEA"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values),
                name="scopeofwork_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")),
                name="scopeofwork_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="executed") | Q(executed_on__isnull=False),
                name="scopeofwork_executed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"Scope of work for {self.request.reference} (v{self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def term_months(self) -> int:
        """Return the term in whole months, a part month counting as one."""
        months = (self.term_end.year - self.term_start.year) * 12
        months += self.term_end.month - self.term_start.month
        return months + (1 if self.term_end.day >= self.term_start.day else 0)

    @property
    def effective_due_date(self):
        """Return the due date after any recorded negotiation extension."""
        return self.effective_due_date_with()

    def effective_due_date_with(self, closures=None):
        """Return the extended due date, reading closures from `closures` when given."""
        if not self.extension_business_days:
            return self.due_date
        return add_business_days(self.due_date, self.extension_business_days, closures)


class Activity(models.Model):
    """An activity of the assistance, with its dates inside the term and who leads it."""

    scope_of_work = models.ForeignKey(
        ScopeOfWork, on_delete=models.CASCADE, related_name="activities"
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    responsible = models.CharField(_("led by"), max_length=200, blank=True)

    class Meta:
        verbose_name_plural = _("activities")
        ordering = ["order", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="activity_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title


class Deliverable(models.Model):
    """What the assistance produces, when, and the indicator that shows it was done."""

    scope_of_work = models.ForeignKey(
        ScopeOfWork, on_delete=models.CASCADE, related_name="deliverables"
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    indicator = models.CharField(_("measurable indicator"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "due_date", "pk"]

    def __str__(self):
        return self.title


class CostLine(models.Model):
    """A line of the cost or reimbursement schedule; its amount is computed, never typed."""

    scope_of_work = models.ForeignKey(
        ScopeOfWork, on_delete=models.CASCADE, related_name="cost_lines"
    )
    order = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("1"))
    unit = models.CharField(max_length=40, default="day")
    unit_cost = models.DecimalField(max_digits=11, decimal_places=2)
    paid_by = models.CharField(
        max_length=200, blank=True, help_text=_("Who bears this cost (when costs are shared).")
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0) & Q(unit_cost__gte=0),
                name="costline_not_negative",
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_cost).quantize(Decimal("0.01"))


class ContractChange(models.Model):
    """One row per transition or recorded event of a scope of work. Append-only."""

    scope_of_work = models.ForeignKey(ScopeOfWork, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=24, choices=ScopeOfWork.Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=ScopeOfWork.Status.choices)
    version = models.PositiveIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comments = models.TextField(blank=True)

    class Meta:
        verbose_name = _("contract history entry")
        verbose_name_plural = _("contract history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.scope_of_work}: {self.action}"


def document_path(instance, filename):
    return (
        f"contracts/documents/{instance.scope_of_work_id}/"
        f"agreement-v{instance.number}-{instance.token}{instance.extension}"
    )


class AgreementDocument(models.Model):
    """A generated agreement or an uploaded signed copy: numbered, never overwritten."""

    class Kind(models.TextChoices):
        GENERATED = "generated", _("Generated for review")
        SENT = "sent", _("Agreement sent to the LEA")
        SIGNED = "signed", _("Signed copy")

    scope_of_work = models.ForeignKey(
        ScopeOfWork, on_delete=models.PROTECT, related_name="documents"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sow_version = models.PositiveIntegerField()
    template = models.ForeignKey(
        AgreementTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=document_path, max_length=300)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=8, default=".docx", editable=False)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    produced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreement document")
        ordering = ["scope_of_work", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope_of_work", "number"], name="one_document_number_per_scope"
            ),
        ]

    def __str__(self):
        return f"{self.original_name} (#{self.number}, {self.get_kind_display().lower()})"

    @property
    def visible_to_lea(self) -> bool:
        return self.kind in (self.Kind.SENT, self.Kind.SIGNED)


class ElectronicSignature(models.Model):
    """A typed-name electronic signature of the agreement by LEA staff, with its evidence.

    The signed document is the agreement PDF stamped with a signature page stating these values
    and sealed (contracts.signature), so a change to any byte of it shows when it is checked.
    """

    document = models.OneToOneField(
        AgreementDocument, on_delete=models.PROTECT, related_name="electronic_signature"
    )
    signed_from = models.ForeignKey(
        AgreementDocument,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The agreement PDF sent to the LEA that was signed."),
    )
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("full name"), max_length=200)
    signer_title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("date"))
    consent_text = models.TextField()
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    signed_at = models.DateTimeField(default=timezone.now)
    sealed_sha256 = models.CharField(max_length=64)
    certificate_sha256 = models.CharField(
        max_length=64, help_text=_("Fingerprint of the certificate that sealed the document.")
    )

    class Meta:
        verbose_name = _("electronic signature")

    def __str__(self):
        day = self.signed_on
        return f"{self.signer_name}, {self.signer_title} ({day:%B} {day.day}, {day.year})"


class ScopeOfWorkSnapshot(models.Model):
    """The content of one version of a scope of work as it went to the agent. Append-only.

    Taken by the send-to-agent transition; the version comparison reads two of them (or the
    newest and the live draft).
    """

    scope_of_work = models.ForeignKey(
        ScopeOfWork, on_delete=models.CASCADE, related_name="snapshots"
    )
    version = models.PositiveIntegerField()
    content = models.JSONField()
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("scope-of-work version")
        ordering = ["scope_of_work", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope_of_work", "version"], name="one_snapshot_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.scope_of_work} as sent (v{self.version})"
