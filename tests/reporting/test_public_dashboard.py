"""The public dashboard: aggregates by county and initiative, consented success stories, nothing
personal or request-level; cached, with a fixed query count."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting.fiscal import fiscal_quarter_of
from reporting.services import portal_support_count
from requests_intake.models import InternalNote
from tests.factories import InitiativeFactory, LeaFactory, UserFactory

from .helpers import engagement_for, records

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("reporting:public_dashboard")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def this_year():
    return fiscal_quarter_of(timezone.localdate()).fiscal_year


def test_anyone_sees_counts_by_county_and_initiative_without_signing_in(client):
    year = this_year()
    initiative = InitiativeFactory(name="Community Engagement Initiative")
    records(
        (LeaFactory(county="Fresno"), initiative, 1, "direct"),
        (LeaFactory(county="Kern"), initiative, 1, "indirect"),
        fiscal_year=year,
    )
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Community Engagement Initiative" in page
    assert '<th scope="row">Fresno</th><td>1</td>' in page
    assert '<th scope="row">Kern</th><td>0</td><td>0</td><td>1</td>' in page
    assert "public" in response["Cache-Control"]


def test_it_never_shows_people_notes_requests_or_stories_without_consent(client, reviewer):
    lea = LeaFactory(name="Sample Valley Unified", county="Tulare")
    story_giver = UserFactory(full_name="Quinn Consenting", email="quinn@sample.org")
    today = timezone.localdate()
    told = engagement_for(
        reviewer=reviewer,
        lea=lea,
        activated_on=today,
        primary_contact_name="Pat Contact",
        primary_contact_email="pat.contact@sample.org",
    )
    told.success_story = True
    told.success_story_summary = "Reading proficiency of English learners rose by a third."
    told.success_story_consent_by, told.success_story_consent_at = story_giver, timezone.now()
    told.save()
    untold = engagement_for(reviewer=reviewer, lea=LeaFactory(county="Inyo"), activated_on=today)
    untold.success_story_summary = "A draft story nobody consented to publish."
    untold.save()
    InternalNote.objects.create(request=told.request, author=reviewer, body="Secret triage note")
    portal_support_count()

    page = client.get(DASHBOARD).content.decode()

    assert "Reading proficiency of English learners rose by a third." in page
    assert "Sample Valley Unified" in page and "Tulare" in page
    for secret in (
        "A draft story nobody consented", "Secret triage note", "Pat Contact",
        "pat.contact@sample.org", "Quinn Consenting", "quinn@sample.org", reviewer.email,
        reviewer.full_name, told.request.reference, untold.request.reference, "@",
    ):  # fmt: skip
        assert secret not in page.split("<footer")[0], secret


def test_it_is_cached_and_its_query_count_is_fixed(client):
    year = this_year()
    initiative = InitiativeFactory()

    def queries_for_a_fresh_page():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DASHBOARD).status_code == 200
        return len(queries)

    records((LeaFactory(county="Alpine"), initiative, 1, "direct"), fiscal_year=year)
    small = queries_for_a_fresh_page()
    records(
        *[
            (LeaFactory(county=f"County {n}"), InitiativeFactory(), 1, "indirect")
            for n in range(25)
        ],
        fiscal_year=year,
    )
    assert queries_for_a_fresh_page() == small
    with CaptureQueriesContext(connection) as cached:
        client.get(DASHBOARD)
    assert len(cached) == 0


def test_new_figures_show_at_once_when_the_totals_change(client):
    year = this_year()
    initiative = InitiativeFactory(name="Learning Acceleration System Grant")
    records((LeaFactory(county="Alpine"), initiative, 1, "direct"), fiscal_year=year)
    client.get(DASHBOARD)
    records((LeaFactory(county="Mono"), initiative, 1, "direct"), fiscal_year=year)
    assert '<th scope="row">Mono</th>' in client.get(DASHBOARD).content.decode()


def test_a_bad_year_is_said_next_to_the_field(client):
    page = client.get(DASHBOARD, {"year": "1999"}).content.decode()
    assert "The current year is shown instead." in page


def test_it_refuses_to_change_anything(client):
    assert client.post(DASHBOARD).status_code == 405


def test_a_success_story_without_summary_is_not_listed(client, reviewer):
    told = engagement_for(reviewer=reviewer, lea=LeaFactory(), activated_on=date(2026, 8, 1))
    told.success_story, told.success_story_consent_at = True, timezone.now()
    told.save()
    assert "No success story has been published yet." in client.get(DASHBOARD).content.decode()
