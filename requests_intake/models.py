"""The LEA directory, memberships, the Request for Assistance, its evidence and history."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import label_of
from core.header_values import validate_header_value
from core.history import HistoryManagerMadeOnce
from eligibility import rules
from notices.models import Notice

from .deadlines import verification_reminder_due_cutoff
from .indexes import NullsLastIndex, TrigramIndex

cds_code_validator = RegexValidator(r"^\d{14}$", _("A CDS code is 14 digits."))


class LeaType(models.TextChoices):
    SCHOOL_DISTRICT = "school_district", _("School district")
    COUNTY_OFFICE = "county_office", _("County office of education")
    CHARTER_SCHOOL = "charter_school", _("Charter school")


class LocalEducationalAgency(models.Model):
    """A school district, county office of education or charter school, keyed by its CDS code."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")
        PENDING = "pending", _("Pending")

    cds_code = models.CharField(
        _("CDS code"), max_length=14, unique=True, validators=[cds_code_validator]
    )
    name = models.CharField(max_length=200, validators=[validate_header_value])
    lea_type = models.CharField(_("type"), max_length=20, choices=LeaType.choices)
    county_code = models.CharField(max_length=2)
    county = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.CharField(max_length=200, blank=True)
    email_domain = models.CharField(
        max_length=120, blank=True, help_text=_("Staff email domain, e.g. lausd.net")
    )
    # The superintendent or administrator the state's directory names (AdmFName, AdmLName,
    # AdmEmail): a county office's prefills the request's county office contact.
    administrator_name = models.CharField(
        max_length=150, blank=True, validators=[validate_header_value]
    )
    administrator_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("local educational agency")
        verbose_name_plural = _("local educational agencies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(lea_type__in=LeaType.values), name="lea_type_valid"),
        ]
        # The LEA picker's search (requests_intake/lea_search.py) matches words anywhere in
        # the name, city and county, case-insensitively: trigram indexes on PostgreSQL. The CDS
        # code's prefix search uses the unique column's own pattern index.
        indexes = [
            TrigramIndex(Upper("name"), name="lea_name_trgm"),
            TrigramIndex(Upper("city"), name="lea_city_trgm"),
            TrigramIndex(Upper("county"), name="lea_county_trgm"),
        ]

    def __str__(self):
        return f"{self.name} ({self.cds_code})"

    @property
    def district_code(self) -> str:
        return self.cds_code[2:7]

    @property
    def school_code(self) -> str:
        return self.cds_code[7:]


class LeaMembershipQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=LeaMembership.Status.APPROVED)

    def approved_lea_ids(self, user):
        """Return the ids of the LEAs where the person's membership is approved (a subquery).

        The one statement of the rule "an approved member of this LEA": every page, service and
        permission check filters on it.
        """
        if user is None or not user.is_authenticated:
            return self.none().values("lea_id")
        return self.approved().filter(user=user).values("lea_id")

    def pending(self):
        return self.filter(status=LeaMembership.Status.PENDING)


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class LeaMembership(models.Model):
    """A person's membership of an LEA; only an approved membership shows the LEA's data."""

    Status = MembershipStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    lea = models.ForeignKey(
        LocalEducationalAgency, on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The LEA's designated lead contact (one per LEA, set by a CCEE reviewer): colleagues they
    # invite are approved without waiting for a reviewer.
    is_lead_contact = models.BooleanField(_("designated lead contact"), default=False)

    objects = LeaMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("LEA membership")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "lea"], name="one_membership_per_user_and_lea"),
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values),
                name="membership_status_valid",
            ),
            models.UniqueConstraint(
                fields=["lea"], condition=Q(is_lead_contact=True), name="one_lead_contact_per_lea"
            ),
            models.CheckConstraint(
                condition=Q(is_lead_contact=False) | Q(status=MembershipStatus.APPROVED),
                name="lead_contact_is_approved",
            ),
        ]

    def __str__(self):
        return f"{self.user.email} → {self.lea.name} ({self.get_status_display()})"

    @property
    def domain_matches(self) -> bool:
        return bool(self.lea.email_domain) and self.user.email_domain == self.lea.email_domain


