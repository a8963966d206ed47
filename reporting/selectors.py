"""Reads of the reporting app: the quarterly report and the public dashboard, in fixed queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from requests_intake.models import LeaType

from .fiscal import QUARTER_MONTHS, FiscalQuarter, fiscal_quarter_of, fiscal_year_label
from .models import (
    DEFAULT_DIRECT_GOAL,
    DEFAULT_INDIRECT_GOAL,
    Center,
    Dimension,
    FiscalYear,
    Initiative,
    KeyResult,
    ReportTotal,
    SupportKind,
)

D = SupportKind.DIRECT


@dataclass
class Figures:
    """LEAs supported in one cell: duplicated and unduplicated, direct and indirect."""

    direct: int = 0
    direct_unduplicated: int = 0
    indirect: int = 0
    indirect_unduplicated: int = 0

    def add(self, total: ReportTotal) -> None:
        if total.kind == D:
            self.direct, self.direct_unduplicated = total.duplicated, total.unduplicated
        else:
            self.indirect, self.indirect_unduplicated = total.duplicated, total.unduplicated


@dataclass
class Row:
    label: str
    figures: Figures
    key: str = ""
    note: str = ""


@dataclass
class KeyResultRow:
    area: str
    name: str
    measure: str
    target: int
    actual: int
    initiative: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.actual / self.target) if self.target else 0


@dataclass
class Report:
    fiscal_year: int
    quarter: int
    direct_goal: int
    indirect_goal: int
    direct_definition: str
    indirect_definition: str
    total: Figures
    by_initiative: list[Row] = field(default_factory=list)
    by_center: list[Row] = field(default_factory=list)
    by_county: list[Row] = field(default_factory=list)
    by_lea_type: list[Row] = field(default_factory=list)
    by_quarter: list[Row] = field(default_factory=list)
    key_results: list[KeyResultRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def period(self) -> FiscalQuarter:
        return FiscalQuarter(self.fiscal_year, self.quarter)

    @property
    def direct_percent(self) -> int:
        return round(100 * self.total.direct / self.direct_goal) if self.direct_goal else 0

    @property
    def indirect_percent(self) -> int:
        return round(100 * self.total.indirect / self.indirect_goal) if self.indirect_goal else 0

    def breakdowns(self):
        """Return (title, first column, rows) for each breakdown table, in the page's order."""
        return [
            ("By initiative", "Initiative", self.by_initiative),
            ("By Center", "Center", self.by_center),
            ("By county", "County", self.by_county),
            ("By LEA type", "LEA type", self.by_lea_type),
            ("By quarter (each quarter alone)", "Quarter", self.by_quarter),
        ]


def current_period(today=None) -> FiscalQuarter:
    return fiscal_quarter_of(today or timezone.localdate())


def report_years() -> list[int]:
    """Return the fiscal years that have figures, and the current one, newest first."""
    years = set(ReportTotal.objects.values_list("fiscal_year", flat=True).distinct())
    years.add(current_period().fiscal_year)
    return sorted(years, reverse=True)


def _grouped(totals, dimension) -> dict[str, Figures]:
    grouped: dict[str, Figures] = {}
    for total in totals:
        if total.dimension == dimension:
            grouped.setdefault(total.key, Figures()).add(total)
    return grouped


def _key_results(fiscal_year, quarter, by_initiative: dict[str, Figures]) -> list[KeyResultRow]:
    period = FiscalQuarter(fiscal_year, quarter)
    window = Q(
        entries__date__gte=FiscalQuarter(fiscal_year, 1).start, entries__date__lte=period.end
    )
    results = (
        KeyResult.objects.filter(fiscal_year=fiscal_year)
        .select_related("initiative")
        .annotate(
            entry_count=Count("entries", filter=window), reach=Sum("entries__reach", filter=window)
        )
        .order_by("area", "name")
    )
    rows = []
    for kr in results:
        if kr.measure == KeyResult.Measure.LEAS:
            figures = by_initiative.get(str(kr.initiative_id), Figures())
            actual = figures.direct_unduplicated + figures.indirect_unduplicated
        elif kr.measure == KeyResult.Measure.REACH:
            actual = kr.reach or 0
        else:
            actual = kr.entry_count
        rows.append(
            KeyResultRow(
                area=kr.get_area_display(),
                name=kr.name,
                measure=kr.get_measure_display(),
                target=kr.target,
                actual=actual,
                initiative=kr.initiative.name if kr.initiative else "",
            )
        )
    return rows


