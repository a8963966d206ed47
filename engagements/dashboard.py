"""The California School Dashboard's state indicators, offered as a ready list for indicators.

Each entry pre-fills an indicator's name, kind, unit and data source; the LEA still gives its
baseline, target, cadence and student group. For chronic absenteeism and suspension a lower
value is better: the target is set below the baseline.
"""

from dataclasses import dataclass

from .models import IndicatorKind


@dataclass(frozen=True)
class DashboardIndicator:
    code: str
    name: str
    unit: str
    data_source: str
    kind: str = IndicatorKind.STUDENT_LEARNING
    lower_is_better: bool = False


READY_LIST = [
    DashboardIndicator(
        "ela",
        "English language arts",
        "average distance from standard (points)",
        "California School Dashboard (CAASPP Smarter Balanced ELA)",
    ),
    DashboardIndicator(
        "math",
        "Mathematics",
        "average distance from standard (points)",
        "California School Dashboard (CAASPP Smarter Balanced mathematics)",
    ),
    DashboardIndicator(
        "elpi",
        "English learner progress",
        "% making progress toward English proficiency",
        "California School Dashboard (ELPAC, English Learner Progress Indicator)",
    ),
    DashboardIndicator(
        "chronic_absenteeism",
        "Chronic absenteeism",
        "% of students chronically absent",
        "California School Dashboard (CALPADS attendance)",
        lower_is_better=True,
    ),
    DashboardIndicator(
        "suspension",
        "Suspension rate",
        "% of students suspended at least once",
        "California School Dashboard (CALPADS discipline)",
        lower_is_better=True,
    ),
    DashboardIndicator(
        "graduation",
        "Graduation rate",
        "% four-year cohort graduation rate",
        "California School Dashboard (CALPADS cohort)",
    ),
    DashboardIndicator(
        "college_career",
        "College/career",
        "% prepared",
        "California School Dashboard (College/Career Indicator)",
    ),
]
BY_CODE = {item.code: item for item in READY_LIST}
CHOICES = [("", "— not a Dashboard indicator —")] + [(i.code, i.name) for i in READY_LIST]