class MembershipChange(models.Model):
    """One row per decision on a membership: who, when, from, to and why. Append-only."""

    membership = models.ForeignKey(LeaMembership, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, choices=MembershipStatus.choices)
    to_status = models.CharField(max_length=10, choices=MembershipStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    # What happened when the status says nothing of it (the lead contact designated, a
    # colleague admitted on the lead contact's invitation); empty for a reviewer's decision.
    event = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        verbose_name = _("membership decision")
        ordering = ["at", "pk"]

    def __str__(self):
        return (
            f"{self.membership}: {self.get_from_status_display()} → {self.get_to_status_display()}"
        )


class LeaInvitation(models.Model):
    """An approved member's invitation of a colleague, by email, to join the LEA.

    The link in the invitation notice is signed (requests_intake/invitations.py); the invitation
    is used once, by the person with that address.
    """

    lea = models.ForeignKey(
        LocalEducationalAgency, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    membership = models.ForeignKey(
        LeaMembership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("LEA invitation")
        ordering = ["-invited_at", "-pk"]
        indexes = [models.Index(fields=["lea", "-invited_at"], name="lea_invitation_recent")]

    def __str__(self):
        return f"{self.email} → {self.lea.name}"


class AssistanceType(models.TextChoices):
    FACILITATED_INSTRUCTIONAL_REVIEW = (
        "facilitated_instructional_review",
        _("Facilitated Instructional Review"),
    )
    SYSTEMIC_REVIEW = "systemic_review", _("Systemic review")
    COACHING = "coaching", _("Coaching")
    DISTRICT_TO_DISTRICT = "district_to_district", _("District-to-district partnership")
    EXTERNAL_PROVIDER = "external_provider", _("External provider")
    OTHER = "other", _("Other")


class School(models.Model):
    """A school in CDE's directory (a row whose School is not "No Data"), under its district.

    Imported by import_lea_directory; a request names the schools its work covers by CDS code.
    """

    cds_code = models.CharField(
        _("CDS code"), max_length=14, unique=True, validators=[cds_code_validator]
    )
    name = models.CharField(max_length=200)
    # The district-level CDS code the school sits under (county 2 + district 5 + "0000000").
    district_cds_code = models.CharField(max_length=14, db_index=True)
    county = models.CharField(max_length=60)
    city = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=10,
        choices=LocalEducationalAgency.Status.choices,
        default=LocalEducationalAgency.Status.ACTIVE,
    )
    is_charter = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "cds_code"]
        indexes = [models.Index(fields=["district_cds_code", "name"])]

    def __str__(self):
        return f"{self.name} ({self.cds_code})"


class DaStatus(models.TextChoices):
    """The LEA's differentiated-assistance status (EC 52064.5(g)) as the LEA states it."""

    ELIGIBLE = "eligible", _("Eligible for differentiated assistance")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible for differentiated assistance")
    NOT_SURE = "not_sure", _("Not sure")


class BoardApproval(models.TextChoices):
    REQUIRED = "required", _("Yes, our governing board must approve the agreement")
    NOT_REQUIRED = "not_required", _("No, the agreement does not go to the board")


class AssistanceRequestQuerySet(models.QuerySet):
    def for_member(self, user):
        """Return the requests of the LEAs where the user's membership is approved."""
        return self.filter(lea_id__in=LeaMembership.objects.approved_lea_ids(user))

    def awaiting_verification(self):
        return self.filter(status=AssistanceRequest.Status.SUBMITTED)

    def overdue(self, now=None):
        now = now or timezone.now()
        return self.awaiting_verification().filter(verification_due_at__lte=now)

    def verification_reminder_due(self, now):
        """Return requests still awaiting verification whose 24-hour reminder is due at `now`."""
        return self.awaiting_verification().filter(
            received_at__lte=verification_reminder_due_cutoff(now)
        )

    def without_notice(self, kind):
        """Return the requests that have no notice of `kind` yet (for any recipient)."""
        return self.exclude(
            models.Exists(Notice.objects.filter(request=models.OuterRef("pk"), kind=kind))
        )

    def submitted_ever(self):
        """Return the requests that have left draft (what reviewers work on)."""
        return self.exclude(status=AssistanceRequest.Status.DRAFT)

    def with_triage_order(self, now=None):
        """Annotate `triage_overdue` (0 = overdue) and `triage_tier` (no tier sorts last)."""

        now = now or timezone.now()
        return self.annotate(
            triage_overdue=models.Case(
                models.When(
                    status=AssistanceRequest.Status.SUBMITTED,
                    verification_due_at__lte=now,
                    then=models.Value(0),
                ),
                default=models.Value(1),
                output_field=models.IntegerField(),
            ),
            triage_tier=Coalesce("priority_tier", models.Value(99)),
        )


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")  # received; initial verification due in 48 h
    VERIFIED = "verified", _("Verified")  # CCEE confirmed receipt and completeness
    UNDER_REVIEW = "under_review", _("Under review")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The triage queue's default order: awaiting verification by time left on the 48-hour clock
# (overdue first), then the other open requests, then the closed; within each, by tier (none
# last), then oldest first. Served by the index request_triage_order_idx.
TRIAGE_ORDER = (
    models.F("triage_rank").asc(),
    models.F("triage_due").asc(nulls_last=True),
    models.F("priority_tier").asc(nulls_last=True),
    models.F("received_at").asc(),
    models.F("id").asc(),
)


class AssistanceRequest(models.Model):
    """A Request for Assistance (RFA) from an LEA, from draft to decision."""

    Status = RequestStatus

    # Indexed by request_lea_recent_idx, which leads with it (see Meta.indexes).
    lea = models.ForeignKey(
        LocalEducationalAgency,
        on_delete=models.PROTECT,
        related_name="assistance_requests",
        db_index=False,
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT)
    reference = models.CharField(max_length=16, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Incremented on every save of the LEA's text: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # 1. Requesting LEA and contacts
    superintendent_name = models.CharField(
        _("superintendent (or equivalent)"),
        max_length=150,
        blank=True,
        validators=[validate_header_value],
    )
    superintendent_email = models.EmailField(_("superintendent's email"), blank=True)
    primary_contact_name = models.CharField(
        _("primary contact name"), max_length=150, blank=True, validators=[validate_header_value]
    )
    primary_contact_title = models.CharField(
        _("primary contact title"), max_length=150, blank=True, validators=[validate_header_value]
    )
    primary_contact_email = models.EmailField(_("primary contact email"), blank=True)
    primary_contact_phone = models.CharField(_("primary contact phone"), max_length=40, blank=True)

    # 2. Eligibility under EC 52074 (g)/(h): the facts the LEA attests
    lea_type = models.CharField(
        _("type of agency"), max_length=20, choices=LeaType.choices, blank=True
    )
    coe_superintendent_determined_necessary = models.BooleanField(default=False)
    coe_technical_assistance_provided = models.BooleanField(default=False)
    geographic_lead_agrees = models.BooleanField(default=False)
    g1a_details = models.TextField(blank=True)
    spi_determined_necessary = models.BooleanField(default=False)
    g1b_details = models.TextField(blank=True)
    emergency_apportionment = models.BooleanField(default=False)
    g2a_details = models.TextField(blank=True)
    agrees_to_reimburse = models.BooleanField(default=False)
    at_risk_of_state_intervention = models.BooleanField(default=False)
    at_risk_basis = models.TextField(blank=True)
    intensive_assistance_criteria_met = models.BooleanField(default=False)
    # Who confirms the (g)(1)(A) facts for the county: each receives a signed link on submission.
    coe_contact_name = models.CharField(
        _("county office contact"), max_length=150, blank=True, validators=[validate_header_value]
    )
    coe_contact_email = models.EmailField(_("county office contact's email"), blank=True)
    geographic_lead_agency = models.CharField(
        _("geographic lead agency"), max_length=200, blank=True, validators=[validate_header_value]
    )
    geographic_lead_contact_name = models.CharField(
        _("geographic lead agency contact"),
        max_length=150,
        blank=True,
        validators=[validate_header_value],
    )
    geographic_lead_contact_email = models.EmailField(
        _("geographic lead agency contact's email"), blank=True
    )

    # 3. CCEE's minimum threshold
    estimated_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(rules.MIN_MONTHS), MaxValueValidator(rules.MAX_MONTHS)],
    )
    partner_county_office = models.BooleanField(default=False)
    partner_county_office_since = models.DateField(null=True, blank=True)
    partner_geographic_lead = models.BooleanField(default=False)
    partner_geographic_lead_since = models.DateField(null=True, blank=True)

    # 4. Presenting need
    problem_of_practice = models.TextField(blank=True)
    student_groups = models.TextField(blank=True)
    data_evidence = models.TextField(blank=True)
    lcap_goals = models.TextField(blank=True)
    strategies_tried = models.TextField(blank=True)
    desired_outcomes = models.TextField(blank=True)
    progress_indicators = models.TextField(blank=True)
    assistance_types = models.JSONField(default=list, blank=True)
    preferred_start_date = models.DateField(null=True, blank=True)
    # What the contract needs (the need section asks the first four; "agreement" the rest).
    request_type = models.CharField(max_length=40, choices=AssistanceType.choices, blank=True)
    # CDS codes of the directory's schools the work covers (requests_intake.School).
    school_cds_codes = models.JSONField(default=list, blank=True)
    da_status = models.CharField(max_length=20, choices=DaStatus.choices, blank=True)
    lcap_year = models.CharField(max_length=7, blank=True)
    lcap_url = models.URLField(max_length=500, blank=True)

    # 5. Costs and the agreement
    budget_min = models.PositiveIntegerField(null=True, blank=True)
    budget_max = models.PositiveIntegerField(null=True, blank=True)
    reimbursement_fund = models.CharField(max_length=200, blank=True)
    board_approval = models.CharField(max_length=12, choices=BoardApproval.choices, blank=True)
    board_date = models.DateField(null=True, blank=True)
    legal_name = models.CharField(max_length=200, blank=True, validators=[validate_header_value])
    signatory_name = models.CharField(
        max_length=150, blank=True, validators=[validate_header_value]
    )
    signatory_title = models.CharField(
        max_length=150, blank=True, validators=[validate_header_value]
    )
    signatory_email = models.EmailField(blank=True)

    # 5. Attestation and receipt
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attested_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True, db_index=True)
    verification_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # The determination computed from the attested facts at submission, with its rules version.
    determination = models.JSONField(null=True, blank=True)
    rules_version = models.CharField(max_length=40, blank=True)
    # Facts as a reviewer verified them, and the determination recomputed from them.
    verified_facts = models.JSONField(null=True, blank=True)
    verified_determination = models.JSONField(null=True, blank=True)
    verified_rules_version = models.CharField(max_length=40, blank=True)
    # Facts the state's data answered at submission: {fact: {"value": …, "source": "CDE …"}};
    # they are part of the verified facts, with the data as their provenance.
    data_facts = models.JSONField(null=True, blank=True)
    # Facts the county office and geographic lead answered through their signed links:
    # {fact: {"value": …, "source": "…", "by": …, "agency": …, "at": ISO time}}.
    confirmed_facts = models.JSONField(null=True, blank=True)
    # The LEA attested a fact the state's data contradicts.
    data_mismatch = models.BooleanField(default=False, db_index=True)
    # Why a reviewer's verified facts differ from the state's data.
    data_override_reason = models.TextField(blank=True)
    # Copied from the determination in force (verified if any, else attested) for sorting/filters.
    priority_tier = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    pathways = models.CharField(max_length=40, blank=True)
    cost_basis = models.CharField(max_length=20, blank=True)

    # Triage
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Optimistic lock for reviewers' edits of triage fields in the admin.
    triage_version = models.PositiveIntegerField(default=1)
    # The triage queue's sort key, stored by the database from the row (so always current) and
    # indexed with the tier (TRIAGE_ORDER): 0 = awaiting the 48-hour verification, 1 = open,
    # 2 = decided or withdrawn; then the 48-hour due time while the clock runs (overdue first).
    triage_rank = models.GeneratedField(
        expression=models.Case(
            models.When(status=RequestStatus.SUBMITTED, then=models.Value(0)),
            models.When(
                status__in=[
                    RequestStatus.VERIFIED,
                    RequestStatus.UNDER_REVIEW,
                    RequestStatus.INFORMATION_REQUESTED,
                ],
                then=models.Value(1),
            ),
            default=models.Value(2),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    triage_due = models.GeneratedField(
        expression=models.Case(
            models.When(status=RequestStatus.SUBMITTED, then=models.F("verification_due_at")),
            default=models.Value(None),
            output_field=models.DateTimeField(),
        ),
        output_field=models.DateTimeField(null=True),
        db_persist=True,
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at", "last_activity_at", "triage_rank", "triage_due"],
        history_manager=HistoryManagerMadeOnce,
    )
    objects = AssistanceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request for assistance")
        verbose_name_plural = _("requests for assistance")
        ordering = ["-created_at"]
        permissions = [
            ("verify_assistancerequest", "Can verify, triage and request information"),
            ("decide_assistancerequest", "Can approve or decline a request"),
            ("reassign_assistancerequest", "Can reassign a request to another reviewer"),
            ("reopen_assistancerequest", "Can reopen a declined request"),
            (
                "submit_assistancerequest",
                "Can draft, submit, answer and withdraw the requests of the LEAs where their "
                "membership is approved",
            ),
            ("view_internal_notes", "Can see reviewers' internal notes"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values),
                name="request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(received_at__isnull=False, reference__isnull=False),
                name="submitted_request_has_reference_and_receipt",
            ),
            models.CheckConstraint(
                condition=Q(estimated_months__isnull=True)
                | Q(estimated_months__gte=rules.MIN_MONTHS, estimated_months__lte=rules.MAX_MONTHS),
                name="estimated_months_in_range",
            ),
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=models.F("budget_max")),
                name="budget_range_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "verification_due_at"]),
            # An LEA's requests, most recently active first (My requests' order):
            # a page of them is the index's next 25 entries. It also serves the foreign key.
            models.Index(fields=["lea", "-last_activity_at", "-id"], name="request_lea_recent_idx"),
            # The triage changelist's default order (TRIAGE_ORDER), read from the index.
            NullsLastIndex(
                models.F("triage_rank").asc(),
                models.F("triage_due").asc(nulls_last=True),
                models.F("priority_tier").asc(nulls_last=True),
                models.F("received_at").asc(),
                models.F("id").asc(),
                name="request_triage_order_idx",
            ),
        ]

    def __str__(self):
        return self.reference or f"Draft #{self.pk} ({self.lea.name})"

    def get_status_display(self) -> str:
        # Django's own rebuilds and translates every choice on each call (core/choices.py).
        return label_of(self.Status, self.status)

    @property
    def is_editable_by_lea(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.INFORMATION_REQUESTED)

    @property
    def determination_in_force(self):
        return self.verified_determination or self.determination

    def is_verification_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.SUBMITTED
            and self.verification_due_at is not None
            and self.verification_due_at <= now
        )

    def eligibility_facts(self) -> dict:
        """Return the attested facts in the shape eligibility.rules.evaluate() reads."""
        return {
            "lea_type": self.lea_type or self.lea.lea_type,
            "coe_technical_assistance_provided": self.coe_technical_assistance_provided,
            "coe_superintendent_determined_necessary": self.coe_superintendent_determined_necessary,
            "geographic_lead_agrees": self.geographic_lead_agrees,
            "spi_determined_necessary": self.spi_determined_necessary,
            "emergency_apportionment": self.emergency_apportionment,
            "at_risk_of_state_intervention": self.at_risk_of_state_intervention,
            "intensive_assistance_criteria_met": self.intensive_assistance_criteria_met,
            "agrees_to_reimburse": self.agrees_to_reimburse,
            "estimated_months": self.estimated_months,
            "partners": {
                "county_office": self.partner_county_office,
                "geographic_lead": self.partner_geographic_lead,
                "other": [p.name for p in self.partners.all()],
            },
        }


