"""The LEA returns the signed agreement in the portal; the agent executes from it.

Two ways back: an uploaded signed copy (checked by its content) or a typed-name electronic
signature, which stamps the agreement PDF with a signature page and seals it so any change to
the file shows.
"""

import io
from datetime import date, timedelta

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contracts import services, signature
from contracts.models import AgreementDocument, ContractChange, ElectronicSignature, ScopeOfWork
from contracts.notice_kinds import K
from notices.models import Notice
from tests.contracts.flow import PDF, advance, checked_signed_pdf

pytestmark = pytest.mark.django_db
S = ScopeOfWork.Status


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def sent(sow, reviewer, agent):
    return advance(sow, S.SENT_TO_LEA, reviewer=reviewer, agent=agent)


def sign_data(**overrides):
    return {
        "name": "Jordan Lee",
        "title": "Superintendent",
        "signed_on": timezone.localdate().isoformat(),
        "consent": "on",
        **overrides,
    }


def state(sow):
    sow.refresh_from_db()
    return (
        sow.status,
        AgreementDocument.objects.filter(kind="signed").count(),
        ContractChange.objects.count(),
        Notice.objects.count(),
        ElectronicSignature.objects.count(),
    )


def test_the_panel_offers_the_agreement_as_pdf_and_docx_with_explicit_return_steps(
    sent, approved, lea_staff
):
    page = client_for(lea_staff).get(reverse("requests_intake:request_detail", args=[approved.pk]))
    html = page.content.decode()
    assert "Sign and return it in the portal" in html
    assert "Download the agreement as PDF" in html and "Download the agreement as Word" in html
    assert reverse("contracts:agreement_return", args=[sent.pk]) in html
    for document in sent.documents.filter(kind="sent"):
        assert reverse("contracts:document_download", args=[document.pk]) in html


