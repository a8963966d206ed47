"""The request's contract fields flow into the drafted scope of work, the DOCX and PDF agreement,
its signature block, the sent notice and the e-signature (addressed to the signatory)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import ScopeOfWork
from notices.models import Notice
from requests_intake.models import AssistanceType, School
from tests.contracts.flow import advance
from tests.contracts.test_agreement_document import docx_paragraphs, docx_text, pdf_text
from tests.factories import MembershipFactory, approved_request

pytestmark = pytest.mark.django_db
S = ScopeOfWork.Status
LEGAL_NAME = "Governing Board of the Sample Unified School District"


@pytest.fixture
def schools(lea):
    district = lea.cds_code
    return [
        School.objects.create(
            cds_code=district[:7] + "6001002",
            name="Lincoln Elementary",
            district_cds_code=district,
            county=lea.county,
        ),
        School.objects.create(
            cds_code=district[:7] + "6001010",
            name="Westlake Middle",
            district_cds_code=district,
            county=lea.county,
        ),
    ]


@pytest.fixture
def sent(reviewer, agent, lea, lea_staff, schools):
    req = approved_request(
        reviewer=reviewer,
        lea=lea,
        created_by=lea_staff,
        request_type=AssistanceType.DISTRICT_TO_DISTRICT,
        assistance_types=[AssistanceType.COACHING],
        school_cds_codes=[schools[1].cds_code, schools[0].cds_code],
        legal_name=LEGAL_NAME,
        signatory_name="Dr. Morgan Reyes",
        signatory_title="Superintendent",
        signatory_email=lea_staff.email,
        agrees_to_reimburse=True,
        budget_min=40_000,
        budget_max=60_000,
        reimbursement_fund="Fund 01, Resource 0000",
        board_approval="required",
        board_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    sow = req.scope_of_work
    advance(sow, S.SENT_TO_LEA, reviewer=reviewer, agent=agent)
    sow.refresh_from_db()
    return sow


def test_the_draft_takes_the_party_signatory_schools_costs_and_method_from_the_request(sent):
    board = sent.request.board_date
    assert sent.lea_legal_name == LEGAL_NAME
    assert (sent.signatory_name, sent.signatory_title) == ("Dr. Morgan Reyes", "Superintendent")
    assert sent.signatory_email == sent.request.signatory_email
    # The schools in the order the LEA chose them, each with its CDS code.
    assert sent.schools_in_scope.splitlines() == [
        f"Westlake Middle ({sent.request.school_cds_codes[0]})",
        f"Lincoln Elementary ({sent.request.school_cds_codes[1]})",
    ]
    assert sent.funding_terms.splitlines() == [
        "Expected budget: $40,000 to $60,000.",
        "Fund or resource that reimburses CCEE: Fund 01, Resource 0000.",
        f"Approval by the LEA's governing board: required, expected {board:%B} {board.day}, "
        f"{board.year}.",
    ]
    # The type of request the LEA chose decides the method, over the other kinds it checked.
    assert sent.assistance_method == AssistanceType.DISTRICT_TO_DISTRICT
    assert sent.background.startswith(LEGAL_NAME)


def test_the_docx_names_the_legal_party_schools_costs_and_the_signatory_in_its_signature_block(
    sent,
):
    content = sent.documents.get(kind="sent", extension=".docx").file.read()
    text = docx_text(content)
    paragraphs = docx_paragraphs(content)
    assert f"{LEGAL_NAME} (School district, Alameda County)" in text
    assert (
        f"Authorised signatory for {LEGAL_NAME}: Dr. Morgan Reyes, Superintendent "
        f"({sent.signatory_email})." in text
    )
    assert "Schools in scope:" in paragraphs
    assert f"Westlake Middle ({sent.request.school_cds_codes[0]})" in paragraphs
    assert "Expected budget: $40,000 to $60,000." in paragraphs
    assert "Fund or resource that reimburses CCEE: Fund 01, Resource 0000." in paragraphs
    signatures = paragraphs[paragraphs.index("12. Signatures") :]
    assert signatures[1] == f"For {LEGAL_NAME}: ______________________  Date: __________"
    assert signatures[2] == "Dr. Morgan Reyes, Superintendent"
    assert "{{" not in text and "{%" not in text
    assert all(p.strip() for p in paragraphs)


def test_the_pdf_agreement_holds_the_same_party_schools_and_signature_block(sent):
    text = " ".join(pdf_text(sent.documents.get(kind="sent", extension=".pdf").file.read()).split())
    assert f"{LEGAL_NAME} (School district, Alameda County)" in text
    assert "Authorised signatory: Dr. Morgan Reyes, Superintendent" in text
    assert "Lincoln Elementary" in text and "Westlake Middle" in text
    assert "Expected budget: $40,000 to $60,000." in text
    assert f"For {LEGAL_NAME}: ______________________ Date: __________ Dr. Morgan Reyes" in text


def test_an_agreement_without_a_signatory_or_schools_leaves_no_empty_paragraph(
    reviewer, agent, lea, lea_staff
):
    req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff)
    sow = req.scope_of_work
    # A reviewer may clear what the request gave: the document then falls back to the directory.
    ScopeOfWork.objects.filter(pk=sow.pk).update(
        lea_legal_name="", signatory_name="", signatory_title="", signatory_email=""
    )
    sow.refresh_from_db()
    advance(sow, S.SENT_TO_LEA, reviewer=reviewer, agent=agent)
    paragraphs = docx_paragraphs(sow.documents.get(kind="sent", extension=".docx").file.read())
    assert all(p.strip() for p in paragraphs)
    assert "Schools in scope:" not in paragraphs
    assert f"For {lea.name}: ______________________  Date: __________" in paragraphs
    assert not any(p.startswith("Authorised signatory") for p in paragraphs)


def test_the_sent_notice_goes_to_the_signatory_too(sent):
    assert Notice.objects.filter(
        request=sent.request, kind="contract_sent_to_lea", recipient_email=sent.signatory_email
    ).exists()


def test_the_return_page_addresses_the_signatory_and_prefills_the_signature(client, sent):
    client.force_login(sent.request.created_by)

    page = client.get(reverse("contracts:agreement_return", args=[sent.pk])).content.decode()

    assert "It is addressed to <strong>Dr. Morgan Reyes, Superintendent</strong>" in page
    assert 'value="Dr. Morgan Reyes"' in page and 'value="Superintendent"' in page
    assert "not-signatory" not in page


def test_a_member_who_is_not_the_signatory_cannot_sign_electronically_and_nothing_changes(
    client, sent, lea
):
    colleague = MembershipFactory(lea=lea).user
    client.force_login(colleague)

    page = client.get(reverse("contracts:agreement_return", args=[sent.pk])).content.decode()
    response = client.post(
        reverse("contracts:agreement_sign", args=[sent.pk]),
        {
            "name": colleague.full_name,
            "title": "Coordinator",
            "signed_on": timezone.localdate().isoformat(),
            "consent": "on",
        },
    )

    assert 'id="not-signatory"' in page
    assert "Only Dr. Morgan Reyes, Superintendent, the authorised signatory" in page
    assert response.status_code == 400
    assert "authorised to sign it" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == S.SENT_TO_LEA
    assert not sent.documents.filter(kind="signed").exists()
    with pytest.raises(services.ContractRefused):
        services.agreement_sign_electronically(
            scope_of_work=sent,
            by=colleague,
            name=colleague.full_name,
            title="Coordinator",
            signed_on=timezone.localdate(),
            consent=True,
        )


def test_the_signatory_signs_and_the_signature_page_names_them(sent):
    services.agreement_sign_electronically(
        scope_of_work=sent,
        by=sent.request.created_by,
        name="Dr. Morgan Reyes",
        title="Superintendent",
        signed_on=timezone.localdate(),
        consent=True,
    )
    sent.refresh_from_db()
    signed = sent.documents.get(kind="signed")
    text = " ".join(pdf_text(signed.file.read()).split())
    assert sent.status == S.SIGNED_BY_LEA
    assert f"{LEGAL_NAME} signed the agreement above" in text
    assert "Authorised signatory named in the agreement Dr. Morgan Reyes, Superintendent" in text
