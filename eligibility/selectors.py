"""Reads of the state's data the portal checks facts against."""

from django.db.models import Max

from .assistance_status import IntensiveAssistance, YearStatus, intensive_assistance
from .models import AssistanceStatusRecord


def assistance_years(cds_code: str) -> list[YearStatus]:
    """Return the LEA's stored LCFF Assistance Status years, oldest first."""
    return [
        YearStatus(year=r.reporting_year, subgroups={k: tuple(v) for k, v in r.subgroups.items()})
        for r in AssistanceStatusRecord.objects.filter(cds_code=cds_code).order_by("reporting_year")
    ]


def latest_reporting_year() -> int | None:
    """Return the latest reporting year imported for any LEA (None before any import)."""
    return AssistanceStatusRecord.objects.aggregate(latest=Max("reporting_year"))["latest"]


def intensive_assistance_for(cds_code: str) -> IntensiveAssistance | None:
    """Return what the stored years say about 52072(a) for the LEA; None if no year is stored."""
    latest = latest_reporting_year()
    if latest is None:
        return None
    return intensive_assistance(assistance_years(cds_code), latest)
