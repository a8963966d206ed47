"""The demo data holds one active engagement with a year of quarterly reports and charts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from engagements import selectors
from engagements.models import Engagement, ProgressReport

pytestmark = pytest.mark.django_db


def test_the_demo_engagement_has_four_accepted_quarterly_reports_and_charts(settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())  # again: nothing new
    engagement = Engagement.objects.get()
    assert engagement.status == Engagement.Status.ACTIVE
    reports = engagement.reports.order_by("number")
    assert [r.status for r in reports if not r.is_final] == [ProgressReport.Status.ACCEPTED] * 4
    page = selectors.engagement_page(engagement, timezone.localdate())
    assert len(page["charts"]) == 3
    assert all(len(chart["measurements"]) == 4 for chart in page["charts"])
