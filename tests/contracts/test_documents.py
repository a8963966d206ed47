"""The DOCX agreement: what it holds, numbered versions, and the template upload check."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts import documents, services
from contracts.models import AgreementDocument, AgreementTemplate
from tests.factories import ActivityFactory, CostLineFactory

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def template_with(body: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_generated_agreement_holds_the_lea_reference_activities_totals_and_statute(
    sow, approved, reviewer
):
    sow.cost_basis = "reimbursable"
    sow.save()
    ActivityFactory(scope_of_work=sow, title="Coaching cycles for grade 3 teachers & coaches")
    CostLineFactory(scope_of_work=sow, quantity=10, unit_cost="1250.00")
    CostLineFactory(scope_of_work=sow, quantity=2, unit_cost="480.50")
    document = services.agreement_document_generate(scope_of_work=sow, by=reviewer)
    text = docx_text(document.file.read())
    assert approved.lea.name in text and approved.lea.cds_code in text
    assert approved.reference in text
    for activity in sow.activities.all():
        assert activity.title in text
    assert "$12,500.00" in text and "$961.00" in text
    assert "Total: $13,461.00" in text
    assert "EC 52074(g)(1)(A)" in text and "EC 52074(h)" in text
    assert document.content_type == documents.DOCX_CONTENT_TYPE


def test_each_generation_is_a_new_numbered_version_and_none_is_overwritten(sow, reviewer, agent):
    first = services.agreement_document_generate(scope_of_work=sow, by=reviewer)
    first_bytes = first.file.read()
    second = services.agreement_document_generate(scope_of_work=sow, by=agent)
    assert (first.number, second.number) == (1, 2)
    assert first.file.name != second.file.name
    first.refresh_from_db()
    assert first.file.read() == first_bytes
    assert second.produced_by == agent and second.produced_at >= first.produced_at
    assert AgreementDocument.objects.filter(scope_of_work=sow).count() == 2


def test_an_uploaded_template_version_is_used_for_the_next_agreement(sow, agent):
    upload = SimpleUploadedFile("ours.docx", template_with("Our agreement with {{ lea.name }}."))
    template = services.agreement_template_upload(upload=upload, by=agent, notes="New header")
    assert (template.version, template.uploaded_by, template.original_name) == (
        1,
        agent,
        "ours.docx",
    )
    document = services.agreement_document_generate(scope_of_work=sow, by=agent)
    assert document.template == template
    assert docx_text(document.file.read()) == f"Our agreement with {sow.request.lea.name}."
    services.agreement_template_upload(
        upload=SimpleUploadedFile("v2.docx", template_with("v2 {{ reference }}")), by=agent
    )
    assert list(AgreementTemplate.objects.values_list("version", flat=True)) == [2, 1]


def test_a_template_with_a_jinja_syntax_error_is_refused_with_the_reason(agent):
    upload = SimpleUploadedFile("broken.docx", template_with("Hello {{ lea.name "))
    with pytest.raises(documents.TemplateRejected, match="does not render"):
        services.agreement_template_upload(upload=upload, by=agent)
    assert not AgreementTemplate.objects.exists()


def test_a_template_naming_an_unknown_field_is_refused(agent):
    upload = SimpleUploadedFile("unknown.docx", template_with("{{ lea.budget }}"))
    with pytest.raises(documents.TemplateRejected, match="budget"):
        services.agreement_template_upload(upload=upload, by=agent)


def test_a_file_that_is_not_a_docx_is_refused(agent):
    upload = SimpleUploadedFile("contract.pdf", b"%PDF-1.4 not a word document")
    with pytest.raises(documents.TemplateRejected, match=r"contract.pdf is not a Word \(.docx\)"):
        services.agreement_template_upload(upload=upload, by=agent)
    assert not AgreementTemplate.objects.exists()


def test_a_reviewer_cannot_upload_a_template(reviewer):
    upload = SimpleUploadedFile("t.docx", template_with("x"))
    with pytest.raises(services.ContractRefused):
        services.agreement_template_upload(upload=upload, by=reviewer)


def test_text_with_markup_characters_is_escaped_in_the_document(sow, reviewer):
    sow.problem_of_practice = "Reading <grade 3> & writing"
    sow.save()
    document = services.agreement_document_generate(scope_of_work=sow, by=reviewer)
    assert "Reading <grade 3> & writing" in docx_text(document.file.read())


def test_the_built_in_template_passes_its_own_check():
    documents.check_template(documents.default_template_bytes())
