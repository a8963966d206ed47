"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium); no browser download."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = Path(settings.BASE_DIR) / "static" / "vendor" / "axe" / "axe.min.js"


# Where a failed browser test leaves its screenshots (var/ is not committed).
SCREENSHOT_DIR = Path(
    os.environ.get("BROWSER_SCREENSHOT_DIR", Path(settings.BASE_DIR) / "var" / "browser-failures")
)
SCREENSHOT_WIDTHS = (1440, 390)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def save_screenshots(page, name: str, widths=SCREENSHOT_WIDTHS) -> list[Path]:
    """Save full-page screenshots of `page` at each width (1440 and 390 px); return the files."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size or {"width": 1280, "height": 900}
    saved = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": before["height"]})
        path = SCREENSHOT_DIR / f"{name}-{width}px.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
    page.set_viewport_size(before)
    return saved


def shoot_watched(request) -> None:
    """Screenshot the test's watched pages at 1440 and 390 px if the test failed (once)."""
    watched = getattr(request.node, "watched_pages", [])
    report = getattr(request.node, "report_call", None)
    if not watched or report is None or not report.failed:
        return
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::")[-1])
    for index, watched_page in enumerate(watched):
        if watched_page.is_closed():
            continue
        try:
            files = save_screenshots(watched_page, f"{test_name}-{index}")
        except Exception as error:  # a broken page must not hide the test's own failure
            report.sections.append(("screenshots", f"could not save: {error}"))
        else:
            report.sections.append(("screenshots", "\n".join(str(f) for f in files)))
    watched.clear()


@pytest.fixture
def failure_screenshots(request):
    """Return `watch(page)`: the page is screenshot at 1440 and 390 px if the test fails.

    `page` is watched already; a test with a page of its own (a second person's browser)
    calls `failure_screenshots(other_page)` (before the fixture that made it closes it).
    Files go to SCREENSHOT_DIR (BROWSER_SCREENSHOT_DIR), named after the test, and the
    failure report lists them.
    """
    if not hasattr(request.node, "watched_pages"):
        request.node.watched_pages = []
    yield request.node.watched_pages.append
    shoot_watched(request)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(collected_static):
    """pytest-django's live server, serving static files the way production does.

    pytest-django wraps the site in Django's StaticFilesHandler, which serves the source files
    through the finders, as runserver does; the hashed names that pages carry in production are
    not among them. Without that wrapper, WhiteNoise serves the collected folder, as in the image.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda handler: handler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module.

    Playwright's sync API keeps an event loop in this thread while it is open; the ORM calls
    that tests make between page actions are still plain synchronous calls, so Django's async
    guard is lifted for exactly that span and restored afterwards (it must never reach a
    subprocess or a later test).
    """
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: apt-get install chromium (make test does it).")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def page(request, browser, live_server, failure_screenshots):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    failure_screenshots(page)
    unserved = []
    page.on(
        "response",
        lambda response: (
            unserved.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    yield page
    shoot_watched(request)  # before the page closes
    context.close()
    assert not unserved, f"static files that pages asked for and did not get: {unserved}"


def sign_in(page, user, password=PASSWORD, *, path="/accounts/login/"):
    """Sign in through the login form as a person would (and the second step, for staff)."""
    _enrol_if_staff(user)
    page.goto(path)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    pass_second_factor(page, user)


def sign_in_admin(page, user, password=PASSWORD):
    """Sign in on the admin's own login page (and the second step, for staff)."""
    _enrol_if_staff(user)
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    pass_second_factor(page, user)


def _enrol_if_staff(user):
    from tests.mfa import enrol_totp

    if user.mfa_required:
        enrol_totp(user)


def pass_second_factor(page, user):
    """On the two-step page, type the code the person's authenticator shows (tests/mfa.py)."""
    from tests.mfa import fresh_code

    if "/accounts/two-step/verify/" not in page.url:
        return
    page.get_by_label("Code").fill(fresh_code(user))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core (served from static/vendor) on the page; return the violations of `impacts`."""
    # By its static URL, not inlined: the Content-Security-Policy refuses inline scripts.
    from django.contrib.staticfiles.storage import staticfiles_storage

    page.add_script_tag(url=staticfiles_storage.url("vendor/axe/axe.min.js"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
