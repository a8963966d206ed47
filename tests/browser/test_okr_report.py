"""A lead reads the OKR report in the admin and anyone reads the public dashboard; axe finds
no serious or critical issue on either, and the charts are drawn beside their tables."""

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reporting.fiscal import fiscal_quarter_of
from tests.browser.conftest import axe_violations, sign_in_admin
from tests.factories import InitiativeFactory, LeaFactory
from tests.reporting.helpers import records


def test_the_report_and_the_public_dashboard_show_charts_with_tables_and_pass_axe(page, lead):
    period = fiscal_quarter_of(timezone.localdate())
    cei = InitiativeFactory(name="Community Engagement Initiative", center="iii")
    lasg = InitiativeFactory(name="Learning Acceleration System Grant")
    fresno = LeaFactory(name="Fresno Unified", county="Fresno")
    records(
        (fresno, cei, 1, "direct"), (fresno, lasg, 1, "direct"),
        (LeaFactory(county="Kern"), cei, 1, "indirect"),
        fiscal_year=period.fiscal_year,
    )  # fmt: skip
    cache.clear()

    sign_in_admin(page, lead)
    page.goto(reverse("admin:index"))
    page.get_by_role("link", name="OKR report").first.click()
    expect(page.locator("#okr-goals-table")).to_contain_text("Direct")
    expect(page.get_by_role("heading", name="By initiative")).to_be_visible()
    assert page.locator("#okr-initiatives-chart").evaluate("c => c.width > 0")
    assert page.evaluate("() => Object.keys(window.Chart.instances).length") == 3
    assert axe_violations(page) == []

    page.get_by_label("Through quarter").select_option("1")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="By quarter (each quarter alone)")).to_be_visible()
    goals = page.locator("#okr-goals-table tbody tr").first.inner_text()
    assert "2" in goals and "500" in goals  # 2 duplicated (one LEA, two initiatives), goal 500

    page.get_by_role("link", name="Sign out").or_(
        page.get_by_role("button", name="Log out")
    ).first.click()
    page.goto(reverse("reporting:public_dashboard"))
    expect(page.get_by_role("heading", name="By county")).to_be_visible()
    expect(page.locator("#public-counties")).to_contain_text("Fresno")
    assert page.locator("#public-counties-chart").evaluate("c => c.width > 0")
    assert axe_violations(page) == []
