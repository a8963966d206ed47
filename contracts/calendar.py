"""California state business days for contracts: the agreement's due date is computed here.

The calendar itself (CalHR's holidays, the observance rule, counting business days) is
core.business_days, so that apps below contracts count in the same days; this module keeps
contracts' names for it and supplies its one-off office closures (contracts.Closure), which
ContractsConfig.ready registers as a source of closures.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.apps import apps

from core.business_days import (
    CALHR_HOLIDAYS,
    SATURDAY,
    SATURDAY_OBSERVED_FRIDAY,
    SUNDAY,
    CalendarError,
    add_business_days,
    business_days_between,
    closures_between,
    is_business_day,
    local_date,
    previous_business_day,
    state_holidays,
)

__all__ = [
    "AGREEMENT_BUSINESS_DAYS",
    "CALHR_HOLIDAYS",
    "SATURDAY",
    "SATURDAY_OBSERVED_FRIDAY",
    "SUNDAY",
    "CalendarError",
    "add_business_days",
    "agreement_due_date",
    "business_days_between",
    "closures_between",
    "contract_closures_between",
    "is_business_day",
    "local_date",
    "previous_business_day",
    "state_holidays",
]

AGREEMENT_BUSINESS_DAYS = 5


def contract_closures_between(start: date, end: date) -> set[date]:
    """Return the dates of the closures an administrator added, from `start` to `end`."""
    # Looked up through the app registry: the models import this calendar, not the reverse.
    closure = apps.get_model("contracts", "Closure")
    return set(closure.objects.filter(date__range=(start, end)).values_list("date", flat=True))


def agreement_due_date(approved_at: datetime, closures: Iterable[date] | None = None) -> date:
    """Return when the agreement is due: five state business days after the approval date."""
    return add_business_days(local_date(approved_at), AGREEMENT_BUSINESS_DAYS, closures)