def test_the_lea_uploads_the_signed_copy_the_agent_is_told_and_the_state_moves(
    sent, lea_staff, agent
):
    response = client_for(lea_staff).post(
        reverse("contracts:agreement_upload", args=[sent.pk]),
        {"signed_copy": SimpleUploadedFile("signed agreement.pdf", PDF)},
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == S.SIGNED_BY_LEA
    signed = sent.documents.get(kind="signed")
    assert (signed.original_name, signed.produced_by, signed.file.read()) == (
        "signed agreement.pdf",
        lea_staff,
        PDF,
    )
    change = sent.changes.last()
    assert (change.action, change.by, change.to_status) == (
        "return_signed",
        lea_staff,
        S.SIGNED_BY_LEA,
    )
    notice = Notice.objects.get(kind=K.CONTRACT_SIGNED_RETURNED)
    assert notice.recipient_email == agent.email
    assert "a signed copy was uploaded (signed agreement.pdf)" in notice.body_text
    assert f"/admin/contracts/scopeofwork/{sent.pk}/change/" in notice.body_text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("signed.pdf", b"just some text, not a PDF", "its content was checked"),
        ("signed.pdf", b"", "empty"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "not a PDF or a Word document"),
    ],
)
def test_a_signed_copy_that_is_not_a_pdf_or_word_file_is_refused_next_to_the_field(
    sent, lea_staff, name, content, message
):
    before = state(sent)
    response = client_for(lea_staff).post(
        reverse("contracts:agreement_upload", args=[sent.pk]),
        {"signed_copy": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_signed_copy_error"' in html and message in html
    assert state(sent) == before


def test_the_lea_signs_electronically_and_the_sealed_pdf_holds_the_agreement_and_the_evidence(
    sent, lea_staff, agent, approved
):
    response = client_for(lea_staff).post(
        reverse("contracts:agreement_sign", args=[sent.pk]),
        sign_data(),
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Test browser",
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == S.SIGNED_BY_LEA
    record = ElectronicSignature.objects.get()
    assert (record.signer, record.signer_name, record.signer_title) == (
        lea_staff,
        "Jordan Lee",
        "Superintendent",
    )
    assert record.signed_on == timezone.localdate()
    assert record.ip_address == "203.0.113.7" and record.user_agent == "Test browser"
    assert record.consent_text == services.CONSENT_TEXT
    assert record.signed_from.kind == "sent" and record.signed_from.extension == ".pdf"
    content = record.document.file.read()
    assert record.document.sha256 == record.sealed_sha256
    assert signature.check_seal(content).valid
    text = pdf_text(content)
    assert "Agreement for Advice and Assistance" in text and approved.reference in text
    assert "Electronic signature" in text and "Jordan Lee" in text and "Superintendent" in text
    assert "203.0.113.7" in text and record.signed_from.sha256 in text.replace("\n", "")
    today = timezone.localdate()
    assert f"{today:%B} {today.day}, {today.year}" in text
    notice = Notice.objects.get(kind=K.CONTRACT_SIGNED_RETURNED)
    assert notice.recipient_email == agent.email
    assert "signed electronically in the portal by Jordan Lee, Superintendent" in notice.body_text


def test_changing_one_byte_of_the_sealed_pdf_fails_the_seal_check(sent, lea_staff):
    services.agreement_sign_electronically(
        scope_of_work=sent,
        by=lea_staff,
        name="Jordan Lee",
        title="Superintendent",
        signed_on=timezone.localdate(),
        consent=True,
    )
    content = ElectronicSignature.objects.get().document.file.read()
    assert signature.check_seal(content).valid
    for position in (len(content) // 3, len(content) // 2, len(content) - 50):
        tampered = bytearray(content)
        tampered[position] ^= 0x01
        assert not signature.check_seal(bytes(tampered)).valid
    appended = content + b"\n1 0 obj\n<<>>\nendobj\n"
    assert not signature.check_seal(appended).valid
    assert not signature.check_seal(PDF).valid  # never sealed


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": ""}, "consent", "Tick the box to agree to sign electronically."),
        ({"name": "  "}, "name", "Type your full name"),
        ({"title": ""}, "title", "Type your title."),
        ({"signed_on": "yesterday"}, "signed_on", "Give today&#x27;s date as a date"),
    ],
)
def test_an_incomplete_signature_is_refused_next_to_its_field_and_what_was_typed_stays(
    sent, lea_staff, overrides, field, message
):
    before = state(sent)
    response = client_for(lea_staff).post(
        reverse("contracts:agreement_sign", args=[sent.pk]), sign_data(**overrides)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and message in html
    if field != "name":
        assert 'value="Jordan Lee"' in html
    assert state(sent) == before


def test_a_signature_dated_another_day_is_refused(sent, lea_staff):
    before = state(sent)
    other_day = (timezone.localdate() - timedelta(days=3)).isoformat()
    response = client_for(lea_staff).post(
        reverse("contracts:agreement_sign", args=[sent.pk]), sign_data(signed_on=other_day)
    )
    assert response.status_code == 400
    assert "carries the date it is made" in response.content.decode()
    assert state(sent) == before


@pytest.mark.parametrize("persona", ["other_lea_staff", "unapproved_member", "agent", "reviewer"])
def test_only_approved_staff_of_the_lea_reach_the_return_pages(sent, persona, request):
    client = client_for(request.getfixturevalue(persona))
    before = state(sent)
    assert client.get(reverse("contracts:agreement_return", args=[sent.pk])).status_code == 404
    url = reverse("contracts:agreement_sign", args=[sent.pk])
    assert client.post(url, sign_data()).status_code == 404
    url = reverse("contracts:agreement_upload", args=[sent.pk])
    assert client.post(url, {"signed_copy": SimpleUploadedFile("s.pdf", PDF)}).status_code == 404
    assert state(sent) == before


def test_the_return_pages_are_gone_once_the_agreement_is_returned(sent, lea_staff):
    client = client_for(lea_staff)
    client.post(reverse("contracts:agreement_sign", args=[sent.pk]), sign_data())
    before = state(sent)
    assert client.get(reverse("contracts:agreement_return", args=[sent.pk])).status_code == 404
    response = client.post(reverse("contracts:agreement_sign", args=[sent.pk]), sign_data())
    assert response.status_code == 404
    assert state(sent) == before


def test_the_agent_sees_the_signature_and_its_seal_and_executes_from_the_returned_copy(
    sent, lea_staff, agent, reviewer, approved
):
    client_for(lea_staff).post(reverse("contracts:agreement_sign", args=[sent.pk]), sign_data())
    agent_client = client_for(agent)
    page = agent_client.get(reverse("admin:contracts_scopeofwork_change", args=[sent.pk]))
    html = page.content.decode()
    assert "Signed electronically by Jordan Lee, Superintendent" in html
    assert "Seal: Intact" in html
    url = reverse("admin:contracts_scopeofwork_transition", args=[sent.pk, "execute"])
    form_page = agent_client.get(url).content.decode()
    assert "signed copy returned by the LEA" in form_page
    response = agent_client.post(url, {"executed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302, response.content.decode()[-3000:]
    sent.refresh_from_db()
    assert sent.status == S.EXECUTED and sent.executed_on == timezone.localdate()
    assert sent.documents.filter(kind="signed").count() == 1  # executed from the returned copy
    emails = set(
        Notice.objects.filter(kind=K.CONTRACT_EXECUTED).values_list("recipient_email", flat=True)
    )
    assert lea_staff.email in emails and reviewer.email in emails
    panel = client_for(lea_staff).get(reverse("requests_intake:request_detail", args=[approved.pk]))
    assert "Nothing more is needed from you" in panel.content.decode()


def test_execution_from_sent_still_needs_an_uploaded_copy(sent, agent):
    before = state(sent)
    with pytest.raises(services.ContractRefused, match="Upload the signed copy"):
        services.scope_of_work_execute(
            scope_of_work=sent, by=agent, signed_copy=None, executed_on=date(2026, 1, 2)
        )
    assert state(sent) == before


def test_the_agent_can_ask_for_a_new_signed_copy_and_the_returned_one_is_kept(
    sent, lea_staff, agent
):
    services.agreement_return_signed_copy(
        scope_of_work=sent,
        by=lea_staff,
        checked=checked_signed_pdf(),
    )
    services.scope_of_work_request_new_signature(
        scope_of_work=sent, by=agent, comments="Page 3 is not signed."
    )
    sent.refresh_from_db()
    assert sent.status == S.SENT_TO_LEA
    assert sent.documents.filter(kind="signed").count() == 1
    notice = Notice.objects.get(kind=K.CONTRACT_SIGNATURE_REFUSED, recipient_email=lea_staff.email)
    assert "Page 3 is not signed." in notice.body_text
    assert "sign it in the portal" in notice.body_text


def test_the_sent_notice_says_how_to_sign_and_return(sent, lea_staff):
    notice = Notice.objects.get(kind=K.CONTRACT_SENT_TO_LEA, recipient_email=lea_staff.email)
    assert "How to sign and return it" in notice.body_text
    assert "upload the signed copy" in notice.body_text


def test_the_return_page_reads_a_fixed_number_of_queries(
    sent, lea_staff, agent, django_assert_max_num_queries
):
    client = client_for(lea_staff)
    url = reverse("contracts:agreement_return", args=[sent.pk])
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        services.agreement_document_generate(scope_of_work=sent, by=agent)
        services._generate(sent, agent, AgreementDocument.Kind.SENT)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
