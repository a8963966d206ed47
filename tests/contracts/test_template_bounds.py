"""Agreement templates are rendered within bounds of time, memory and size: a template past one
is refused at upload, in the agent's admin page, with the bound it passed."""

import html
import io
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from contracts import documents, services
from contracts.models import AgreementTemplate, ScopeOfWork
from tests.contracts.flow import advance
from tests.data.uploads import corpus
from tests.factories import TINY_PDF

pytestmark = pytest.mark.django_db


def template(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload_in_admin(agent, content: bytes, name="agreement.docx"):
    client = Client()
    client.force_login(agent)
    return client.post(
        reverse("admin:contracts_agreementtemplate_add"),
        {"notes": "", "upload": SimpleUploadedFile(name, content)},
    )


NESTED_RANGES = "{% for i in range(300) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (NESTED_RANGES, "range() may give at most 1,000 numbers"),
        ("{{ 'a' * 20000000 }}", "a text or list may be repeated to at most 100,000 characters"),
        ("{{ [1] * 200000 }}", "a text or list may be repeated to at most 100,000 characters"),
        ("{{ 10 ** 100000 }}", "a power may have an exponent of at most 100"),
    ],
)
def test_a_template_that_repeats_without_bound_is_refused_at_upload(agent, text, shown):
    response = upload_in_admin(agent, template("Agreement {{ reference }}", text))

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"The template does not render: {shown}" in page
    assert not AgreementTemplate.objects.exists()


def test_a_template_whose_agreement_is_too_large_is_refused_with_the_size(agent, settings):
    settings.AGREEMENT_MAX_OUTPUT_BYTES = 50_000

    response = upload_in_admin(agent, template("{{ reference|center(90000) }}"))

    page = html.unescape(response.content.decode())
    assert "from the sample data; an agreement may be at most 48.8\xa0KB" in page
    assert not AgreementTemplate.objects.exists()


def test_a_template_that_renders_past_the_time_bound_is_stopped_and_refused(agent, settings):
    settings.AGREEMENT_RENDER_SECONDS = 0.5
    # A thousand million iterations: no machine renders it in half a second.
    loops = (
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
        "{% endfor %}{% endfor %}{% endfor %}"
    )

    response = upload_in_admin(agent, template(loops))

    page = html.unescape(response.content.decode())
    assert "The template takes longer than 0.5 seconds to render the sample agreement" in page
    assert not AgreementTemplate.objects.exists()


def test_a_template_that_exhausts_memory_is_refused(agent, settings):
    doubling = (
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s|length }}"
    )
    with pytest.raises(documents.TemplateRejected, match="more memory|longer than"):
        documents.check_template(template(doubling))


def test_a_template_within_the_bounds_still_renders_and_is_kept(agent):
    response = upload_in_admin(
        agent,
        template("Agreement {{ reference }}", "{% for i in range(3) %}{{ i }}{% endfor %}"),
        name="counsel edits.html",
    )

    assert response.status_code == 302
    kept = AgreementTemplate.objects.get()
    assert kept.original_name == "counsel edits.docx"  # named by its type, not its name


def test_a_template_upload_passes_the_checks_every_upload_passes(agent):
    response = upload_in_admin(agent, corpus.docx(main_type=corpus.WORD_MACRO_MAIN))

    page = html.unescape(response.content.decode())
    assert "agreement.docx contains macros or ActiveX controls" in page
    assert not AgreementTemplate.objects.exists()


@pytest.mark.parametrize(
    ("row_name", "shown"),
    [
        ("audit.html", "contains web page (HTML) code besides its own content"),
        ("open-action.pdf", "is a PDF that contains JavaScript"),
        ("template-injection.docx", "links to content outside the file"),
        ("budget.xlsx", "budget.xlsx is not a PDF or Word (.docx) file"),
    ],
)
def test_the_agents_signed_copy_passes_the_same_checks_shown_next_to_the_field(
    sow, reviewer, agent, row_name, shown
):
    row = next(row for row in corpus.ROWS if row.name == row_name)
    advance(sow, ScopeOfWork.Status.SENT_TO_LEA, reviewer=reviewer, agent=agent)
    client = Client()
    client.force_login(agent)
    url = reverse("admin:contracts_scopeofwork_transition", args=[sow.pk, "execute"])

    response = client.post(
        url,
        {"executed_on": "2026-01-02", "signed_copy": SimpleUploadedFile(row.name, row.build())},
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"{row.name} {shown}" in page or shown in page
    assert 'id="id_signed_copy-errors"' in page
    sow.refresh_from_db()
    assert sow.status == ScopeOfWork.Status.SENT_TO_LEA
    assert not sow.documents.filter(kind="signed").exists()


def test_a_signed_copy_is_stored_under_the_extension_of_its_type(sow, reviewer, agent):
    advance(sow, ScopeOfWork.Status.SENT_TO_LEA, reviewer=reviewer, agent=agent)
    services.scope_of_work_execute(
        scope_of_work=sow,
        by=agent,
        signed_copy=SimpleUploadedFile("signed.html", TINY_PDF),
        executed_on=date(2026, 1, 2),
    )
    signed = sow.documents.get(kind="signed")
    assert (signed.original_name, signed.extension) == ("signed.pdf", ".pdf")
