"""Counting LEAs supported: the portal's own work once per quarter, duplicated and unduplicated
counts, goals per fiscal year."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reporting import selectors
from reporting.models import DTA_CODE, FiscalYear, ReportTotal, SupportRecord
from reporting.services import portal_support_count
from requests_intake import workflow
from tests.factories import InitiativeFactory, LeaFactory, submitted_request

from .helpers import engagement_for, records

PACIFIC = ZoneInfo("America/Los_Angeles")
pytestmark = pytest.mark.django_db


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=PACIFIC), tick=False)


def dta_quarters(lea):
    return sorted(
        SupportRecord.objects.filter(lea=lea, initiative__code=DTA_CODE, kind="direct").values_list(
            "fiscal_year", "quarter"
        )
    )


def test_a_request_verified_in_q1_and_engaged_through_q3_counts_once_per_quarter_for_dta(
    reviewer, lea
):
    with at(2026, 8, 10, 10):  # fiscal 2026-27, Q1
        engagement = engagement_for(
            reviewer=reviewer, lea=lea, activated_on=date(2026, 9, 1), ended_on=date(2027, 3, 15)
        )
    assert engagement.request.verified_at is not None
    with at(2027, 5, 1, 9):
        portal_support_count()
        report = selectors.quarterly_report(2027, 4)

    assert dta_quarters(lea) == [(2027, 1), (2027, 2), (2027, 3)]
    assert [row.figures.direct for row in report.by_quarter] == [1, 1, 1, 0]
    # The year to date counts the LEA once for DTA, however many quarters it was supported in.
    assert (report.total.direct, report.total.direct_unduplicated) == (1, 1)


def test_an_engagement_under_way_counts_every_quarter_up_to_today(reviewer, lea):
    with at(2026, 8, 10, 10):
        engagement_for(reviewer=reviewer, lea=lea, activated_on=date(2026, 8, 20))
    with at(2027, 1, 5, 9):
        portal_support_count()
    assert dta_quarters(lea) == [(2027, 1), (2027, 2), (2027, 3)]


def test_a_verified_request_alone_counts_in_the_quarter_it_was_verified(reviewer, lea):
    with at(2026, 9, 29, 10):
        req = submitted_request(lea=lea)
    with at(2026, 10, 1, 9):  # verified in Q2
        workflow.assistance_request_verify(assistance_request=req, by=reviewer)
        submitted_request(lea=LeaFactory())  # submitted, never verified: not counted
        portal_support_count()
    assert list(SupportRecord.objects.values_list("lea_id", "fiscal_year", "quarter")) == [
        (lea.pk, 2027, 2)
    ]


def test_counting_again_changes_nothing_and_a_withdrawn_reason_is_removed(reviewer, lea):
    with at(2026, 8, 10, 10):
        engagement = engagement_for(reviewer=reviewer, lea=lea, activated_on=date(2026, 8, 20))
    with at(2026, 12, 1, 9):
        first = portal_support_count()
        again = portal_support_count()
        assert (first["added"], again["added"], again["removed"]) == (2, 0, 0)
        # The activation date was corrected to November: Q1 stays (the verification), Q2 only.
        type(engagement).objects.filter(pk=engagement.pk).update(activated_on=date(2026, 11, 2))
        portal_support_count()
    assert dta_quarters(lea) == [(2027, 1), (2027, 2)]


def test_an_imported_dta_quarter_is_not_counted_twice(reviewer, lea):
    with at(2026, 8, 10, 10):
        submitted = submitted_request(lea=lea)
        workflow.assistance_request_verify(assistance_request=submitted, by=reviewer)
        dta = InitiativeFactory(code=DTA_CODE, name="Direct Technical Assistance")
        records((lea, dta, 1, "direct"))
        portal_support_count()
    assert SupportRecord.objects.filter(lea=lea).count() == 1
    assert SupportRecord.objects.get(lea=lea).source == "import"


def test_one_lea_in_three_initiatives_counts_three_times_duplicated_and_once_unduplicated():
    lea = LeaFactory(county="Fresno", lea_type="school_district")
    cei, lasg, ssos = (InitiativeFactory(center=c) for c in ("iii", "tll", "iii"))
    records((lea, cei, 1, "direct"), (lea, lasg, 2, "direct"), (lea, ssos, 2, "direct"))

    report = selectors.quarterly_report(2027, 4)

    assert (report.total.direct, report.total.direct_unduplicated) == (3, 1)
    by_center = {row.key: row.figures for row in report.by_center}
    assert (by_center["iii"].direct, by_center["iii"].direct_unduplicated) == (2, 1)
    by_county = {row.label: row.figures for row in report.by_county}
    assert (by_county["Fresno"].direct, by_county["Fresno"].direct_unduplicated) == (3, 1)
    by_type = {row.key: row.figures for row in report.by_lea_type}
    assert by_type["school_district"].direct_unduplicated == 1
    assert [r.figures.direct for r in report.by_quarter] == [1, 2, 0, 0]
    assert [r.figures.direct_unduplicated for r in report.by_quarter] == [1, 1, 0, 0]


def test_the_year_to_date_runs_through_the_chosen_quarter():
    lea, other = LeaFactory(), LeaFactory()
    initiative = InitiativeFactory()
    records((lea, initiative, 1, "indirect"), (other, initiative, 3, "indirect"))
    assert selectors.quarterly_report(2027, 2).total.indirect == 1
    assert selectors.quarterly_report(2027, 3).total.indirect == 2
    assert len(selectors.quarterly_report(2027, 2).by_quarter) == 2


def test_direct_and_indirect_are_counted_apart():
    lea = LeaFactory()
    initiative = InitiativeFactory()
    records((lea, initiative, 1, "direct"), (lea, initiative, 1, "indirect"))
    total = selectors.quarterly_report(2027, 1).total
    assert (total.direct, total.indirect) == (1, 1)


def test_goals_are_per_year_with_500_and_2500_by_default():
    FiscalYear.objects.create(year=2027, direct_goal=620, indirect_goal=2800)
    this_year, next_year = selectors.quarterly_report(2027, 4), selectors.quarterly_report(2028, 4)
    assert (this_year.direct_goal, this_year.indirect_goal) == (620, 2800)
    assert (next_year.direct_goal, next_year.indirect_goal) == (500, 2500)


def test_recounting_a_year_replaces_its_totals_and_leaves_other_years():
    initiative = InitiativeFactory()
    records((LeaFactory(), initiative, 1, "direct"), fiscal_year=2026)
    records((LeaFactory(), initiative, 1, "direct"), fiscal_year=2027)
    SupportRecord.objects.filter(fiscal_year=2027).delete()
    records(fiscal_year=2027)
    assert selectors.quarterly_report(2027, 4).total.direct == 0
    assert selectors.quarterly_report(2026, 4).total.direct == 1
    assert ReportTotal.objects.filter(fiscal_year=2026).exists()
