"""Initiatives, support records by fiscal quarter, goals and definitions per year, key results.

The report never counts support records row by row at request time: `ReportTotal` holds the
figures per fiscal year, period and breakdown, recomputed in the database (reporting.totals)
whenever the records of a year change (an import, the count of the portal's own work).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from requests_intake.models import LocalEducationalAgency

from .fiscal import fiscal_year_label

DEFAULT_DIRECT_GOAL = 500
DEFAULT_INDIRECT_GOAL = 2500
# The initiative the portal's own work counts for (verified requests, active engagements).
DTA_CODE = "dta"


class Center(models.TextChoices):
    """CCEE's three Centers (seed 000)."""

    TSEEO = "tseeo", _("Transformative Systems for Equitable Educational Outcomes")
    TLL = "tll", _("Teaching, Learning, and Leading Center")
    III = "iii", _("Innovation, Instruction, and Impact Center")


class SupportKind(models.TextChoices):
    DIRECT = "direct", _("Direct")
    INDIRECT = "indirect", _("Indirect")


class Initiative(models.Model):
    """A CCEE project or programme, owned by one of the three Centers."""

    code = models.SlugField(
        max_length=40, unique=True, help_text=_("Short code used in import files, e.g. cei.")
    )
    name = models.CharField(max_length=200, unique=True)
    center = models.CharField(max_length=8, choices=Center.choices)
    owner = models.CharField(
        max_length=150, help_text=_("The CCEE staff member who owns the initiative.")
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(center__in=Center.values), name="initiative_center_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="initiative_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.name


class FiscalYear(models.Model):
    """A fiscal year's goals, CCEE's definitions of support, and its priority initiatives.

    A year without a row reports against the default goals (500 direct, 2,500 indirect).
    """

    year = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(2015), MaxValueValidator(2100)],
        help_text=_("The calendar year in which it ends: 2027 is July 2026 – June 2027."),
    )
    direct_goal = models.PositiveIntegerField(default=DEFAULT_DIRECT_GOAL)
    indirect_goal = models.PositiveIntegerField(default=DEFAULT_INDIRECT_GOAL)
    direct_definition = models.TextField(
        _("definition of direct support"), blank=True, help_text=_("CCEE's own wording.")
    )
    indirect_definition = models.TextField(
        _("definition of indirect support"), blank=True, help_text=_("CCEE's own wording.")
    )
    priority_initiatives = models.ManyToManyField(Initiative, blank=True, related_name="+")

    class Meta:
        ordering = ["-year"]
        permissions = [("view_report", "Can see the quarterly OKR report and its exports")]

    def __str__(self):
        return fiscal_year_label(self.year)


class ImportBatch(models.Model):
    """One participation file imported: who, when, what it held and what it changed."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class SupportRecord(models.Model):
    """One LEA supported by one initiative in one fiscal quarter, directly or indirectly."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("The portal's own work")
        IMPORT = "import", _("Imported participation")

    lea = models.ForeignKey(
        LocalEducationalAgency, on_delete=models.PROTECT, related_name="support_records"
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="support_records"
    )
    fiscal_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    kind = models.CharField(max_length=8, choices=SupportKind.choices)
    source = models.CharField(max_length=8, choices=Source.choices)
    activity = models.CharField(max_length=300, blank=True)
    date = models.DateField(null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )

    class Meta:
        ordering = ["fiscal_year", "quarter", "initiative", "lea"]
        constraints = [
            models.UniqueConstraint(
                fields=["lea", "initiative", "fiscal_year", "quarter", "kind"],
                name="one_support_record_per_lea_initiative_quarter_kind",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="support_quarter_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SupportKind.values), name="support_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "quarter", "kind"])]
        permissions = [("import_supportrecord", "Can import participation files")]

    def __str__(self):
        period = f"{fiscal_year_label(self.fiscal_year)} Q{self.quarter}"
        return f"{self.lea.name}: {self.initiative} {period}"


class Dimension(models.TextChoices):
    TOTAL = "total", _("All")
    INITIATIVE = "initiative", _("Initiative")
    CENTER = "center", _("Center")
    COUNTY = "county", _("County")
    LEA_TYPE = "lea_type", _("LEA type")


class ReportTotal(models.Model):
    """The count of LEAs supported for one year, period, breakdown key and kind.

    `cumulative` rows cover quarters 1 to `quarter` (the year to date); the others, the quarter
    alone. `duplicated` counts each LEA once per initiative (as CCEE reports it), `unduplicated`
    each LEA once.
    """

    fiscal_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    cumulative = models.BooleanField()
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    key = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=8, choices=SupportKind.choices)
    duplicated = models.PositiveIntegerField()
    unduplicated = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "quarter", "cumulative", "dimension", "key", "kind"],
                name="one_report_total_per_cell",
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "quarter", "cumulative"])]

    def __str__(self):
        return f"{self.fiscal_year} Q{self.quarter} {self.dimension}={self.key} {self.kind}"


class KeyResultArea(models.TextChoices):
    RESOURCES = "resources", _("Resources")
    ENGAGEMENT = "engagement", _("Engagement")
    PARTNERSHIPS = "partnerships", _("Partnerships")


class KeyResult(models.Model):
    """A key result of a fiscal year, with its target, counted from entries or from records."""

    class Measure(models.TextChoices):
        ENTRIES = "entries", _("Number of entries (resources published, events, partnerships)")
        REACH = "reach", _("Sum of the entries' reach (people reached, participants)")
        LEAS = "leas", _("LEAs in the initiative's support records (direct plus indirect)")

    fiscal_year = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=14, choices=KeyResultArea.choices)
    name = models.CharField(max_length=200)
    measure = models.CharField(max_length=8, choices=Measure.choices)
    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_results",
        help_text=_("Required when the key result counts LEAs from support records."),
    )
    target = models.PositiveIntegerField()

    class Meta:
        ordering = ["fiscal_year", "area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "name"], name="one_key_result_name"),
            models.CheckConstraint(
                condition=~Q(measure="leas") | Q(initiative__isnull=False),
                name="key_result_leas_needs_initiative",
            ),
        ]

    def __str__(self):
        return f"{fiscal_year_label(self.fiscal_year)}: {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.measure == self.Measure.LEAS and not self.initiative_id:
            raise ValidationError(
                {"initiative": _("Choose the initiative whose support records are counted.")}
            )


class KeyResultEntry(models.Model):
    """One resource published, event held or partnership formed, counted by its key result."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField()
    title = models.CharField(max_length=200)
    reach = models.PositiveIntegerField(
        default=0, help_text=_("People reached by a resource, or participants at an event.")
    )
    partner = models.CharField(
        _("with whom"), max_length=200, blank=True, help_text=_("For a partnership.")
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name_plural = _("key result entries")

    def __str__(self):
        return self.title


class ApiToken(models.Model):
    """A read API token: only its SHA-256 is kept; the person sees the token once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