def quarterly_report(fiscal_year: int, quarter: int) -> Report:
    """Return the year to date through `quarter` of `fiscal_year`, in six queries."""
    totals = list(
        ReportTotal.objects.filter(fiscal_year=fiscal_year).filter(
            Q(cumulative=True, quarter=quarter)
            | Q(cumulative=False, dimension=Dimension.TOTAL, quarter__lte=quarter)
        )
    )
    year = (
        FiscalYear.objects.filter(year=fiscal_year).prefetch_related("priority_initiatives").first()
    )
    priority = {i.pk for i in year.priority_initiatives.all()} if year else set()
    cumulative = [t for t in totals if t.cumulative]
    report = Report(
        fiscal_year=fiscal_year,
        quarter=quarter,
        direct_goal=year.direct_goal if year else DEFAULT_DIRECT_GOAL,
        indirect_goal=year.indirect_goal if year else DEFAULT_INDIRECT_GOAL,
        direct_definition=year.direct_definition if year else "",
        indirect_definition=year.indirect_definition if year else "",
        total=_grouped(cumulative, Dimension.TOTAL).get("", Figures()),
    )
    initiative_figures = _grouped(cumulative, Dimension.INITIATIVE)
    for initiative in Initiative.objects.order_by("name"):
        figures = initiative_figures.get(str(initiative.pk))
        if figures or initiative.pk in priority:
            note = "Priority initiative" if initiative.pk in priority else ""
            report.by_initiative.append(
                Row(initiative.name, figures or Figures(), initiative.code, note)
            )
    center_figures = _grouped(cumulative, Dimension.CENTER)
    report.by_center = [
        Row(str(c.label), center_figures.get(c.value, Figures()), c.value) for c in Center
    ]
    county_figures = _grouped(cumulative, Dimension.COUNTY)
    report.by_county = [Row(name, county_figures[name], name) for name in sorted(county_figures)]
    type_figures = _grouped(cumulative, Dimension.LEA_TYPE)
    report.by_lea_type = [
        Row(str(t.label), type_figures.get(t.value, Figures()), t.value) for t in LeaType
    ]
    by_quarter: dict[int, Figures] = {}
    for total in totals:
        if not total.cumulative:
            by_quarter.setdefault(total.quarter, Figures()).add(total)
    report.by_quarter = [
        Row(f"Q{q} ({QUARTER_MONTHS[q]})", by_quarter.get(q, Figures()), str(q))
        for q in range(1, quarter + 1)
    ]
    report.key_results = _key_results(fiscal_year, quarter, initiative_figures)
    return report


def chart_data(report: Report) -> dict:
    """Return what the report's charts draw (the tables beside them carry the same figures)."""
    return {
        "quarters": {
            "labels": [row.label for row in report.by_quarter],
            "datasets": [
                {
                    "label": "Direct (duplicated)",
                    "data": [r.figures.direct for r in report.by_quarter],
                },
                {
                    "label": "Indirect (duplicated)",
                    "data": [r.figures.indirect for r in report.by_quarter],
                },
            ],
        },
        "initiatives": {
            "labels": [row.label for row in report.by_initiative],
            "datasets": [
                {"label": "Direct", "data": [r.figures.direct for r in report.by_initiative]},
                {"label": "Indirect", "data": [r.figures.indirect for r in report.by_initiative]},
            ],
        },
        "goals": {
            "labels": ["Direct", "Indirect"],
            "datasets": [
                {
                    "label": "LEAs supported (duplicated)",
                    "data": [report.total.direct, report.total.indirect],
                },
                {"label": "Goal", "data": [report.direct_goal, report.indirect_goal]},
            ],
        },
    }


def public_dashboard_figures(fiscal_year: int) -> dict:
    """Return the public dashboard's aggregates for the year to date: no person, no request.

    Counts of LEAs by county and by initiative, and the year's totals, from the report's
    figures (two queries); success stories are added by the view from sources.
    """
    period = current_period()
    quarter = period.quarter if fiscal_year == period.fiscal_year else 4
    totals = list(
        ReportTotal.objects.filter(
            fiscal_year=fiscal_year,
            quarter=quarter,
            cumulative=True,
            dimension__in=[Dimension.TOTAL, Dimension.COUNTY, Dimension.INITIATIVE],
        )
    )
    names = dict(Initiative.objects.values_list("pk", "name"))
    counties = _grouped(totals, Dimension.COUNTY)
    initiatives = _grouped(totals, Dimension.INITIATIVE)
    total = _grouped(totals, Dimension.TOTAL).get("", Figures())
    return {
        "fiscal_year": fiscal_year,
        "label": fiscal_year_label(fiscal_year),
        "quarter": quarter,
        "total": vars(total),
        "counties": [{"county": name, **vars(counties[name])} for name in sorted(counties)],
        "initiatives": sorted(
            (
                {"initiative": names.get(int(key), ""), **vars(figures)}
                for key, figures in initiatives.items()
                if int(key) in names
            ),
            key=lambda row: row["initiative"],
        ),
    }
