"""Reads of the state's data the portal checks facts against."""

from django.db import connection
from django.db.models import Max

from .assistance_status import IntensiveAssistance, YearStatus, intensive_assistance
from .models import AssistanceStatusRecord, EmergencyApportionment


def assistance_years(cds_code: str) -> list[YearStatus]:
    """Return the LEA's stored LCFF Assistance Status years, oldest first."""
    return [
        YearStatus(year=r.reporting_year, subgroups={k: tuple(v) for k, v in r.subgroups.items()})
        for r in AssistanceStatusRecord.objects.filter(cds_code=cds_code).order_by("reporting_year")
    ]


def latest_reporting_year() -> int | None:
    """Return the latest reporting year imported for any LEA (None before any import)."""
    return AssistanceStatusRecord.objects.aggregate(latest=Max("reporting_year"))["latest"]


def stored_data_extent() -> tuple[int | None, bool]:
    """Return (latest_reporting_year(), whether the emergency apportionments list has a row).

    One statement: a submission asks both before it reads any LEA's rows.
    """
    status = connection.ops.quote_name(AssistanceStatusRecord._meta.db_table)
    emergency = connection.ops.quote_name(EmergencyApportionment._meta.db_table)
    sql = (
        f"SELECT (SELECT MAX(reporting_year) FROM {status}), "  # noqa: S608 - table names
        f"EXISTS (SELECT 1 FROM {emergency})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        latest, listed = cursor.fetchone()
    return latest, bool(listed)


# Passed for `latest` or `listed` when the caller has not asked (the selector asks itself).
UNKNOWN = object()


def intensive_assistance_for(cds_code: str, latest=UNKNOWN) -> IntensiveAssistance | None:
    """Return what the stored years say about 52072(a) for the LEA; None if no year is stored.

    `latest` is latest_reporting_year() when the caller has it (stored_data_extent).
    """
    if latest is UNKNOWN:
        latest = latest_reporting_year()
    if latest is None:
        return None
    return intensive_assistance(assistance_years(cds_code), latest)


EMERGENCY_SOURCE = "CDE emergency apportionments (EC 41320), as listed in the portal"


def emergency_apportionment_for(cds_code: str, listed=UNKNOWN) -> tuple[bool, str] | None:
    """Return (received, source) for the LEA from the maintained list; None if it is empty.

    A non-empty list is taken as complete: an LEA absent from it received none. `listed` says
    whether the list has a row, when the caller has asked (stored_data_extent).
    """
    if listed is UNKNOWN:
        listed = EmergencyApportionment.objects.exists()
    if not listed:
        return None
    received = [
        e
        for e in EmergencyApportionment.objects.filter(cds_code=cds_code)
        if e.status in EmergencyApportionment.RECEIVED_STATUSES
    ]
    if not received:
        return False, EMERGENCY_SOURCE
    dates = ", ".join(f"{e.apportionment_date:%Y-%m-%d} ({e.source_url})" for e in received)
    return True, f"{EMERGENCY_SOURCE}: {dates}"
