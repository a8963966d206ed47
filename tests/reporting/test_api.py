"""The read API: a token per person, scoped as the site is; one test per role, a cross-LEA 404."""

import pytest
from django.utils import timezone

from reporting.models import ApiToken
from reporting.services import api_token_create
from tests.factories import InitiativeFactory, UserFactory, submitted_request

from .helpers import engagement_for, records

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, secret = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def two_leas(lea, other_lea, lea_staff, other_lea_staff, reviewer):
    today = timezone.localdate()
    mine = engagement_for(reviewer=reviewer, lea=lea, created_by=lea_staff, activated_on=today)
    theirs = engagement_for(
        reviewer=reviewer, lea=other_lea, created_by=other_lea_staff, activated_on=today
    )
    initiative = InitiativeFactory(code="cei")
    records((lea, initiative, 1, "direct"), (other_lea, initiative, 1, "indirect"))
    return mine, theirs


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_lea_staff_read_only_their_leas_requests_engagements_and_records(
    client, lea_staff, two_leas
):
    mine, theirs = two_leas
    auth = bearer(lea_staff)
    assert ids(client.get("/api/v1/requests", **auth)) == {mine.request_id}
    assert ids(client.get("/api/v1/engagements", **auth)) == {mine.pk}
    records = client.get("/api/v1/support-records", **auth).json()["items"]
    assert {r["lea"]["cds_code"] for r in records} == {mine.request.lea.cds_code}
    assert client.get("/api/v1/report?fiscal_year=2027", **auth).status_code == 403


def test_another_leas_request_or_engagement_is_a_404(client, lea_staff, two_leas):
    _mine, theirs = two_leas
    auth = bearer(lea_staff)
    assert client.get(f"/api/v1/requests/{theirs.request_id}", **auth).status_code == 404
    assert client.get(f"/api/v1/engagements/{theirs.pk}", **auth).status_code == 404
    assert client.get("/api/v1/requests/999999", **auth).status_code == 404


def test_a_reviewer_reads_every_submitted_request_and_the_report(client, reviewer, two_leas):
    mine, theirs = two_leas
    auth = bearer(reviewer)
    assert ids(client.get("/api/v1/requests", **auth)) == {mine.request_id, theirs.request_id}
    assert ids(client.get("/api/v1/engagements", **auth)) == {mine.pk, theirs.pk}
    report = client.get("/api/v1/report?fiscal_year=2027&quarter=1", **auth).json()
    assert (report["total"]["direct"], report["total"]["indirect"]) == (1, 1)


def test_a_lead_reads_the_report_with_every_breakdown(client, lead, two_leas):
    response = client.get("/api/v1/report?fiscal_year=2027", **bearer(lead))
    body = response.json()
    assert response.status_code == 200
    assert body["label"] == "2026–27" and body["direct_goal"] == 500
    assert {"by_initiative", "by_center", "by_county", "by_lea_type", "by_quarter"} <= set(body)
    records = client.get("/api/v1/support-records?kind=indirect", **bearer(lead)).json()
    assert records["count"] == 1


def test_the_agent_reads_no_request_engagement_record_or_report(client, agent, two_leas):
    mine, _theirs = two_leas
    auth = bearer(agent)
    assert ids(client.get("/api/v1/requests", **auth)) == set()
    assert ids(client.get("/api/v1/engagements", **auth)) == set()
    assert ids(client.get("/api/v1/support-records", **auth)) == set()
    assert client.get(f"/api/v1/requests/{mine.request_id}", **auth).status_code == 404
    assert client.get("/api/v1/report?fiscal_year=2027", **auth).status_code == 403


def test_a_member_whose_membership_is_pending_reads_nothing(client, unapproved_member, lea):
    submitted_request(lea=lea)
    assert ids(client.get("/api/v1/requests", **bearer(unapproved_member))) == set()


def test_no_token_a_wrong_one_or_a_revoked_one_is_a_401(client, lead):
    assert client.get("/api/v1/requests").status_code == 401
    assert client.get("/api/v1/requests", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    auth = bearer(lead)
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/requests", **auth).status_code == 401


def test_a_deactivated_persons_token_stops_working(client):
    person = UserFactory()
    auth = bearer(person)
    person.is_active = False
    person.save()
    assert client.get("/api/v1/requests", **auth).status_code == 401


def test_only_the_tokens_hash_is_stored_and_its_use_is_noted(client, lead):
    token, secret = api_token_create(user=lead, name="county dashboard")
    assert secret not in (token.key_hash, token.prefix) and len(token.key_hash) == 64
    client.get("/api/v1/requests", HTTP_AUTHORIZATION=f"Bearer {secret}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bad_filters_are_refused_with_a_422_naming_the_field(client, lead):
    response = client.get("/api/v1/support-records?quarter=7", **bearer(lead))
    assert response.status_code == 422
    assert "quarter" in str(response.json())


def test_the_api_lists_no_internal_notes_or_personal_fields(client, reviewer, two_leas):
    body = client.get("/api/v1/requests", **bearer(reviewer)).content.decode()
    for field in ("internal", "email", "contact", "superintendent", "note"):
        assert field not in body


def test_the_schema_documents_every_endpoint_and_the_bearer_token(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/v1/requests", "/api/v1/requests/{request_id}", "/api/v1/engagements",
        "/api/v1/engagements/{engagement_id}", "/api/v1/support-records", "/api/v1/report",
    }  # fmt: skip
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_create_api_token_command_prints_the_token_once(lead, capsys):
    from django.core.management import call_command

    call_command("create_api_token", lead.email, "county dashboard")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiToken.objects.get(user=lead).key_hash != secret
