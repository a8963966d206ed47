"""The agreement document is complete and written as people write: DOCX and PDF alike."""

import io
from decimal import Decimal

import docx
import pypdf
import pytest

from contracts import documents, services
from contracts.models import ScopeOfWork
from tests.contracts.flow import advance
from tests.factories import ActivityFactory, CostLineFactory, approved_request

pytestmark = pytest.mark.django_db
S = ScopeOfWork.Status


def docx_paragraphs(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def complete(settings, reviewer, agent, lea, lea_staff):
    settings.ADMINISTRATIVE_AGENT_NAME = "Example County Office of Education"
    req = approved_request(
        reviewer=reviewer,
        lea=lea,
        created_by=lea_staff,
        desired_outcomes="Raise grade 3 reading proficiency by 10 points.\nLCAP goal 2 met.",
    )
    sow = req.scope_of_work
    sow.cost_basis = "reimbursable"
    sow.save()
    ActivityFactory(
        scope_of_work=sow, title="Coaching cycles", description="Six cycles with grade 3 teachers"
    )
    CostLineFactory(scope_of_work=sow, description="Coaching days", quantity=5, unit="day")
    CostLineFactory(scope_of_work=sow, description="Report", quantity=1, unit="day")
    CostLineFactory(scope_of_work=sow, description="Travel", quantity=Decimal("2.5"), unit="hour")
    advance(sow, S.SENT_TO_LEA, reviewer=reviewer, agent=agent)
    return sow


def test_the_drafted_theory_of_action_reads_as_one_sentence(complete):
    theory = complete.theory_of_action
    assert theory.startswith(f"If {complete.request.lea.name} and CCEE address")
    assert theory.endswith("raise grade 3 reading proficiency by 10 points; and LCAP goal 2 met.")
    assert ".;" not in theory and ".." not in theory


def test_the_docx_is_complete_and_has_no_empty_paragraph(complete):
    document = complete.documents.get(kind="sent", extension=".docx")
    content = document.file.read()
    text = docx_text(content)
    for activity in complete.activities.all():
        assert activity.title in text
        if activity.description:
            assert activity.description in text
    assert "Six cycles with grade 3 teachers" in text
    assert "Administrative agent: Example County Office of Education." in text
    assert "The administrative agent of CCEE" not in text
    assert complete.theory_of_action in text
    assert "5 days" in text and "1 day" in text and "2.5 hours" in text
    start = complete.term_start
    assert f"Term: {start:%B} {start.day}, {start.year} to" in text
    paragraphs = docx_paragraphs(content)
    assert all(p.strip() for p in paragraphs), [
        i for i, p in enumerate(paragraphs) if not p.strip()
    ]
    assert "{%" not in text and "{{" not in text


def test_the_pdf_holds_the_same_agreement(complete):
    document = complete.documents.get(kind="sent", extension=".pdf")
    text = " ".join(pdf_text(document.file.read()).split())
    assert "Six cycles with grade 3 teachers" in text
    assert "Administrative agent: Example County Office of Education." in text
    assert "5 days" in text and "2.5 hours" in text
    assert " ".join(complete.theory_of_action.split()) in text
    due = complete.deliverables.first().due_date
    assert f"{due:%B} {due.day}, {due.year}" in text


def test_an_empty_optional_field_leaves_no_empty_paragraph(complete, agent):
    complete.systemic_review = ""
    complete.cost_sharing_parties = ""
    complete.background = "First paragraph.\n\n\n\nSecond paragraph."
    complete.save()
    content = services.agreement_document_generate(scope_of_work=complete, by=agent).file.read()
    paragraphs = docx_paragraphs(content)
    assert all(p.strip() for p in paragraphs)
    assert "First paragraph." in paragraphs and "Second paragraph." in paragraphs
    assert not any(p.startswith("Systemic review") for p in paragraphs)


@pytest.mark.parametrize(
    ("quantity", "unit", "text"),
    [
        (Decimal("5.00"), "day", "5 days"),
        (Decimal("1"), "day", "1 day"),
        (Decimal("2.50"), "hour", "2.5 hours"),
        (Decimal("12"), "sessions", "12 sessions"),
        (Decimal("1200"), "page", "1,200 pages"),
    ],
)
def test_quantities_read_as_people_write_them(quantity, unit, text):
    assert documents.quantity_text(quantity, unit) == text
