"""The triage changelist's lighter rendering shows exactly what Django's own rendering showed."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html

from requests_intake.admin_requests import AssistanceRequestAdmin, short_datetime
from requests_intake.models import AssistanceRequest
from tests.factories import submitted_request

UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 1, 8, 0, tzinfo=UTC),  # midnight in Pacific time
        datetime(2026, 3, 8, 19, 59, tzinfo=UTC),  # 12:59 PM, after the change to PDT
        datetime(2026, 7, 4, 17, 5, tzinfo=UTC),  # 10:05 AM
        datetime(2026, 11, 30, 23, 30, tzinfo=UTC),  # 3:30 PM
        datetime(2026, 12, 31, 7, 59, tzinfo=UTC),  # 11:59 PM on the 30th
    ],
)
def test_a_short_changelist_time_reads_as_django_formats_it(moment):
    expected = formats.date_format(timezone.localtime(moment), "M j, g:i A")
    assert short_datetime(moment) == expected


def test_no_time_is_a_dash():
    assert short_datetime(None) == "—"


@pytest.mark.django_db
def test_the_row_checkbox_is_the_markup_djangos_widget_renders():
    req = submitted_request()
    model_admin = AssistanceRequestAdmin(AssistanceRequest, admin.site)
    label = format_html("Select this object for an action - {}", str(req))
    widget = forms.CheckboxInput({"class": "action-select", "aria-label": label}, lambda v: False)
    assert model_admin.action_checkbox(req) == widget.render(
        helpers.ACTION_CHECKBOX_NAME, str(req.pk)
    )


@pytest.mark.django_db
def test_the_changelist_shows_each_rows_times_lea_and_checkbox(client, reviewer):
    req = submitted_request()
    client.force_login(reviewer)
    page = client.get(reverse("admin:requests_intake_assistancerequest_changelist"))
    html = page.content.decode()
    assert short_datetime(req.received_at) in html
    assert f'name="_selected_action" value="{req.pk}" class="action-select"' in html
    assert f"{req.lea.get_lea_type_display()} · {req.lea.county} County" in html
