"""The demo data holds CCEE's four named initiatives and a few more, with support records."""

from io import StringIO

import pytest
from django.core.management import call_command

from reporting.models import DTA_CODE, FiscalYear, Initiative, KeyResult, SupportRecord
from reporting.selectors import current_period, quarterly_report

pytestmark = pytest.mark.django_db


def test_demo_data_has_the_named_initiatives_records_and_counts_the_demo_requests(settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    call_command("load_demo_data", stdout=StringIO())
    records = SupportRecord.objects.count()
    call_command("load_demo_data", stdout=StringIO())  # again: nothing new
    assert SupportRecord.objects.count() == records > 100
    names = set(Initiative.objects.values_list("name", flat=True))
    assert {
        "Community Engagement Initiative", "Learning Acceleration System Grant",
        "Statewide System of Support", "Direct Technical Assistance / Intensive Assistance Model",
    } <= names and len(names) > 4  # fmt: skip
    period = current_period()
    assert FiscalYear.objects.get(year=period.fiscal_year).priority_initiatives.count() == 4
    assert KeyResult.objects.filter(fiscal_year=period.fiscal_year).count() == 6
    # The approved demo request was verified: Oakland Unified counts for DTA this quarter.
    assert SupportRecord.objects.filter(
        initiative__code=DTA_CODE, lea__cds_code="01612590000000", source="portal"
    ).exists()
    report = quarterly_report(period.fiscal_year, period.quarter)
    assert report.total.direct > 0 and report.total.indirect > 0