class AdditionalContact(models.Model):
    """Someone at the LEA, besides the primary contact, who receives the request's notices."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="additional_contacts"
    )
    name = models.CharField(max_length=150, validators=[validate_header_value])
    title = models.CharField(max_length=150, blank=True, validators=[validate_header_value])
    email = models.EmailField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class ImprovementPartner(models.Model):
    """An improvement partner, other than the county office and geographic lead, now engaged."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class EvidenceFor(models.TextChoices):
    G1A = "g1A", _("County superintendent's determination and geographic lead's concurrence")
    G1B = "g1B", _("State Superintendent's determination")
    G2A = "g2A", _("Emergency apportionment documentation")
    H = "h", _("At risk of state intervention")
    LCAP = "lcap", _("Local Control and Accountability Plan (LCAP)")
    OTHER = "other", _("Other supporting evidence")


def attachment_path(instance, filename):
    # The stored name is random; the person's file name is kept in original_name.
    return f"attachments/{instance.request_id}/{instance.sha256[:16]}-{instance.token}"


class Attachment(models.Model):
    """Evidence for a request: stored outside any public path, served by an authorised view."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    evidence_for = models.CharField(max_length=8, choices=EvidenceFor.choices)
    file = models.FileField(upload_to=attachment_path, max_length=300)
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


class StatusChange(models.Model):
    """One row per status change of a request: who, when, from, to and why. Append-only."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=24, choices=AssistanceRequest.Status.choices)
    to_status = models.CharField(max_length=24, choices=AssistanceRequest.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request}: {self.from_status} → {self.to_status}"

    def get_to_status_display(self) -> str:
        return label_of(AssistanceRequest.Status, self.to_status)


