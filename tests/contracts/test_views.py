"""Who sees what: the print page, document downloads, the LEA's panel, the agent's admin."""

import io
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from contracts import services
from contracts.models import AgreementTemplate, Closure, ScopeOfWork
from tests.contracts.flow import advance, signed_pdf
from tests.factories import ActivityFactory, LeaFactory, MembershipFactory, approved_request

pytestmark = pytest.mark.django_db
S = ScopeOfWork.Status


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sent(sow, reviewer, agent):
    return advance(sow, S.SENT_TO_LEA, reviewer=reviewer, agent=agent)


def test_lea_member_downloads_the_sent_agreement_as_docx(sent, lea_staff, approved):
    document = sent.documents.get(kind="sent", extension=".docx")
    response = client_for(lea_staff).get(reverse("contracts:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert f'filename="{approved.reference}-agreement-v1-1.docx"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona", ["other_lea_staff", "unapproved_member"])
def test_people_outside_the_lea_get_404_for_the_agreement(sent, persona, request):
    user = request.getfixturevalue(persona)
    document = sent.documents.get(kind="sent", extension=".docx")
    client = client_for(user)
    assert client.get(reverse("contracts:document_download", args=[document.pk])).status_code == 404
    assert client.get(reverse("contracts:scopeofwork_print", args=[sent.pk])).status_code == 404


def test_lea_member_cannot_see_a_draft_or_a_review_copy(sow, lea_staff, reviewer):
    review_copy = services.agreement_document_generate(scope_of_work=sow, by=reviewer)
    client = client_for(lea_staff)
    assert client.get(reverse("contracts:scopeofwork_print", args=[sow.pk])).status_code == 404
    url = reverse("contracts:document_download", args=[review_copy.pk])
    assert client.get(url).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(sent):
    document = sent.documents.get(kind="sent", extension=".docx")
    response = Client().get(reverse("contracts:document_download", args=[document.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_request_page_shows_the_agreement_panel_to_the_lea_member(sent, approved, lea_staff):
    response = client_for(lea_staff).get(
        reverse("requests_intake:request_detail", args=[approved.pk])
    )
    document = sent.documents.get(kind="sent", extension=".docx")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your agreement" in page
    assert reverse("contracts:document_download", args=[document.pk]) in page


def test_request_page_has_no_agreement_panel_before_the_agreement_is_sent(sow, approved, lea_staff):
    response = client_for(lea_staff).get(
        reverse("requests_intake:request_detail", args=[approved.pk])
    )
    assert response.status_code == 200
    assert "Your agreement" not in response.content.decode()


def test_print_page_shows_the_scope_of_work_to_staff(sow, approved, reviewer):
    sow.cost_basis = "reimbursable"
    sow.save()
    sow.cost_lines.create(description="Coaching", quantity=3, unit="day", unit_cost="1000.00")
    response = client_for(reviewer).get(reverse("contracts:scopeofwork_print", args=[sow.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert approved.reference in page and approved.lea.name in page
    assert "EC 52074(g)(1)(A)" in page
    assert "$3,000.00" in page
    for activity in sow.activities.all():
        assert escape(activity.title) in page


def test_lea_member_reads_the_executed_agreement_and_signed_copy(sent, lea_staff, agent):
    services.scope_of_work_execute(
        scope_of_work=sent, by=agent, signed_copy=signed_pdf(), executed_on=date(2026, 1, 2)
    )
    signed = sent.documents.get(kind="signed")
    client = client_for(lea_staff)
    assert client.get(reverse("contracts:document_download", args=[signed.pk])).status_code == 200
    assert client.get(reverse("contracts:scopeofwork_print", args=[sent.pk])).status_code == 200


def test_print_page_query_count_does_not_grow_with_activities(
    sow, reviewer, django_assert_max_num_queries
):
    ActivityFactory.create_batch(20, scope_of_work=sow)
    client = client_for(reviewer)
    with django_assert_max_num_queries(12):
        client.get(reverse("contracts:scopeofwork_print", args=[sow.pk]))


# --- the admin ------------------------------------------------------------------------------


def test_agent_sees_contracts_but_not_requests_or_internal_notes(sow, agent):
    client = client_for(agent)
    assert client.get(reverse("admin:contracts_scopeofwork_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:contracts_scopeofwork_change", args=[sow.pk])).status_code == 200
    )
    assert client.get(reverse("admin:contracts_dashboard")).status_code == 200
    requests_admin = reverse("admin:requests_intake_assistancerequest_changelist")
    assert client.get(requests_admin).status_code == 403
    assert not agent.has_perm("requests_intake.view_internal_notes")
    assert not agent.has_perm("requests_intake.view_internalnote")
    assert not any(p.startswith("requests_intake.") for p in agent.get_all_permissions())


def test_lea_staff_cannot_open_the_contracts_admin(sow, lea_staff):
    response = client_for(lea_staff).get(reverse("admin:contracts_scopeofwork_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_shows_days_left_and_computed_total(sow, reviewer):
    sow.cost_lines.create(description="Coaching", quantity=2, unit="day", unit_cost="500.00")
    page = client_for(reviewer).get(reverse("admin:contracts_scopeofwork_change", args=[sow.pk]))
    content = page.content.decode()
    assert "business day" in content
    assert "$1,000.00" in content


def test_agent_requests_revisions_through_the_admin_form(sow, reviewer, agent):
    advance(sow, S.SENT_TO_AGENT, reviewer=reviewer, agent=agent)
    client = client_for(agent)
    url = reverse("admin:contracts_scopeofwork_transition", args=[sow.pk, "request_revisions"])
    empty = client.post(url, {"comments": ""})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    assert 'aria-describedby="id_comments-errors"' in empty.content.decode()
    assert 'id="id_comments-errors"' in empty.content.decode()
    response = client.post(url, {"comments": "Name the coach."})
    assert response.status_code == 302
    sow.refresh_from_db()
    assert sow.status == S.REVISIONS_REQUESTED and sow.revision_comments == "Name the coach."


def test_a_refused_admin_transition_shows_the_reason_and_changes_nothing(sow, reviewer):
    client = client_for(reviewer)
    url = reverse("admin:contracts_scopeofwork_transition", args=[sow.pk, "approve"])
    response = client.post(url, {"comments": ""}, follow=True)
    assert "Only the administrative agent" in response.content.decode()
    sow.refresh_from_db()
    assert sow.status == S.DRAFT


def test_the_agent_cannot_edit_a_draft_sent_for_approval(sow, reviewer, agent):
    advance(sow, S.SENT_TO_AGENT, reviewer=reviewer, agent=agent)
    client = client_for(agent)
    url = reverse("admin:contracts_scopeofwork_change", args=[sow.pk])
    page = client.get(url).content.decode()
    assert 'name="problem_of_practice"' not in page


def test_broken_template_upload_in_the_admin_shows_the_reason(agent):
    client = client_for(agent)
    response = client.post(
        reverse("admin:contracts_agreementtemplate_add"),
        {"notes": "", "upload": SimpleUploadedFile("t.docx", b"not a docx")},
    )
    assert response.status_code == 200
    assert "t.docx is not a Word (.docx) file" in response.content.decode()


def test_dashboard_lists_awaiting_due_soon_and_overdue(sow, reviewer, agent):
    advance(sow, S.SENT_TO_AGENT, reviewer=reviewer, agent=agent)
    page = client_for(agent).get(reverse("admin:contracts_dashboard")).content.decode()
    assert "Awaiting my approval (1)" in page
    assert sow.request.reference in page


def test_member_of_two_leas_sees_only_the_agreement_of_the_right_one(sent, other_lea):
    member = MembershipFactory(lea=other_lea).user
    document = sent.documents.get(kind="sent", extension=".docx")
    url = reverse("contracts:document_download", args=[document.pk])
    assert client_for(member).get(url).status_code == 404


def test_agent_uploads_a_template_version_in_the_admin_and_earlier_ones_are_kept(agent):
    def template(text):
        document = docx.Document()
        document.add_paragraph(text)
        out = io.BytesIO()
        document.save(out)
        return SimpleUploadedFile("agreement.docx", out.getvalue())

    client = client_for(agent)
    url = reverse("admin:contracts_agreementtemplate_add")
    for text in ("Agreement {{ reference }}", "Agreement v2 {{ reference }}"):
        response = client.post(url, {"notes": "Counsel's edits", "upload": template(text)})
        assert response.status_code == 302
    assert list(AgreementTemplate.objects.values_list("version", "uploaded_by")) == [
        (2, agent.pk),
        (1, agent.pk),
    ]
    first = AgreementTemplate.objects.get(version=1)
    download = client.get(reverse("admin:contracts_agreementtemplate_download", args=[first.pk]))
    assert download.status_code == 200 and download.content[:2] == b"PK"


def test_reviewer_cannot_upload_a_template_in_the_admin(reviewer):
    response = client_for(reviewer).get(reverse("admin:contracts_agreementtemplate_add"))
    assert response.status_code == 403


def test_negotiation_is_recorded_from_the_admin_with_its_reason(sow, agent):
    client = client_for(agent)
    url = reverse("admin:contracts_scopeofwork_negotiation", args=[sow.pk])
    missing = client.post(url, {"reason": "", "extra_business_days": 5})
    assert missing.status_code == 200 and "This field is required" in missing.content.decode()
    response = client.post(url, {"reason": "Indemnity clause", "extra_business_days": 5})
    assert response.status_code == 302
    sow.refresh_from_db()
    assert sow.negotiation_anticipated and sow.negotiation_reason == "Indemnity clause"
    page = client.get(reverse("admin:contracts_scopeofwork_changelist")).content.decode()
    assert "negotiation: +5" in page


def test_generate_in_the_admin_adds_a_numbered_review_copy(sow, reviewer):
    client = client_for(reviewer)
    url = reverse("admin:contracts_scopeofwork_generate", args=[sow.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert list(sow.documents.values_list("number", "kind")) == [(1, "generated"), (2, "generated")]
    assert client.get(url).status_code == 403


def test_closure_added_in_the_admin_records_who_added_it(agent):
    client = client_for(agent)
    response = client.post(
        reverse("admin:contracts_closure_add"), {"date": "2026-12-24", "name": "Governor's order"}
    )
    assert response.status_code == 302
    assert Closure.objects.get(date=date(2026, 12, 24)).created_by == agent


def test_contracts_changelist_query_count_does_not_grow_with_rows(
    reviewer, agent, django_assert_max_num_queries
):
    for _ in range(3):
        lea = LeaFactory()
        approved_request(reviewer=reviewer, lea=lea, created_by=MembershipFactory(lea=lea).user)
    client = client_for(agent)
    url = reverse("admin:contracts_scopeofwork_changelist")
    client.get(url)
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("business days left") == 3


def test_dashboard_query_count_does_not_grow_with_rows(
    reviewer, agent, django_assert_max_num_queries
):
    for _ in range(3):
        lea = LeaFactory()
        approved_request(reviewer=reviewer, lea=lea, created_by=MembershipFactory(lea=lea).user)
    client = client_for(agent)
    url = reverse("admin:contracts_dashboard")
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def _form_data(response) -> dict:
    """Return the POST data of the admin change form as rendered, inlines included."""

    def value_of(bound):
        value = bound.value()
        if hasattr(value, "pk"):
            return value.pk
        return "" if value is None else value

    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): value_of(management[k]) for k in management.fields})
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = value_of(form[name])
            if value is not False:
                data[form.add_prefix(name)] = value
    return data


def test_editing_a_drafts_content_in_the_admin_is_kept_in_its_history(sow, reviewer):
    client = client_for(reviewer)
    url = reverse("admin:contracts_scopeofwork_change", args=[sow.pk])
    data = _form_data(client.get(url))
    data["goals"] = "Raise grade 3 reading proficiency by 10 points."
    data["activities-0-title"] = "Kick-off with the literacy team"

    response = client.post(url, {**data, "_continue": "1"})

    assert response.status_code == 302
    sow.refresh_from_db()
    assert sow.goals == "Raise grade 3 reading proficiency by 10 points."
    entry = sow.changes.get(action="edited")
    assert entry.by == reviewer and entry.to_status == S.DRAFT
    assert "oals" in entry.comments and "activities" in entry.comments


def test_saving_a_draft_unchanged_adds_no_history(sow, reviewer):
    client = client_for(reviewer)
    url = reverse("admin:contracts_scopeofwork_change", args=[sow.pk])
    response = client.post(url, {**_form_data(client.get(url)), "_continue": "1"})
    assert response.status_code == 302
    assert not sow.changes.filter(action="edited").exists()
