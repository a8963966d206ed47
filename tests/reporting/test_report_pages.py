"""The OKR report in the admin: who may see it, what it shows, its filter, exports and PDF."""

import csv
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.fiscal import fiscal_quarter_of
from reporting.models import FiscalYear, KeyResult, KeyResultEntry
from tests.factories import InitiativeFactory, LeaFactory

from .helpers import records

pytestmark = pytest.mark.django_db
REPORT = "admin:reporting_report"


@pytest.fixture
def year_of_support():
    """Fiscal 2026-27: one LEA in three initiatives, one more indirectly; goals and a key result."""
    fresno = LeaFactory(name="Fresno Unified", county="Fresno")
    kern = LeaFactory(name="Kern COE", county="Kern", lea_type="county_office")
    cei = InitiativeFactory(code="cei", name="Community Engagement Initiative", center="iii")
    lasg = InitiativeFactory(code="lasg", name="Learning Acceleration System Grant")
    ssos = InitiativeFactory(code="ssos", name="Statewide System of Support", center="iii")
    records(
        (fresno, cei, 1, "direct"), (fresno, lasg, 1, "direct"), (fresno, ssos, 2, "direct"),
        (kern, cei, 2, "indirect"),
    )  # fmt: skip
    year = FiscalYear.objects.create(
        year=2027, direct_goal=520, direct_definition="Working with the LEA's own team."
    )
    year.priority_initiatives.add(cei)
    kr = KeyResult.objects.create(
        fiscal_year=2027, area="resources", name="Resources published", measure="entries", target=4
    )
    KeyResultEntry.objects.create(key_result=kr, date="2026-08-01", title="Toolkit")
    KeyResultEntry.objects.create(key_result=kr, date="2027-04-02", title="Later, in Q4")
    return {"cei": cei}


def get(client, name, **params):
    return client.get(reverse(name), params)


def test_a_lead_sees_both_counts_against_the_goals_breakdowns_and_key_results(
    client, lead, year_of_support
):
    client.force_login(lead)
    response = get(client, REPORT, year=2027, quarter=2)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.total.direct, report.total.direct_unduplicated) == (3, 1)
    assert (report.total.indirect, report.direct_goal, report.indirect_goal) == (1, 520, 2500)
    page = response.content.decode()
    for text in (
        "Direct, duplicated", "Direct, unduplicated", "By initiative", "By Center", "By county",
        "By LEA type", "By quarter", "Priority initiative", "Working with the LEA&#x27;s own team.",
        "Resources published", "Fresno", "Kern",
    ):  # fmt: skip
        assert text in page, text
    [kr] = report.key_results
    assert (kr.target, kr.actual, kr.percent) == (4, 1, 25)  # the Q4 entry is not counted yet
    charts = json.loads(page.split('id="okr-chart-data" type="application/json">')[1].split("<")[0])
    assert charts["goals"]["datasets"][1]["data"] == [520, 2500]
    assert 'src="/static/js/okr_report.' in page and "<style" not in page


def test_a_reviewer_sees_the_report_read_only(client, reviewer, year_of_support):
    client.force_login(reviewer)
    response = get(client, REPORT, year=2027, quarter=4)
    assert response.status_code == 200
    assert "Import participation" not in response.content.decode()


def test_the_agent_is_refused_and_lea_staff_and_anonymous_are_sent_to_sign_in(
    client, agent, lea_staff
):
    client.force_login(agent)
    assert get(client, REPORT).status_code == 403
    assert get(client, "admin:reporting_report_csv").status_code == 403
    client.force_login(lea_staff)
    assert get(client, REPORT).status_code == 302
    client.logout()
    assert get(client, "admin:reporting_report_xlsx").status_code == 302


def test_a_bad_filter_is_said_next_to_the_field_and_the_current_quarter_is_shown(client, lead):
    client.force_login(lead)
    response = get(client, REPORT, year="next", quarter=9)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("The report shows the default instead.") == 2
    now = fiscal_quarter_of(__import__("django.utils.timezone").utils.timezone.localdate())
    assert (response.context["report"].fiscal_year, response.context["report"].quarter) == (
        now.fiscal_year,
        now.quarter,
    )


def test_the_csv_export_has_every_table_labelled(client, lead, year_of_support):
    client.force_login(lead)
    response = get(client, "admin:reporting_report_csv", year=2027, quarter=2)
    assert response["Content-Disposition"].endswith('ccee-okr-report-2026-27-q2.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Section", "Item", "Direct (duplicated)", "Direct (unduplicated)"]
    assert rows[1][2:6] == ["3", "1", "1", "1"]
    sections = {row[0] for row in rows[1:]}
    assert {"Goals", "By initiative", "By Center", "By county", "By LEA type"} <= sections


def test_the_xlsx_export_has_a_sheet_per_table(client, lead, year_of_support):
    client.force_login(lead)
    response = get(client, "admin:reporting_report_xlsx", year=2027, quarter=2)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Summary" and "Key results" in book.sheetnames
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["LEAs supported directly (duplicated)"] == 3
    assert summary["LEAs supported directly (unduplicated)"] == 1


def test_an_initiative_named_like_a_formula_is_exported_as_text(client, lead):
    InitiativeFactory(code="x", name="=HYPERLINK(1)")
    records((LeaFactory(), InitiativeFactory._meta.model.objects.get(code="x"), 1, "direct"))
    client.force_login(lead)
    content = get(client, "admin:reporting_report_csv", year=2027, quarter=1).content.decode()
    assert "'=HYPERLINK(1)" in content


def test_the_printable_page_and_the_pdf(client, lead, year_of_support):
    client.force_login(lead)
    page = get(client, "admin:reporting_report_print", year=2027, quarter=2).content.decode()
    assert "OKR report 2026–27" in page and "<canvas" not in page and "<script" not in page
    pdf = get(client, "admin:reporting_report_pdf", year=2027, quarter=2)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_report_query_count_does_not_grow_with_records(client, lead):
    client.force_login(lead)
    initiative = InitiativeFactory()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert get(client, REPORT, year=2027, quarter=4).status_code == 200
        return len(queries)

    records((LeaFactory(county="Alpine"), initiative, 1, "direct"))
    small = count()
    records(
        *[(LeaFactory(county=f"County {n}"), InitiativeFactory(), n % 4 + 1, "indirect")
          for n in range(30)]
    )  # fmt: skip
    assert count() == small
