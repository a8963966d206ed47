"""The admin's navigation, kept per set of permissions (core.admin_site), is Django's own."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.template.loader import get_template
from django.urls import reverse

SIDEBAR = re.compile(r'<nav class="sticky" id="nav-sidebar".*?</nav>', re.S)


def djangos_sidebar(response) -> str:
    """Return the sidebar as Django's nav_sidebar.html writes it from the page's own context."""
    request = response.context["request"]
    apps = admin.AdminSite.get_app_list(admin.site, request)  # Django's, not the kept one
    html = get_template("admin/nav_sidebar.html").render(
        {"available_apps": apps, "request": request}
    )
    return SIDEBAR.search(html)[0]


def shown_sidebar(response) -> str:
    return SIDEBAR.search(response.content.decode())[0]


@pytest.fixture
def fresh_sidebars():
    admin.site._app_lists.clear()
    admin.site._sidebars.clear()
    yield
    admin.site._app_lists.clear()
    admin.site._sidebars.clear()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:requests_intake_leamembership_changelist",
        "admin:requests_intake_assistancerequest_changelist",
        "admin:notices_notice_changelist",
    ],
)
def test_the_kept_sidebar_is_the_one_django_writes_for_the_page(
    client, reviewer, url_name, fresh_sidebars
):
    client.force_login(reviewer)

    first = client.get(reverse(url_name))
    again = client.get(reverse(url_name))

    assert first.status_code == again.status_code == 200
    assert shown_sidebar(first) == shown_sidebar(again) == djangos_sidebar(first)


@pytest.mark.django_db
def test_the_sidebar_marks_the_page_it_is_on(client, reviewer, fresh_sidebars):
    client.force_login(reviewer)

    requests = shown_sidebar(
        client.get(reverse("admin:requests_intake_assistancerequest_changelist"))
    )
    notices = shown_sidebar(client.get(reverse("admin:notices_notice_changelist")))

    assert 'class="model-assistancerequest current-model"' in requests
    assert 'class="model-assistancerequest current-model"' not in notices
    assert 'class="model-notice current-model"' in notices


@pytest.mark.django_db
def test_a_person_with_other_permissions_gets_their_own_sidebar(
    client, reviewer, lead, fresh_sidebars
):
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_changelist")
    as_reviewer = shown_sidebar(client.get(url))
    client.force_login(lead)
    as_lead = client.get(url)

    assert shown_sidebar(as_lead) == djangos_sidebar(as_lead)
    assert as_reviewer != shown_sidebar(as_lead)


@pytest.mark.django_db
def test_a_permission_granted_shows_in_the_next_pages_sidebar(client, reviewer, fresh_sidebars):
    client.force_login(reviewer)
    url = reverse("admin:requests_intake_assistancerequest_changelist")
    assert "model-group" not in shown_sidebar(client.get(url))

    reviewer.user_permissions.add(
        Permission.objects.get(codename="view_group", content_type__app_label="auth")
    )
    after = client.get(url)

    assert "model-group" in shown_sidebar(after)
    assert shown_sidebar(after) == djangos_sidebar(after)


@pytest.mark.django_db
def test_pages_get_their_own_app_lists(rf, reviewer, fresh_sidebars):
    request = rf.get("/admin/")
    request.user = reviewer

    first = admin.site.get_app_list(request)
    first[0]["models"].clear()

    assert admin.site.get_app_list(request)[0]["models"]