class RequestMessage(models.Model):
    """A message between CCEE and the LEA on a request, visible to both (not an internal note)."""

    class Kind(models.TextChoices):
        INFORMATION_REQUEST = "information_request", _("Request for more information")
        LEA_REPLY = "lea_reply", _("Reply from the LEA")
        DECISION = "decision", _("Decision")

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    sections = models.JSONField(default=list, blank=True)
    # A request for information's answer-by date, set by the reviewer (Pacific calendar day);
    # the LEA sees it and the clock sweep reminds the LEA the day before and when it passes.
    respond_by = models.DateField(_("answer by"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.request}"


class InternalNote(models.Model):
    """A reviewers' note; never shown to LEA staff or the administrative agent."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(history_manager=HistoryManagerMadeOnce)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note on {self.request} by {self.author}"


class ReferenceCounter(models.Model):
    """A year of RFA reference numbers.

    On PostgreSQL a number is a value of one sequence (REFERENCE_SEQUENCE) less the year's
    `base`, the value the year began at: taking one locks nothing, so concurrent submissions
    never wait on each other. SQLite (`make run`), which has no sequences and admits one writer
    at a time anyway, counts in `last_number` under the row's lock.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)
    base = models.BigIntegerField(null=True, blank=True)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


def county_confirmation_path(instance, filename):
    # The stored name is random; the contact's file name is kept in file_name.
    return f"county-confirmations/{instance.request_id}/{secrets.token_hex(16)}"


class CountyConfirmation(models.Model):
    """A county office's or geographic lead's answer to the (g)(1)(A) facts the LEA attests.

    One row per link sent: resending or replacing the contact supersedes the row and makes a
    new one, so the history of who was asked, and when, stays. The link is a signed token
    naming this row, its request, its role and `nonce`; it opens the page while the row is
    pending and before `expires_at`, once.
    """

    class Role(models.TextChoices):
        COUNTY_OFFICE = "county_office", _("County office of education")
        GEOGRAPHIC_LEAD = "geographic_lead", _("Geographic lead agency")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting county confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        SUPERSEDED = "superseded", _("Superseded (resent or replaced)")

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="county_confirmations"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    contact_name = models.CharField(max_length=150, validators=[validate_header_value])
    contact_email = models.EmailField()
    agency_name = models.CharField(max_length=200, validators=[validate_header_value])
    nonce = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Two California business days after sending, if still unanswered (requests_intake.sweep).
    reminder_due_at = models.DateTimeField(db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    # A document the contact attached to the answer (checked by content, stored privately).
    file = models.FileField(upload_to=county_confirmation_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_content_type = models.CharField(max_length=120, blank=True)
    # The reviewer who resent the link or named another contact; empty when sent on submission.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )

    class Meta:
        verbose_name = _("county confirmation")
        ordering = ["request_id", "role", "sent_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "declined", "superseded"]),
                name="county_confirmation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["county_office", "geographic_lead"]),
                name="county_confirmation_role_valid",
            ),
            # One current link per request and role; the superseded ones are its history.
            models.UniqueConstraint(
                fields=["request", "role"],
                condition=~Q(status="superseded"),
                name="one_current_county_confirmation_per_role",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} for {self.request}: {self.get_status_display()}"


class CountyConfirmationChange(models.Model):
    """One row per change of a county confirmation: who, when, from, to and why. Append-only."""

    confirmation = models.ForeignKey(
        CountyConfirmation, on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(max_length=12, choices=CountyConfirmation.Status.choices)
    to_status = models.CharField(max_length=12, choices=CountyConfirmation.Status.choices)
    # A reviewer (resend, replace), or nobody when the contact answered through the link.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_contact = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.confirmation}: {self.from_status} → {self.to_status}"
