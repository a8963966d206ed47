"""The upload corpus (tests/data/uploads/corpus.py), each file through the LEA's eligibility
page: accepted under a name ending in the detected type's extension, or refused with the reason
shown next to the field, the typed text kept, and nothing stored. Also the bounds on the body:
a file past the limit is refused by its real size, a body past the limit gets a 413 page."""

import functools
import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from core.upload_limits import CappedUploadHandler
from requests_intake.models import AssistanceRequest, Attachment
from tests.data.uploads import corpus
from tests.factories import TINY_PDF, DraftRequestFactory

pytestmark = pytest.mark.django_db

DETAILS = "Determined on March 3 after a year of differentiated assistance."


@functools.cache
def content_of(index: int) -> bytes:
    return corpus.ROWS[index].build()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(lea, lea_staff):
    return DraftRequestFactory(lea=lea, created_by=lea_staff)


def section_post(req, upload):
    return {
        "version": req.version,
        "section": "eligibility",
        "action": "save",
        "lea_type": "school_district",
        "coe_superintendent_determined_necessary": "on",
        "coe_technical_assistance_provided": "on",
        "geographic_lead_agrees": "on",
        "g1a_details": DETAILS,
        "evidence_g1A": upload,
    }


def post_upload(client, req, name, content):
    url = reverse("requests_intake:request_section", args=[req.pk, "eligibility"])
    return client.post(url, section_post(req, SimpleUploadedFile(name, content)))


def test_the_corpus_holds_at_least_thirty_hostile_or_edge_files():
    refused = [row for row in corpus.ROWS if not row.accepted]
    assert len(corpus.ROWS) >= 30 and len(refused) >= 30


def test_the_corpus_script_writes_every_file_and_a_manifest(tmp_path):
    written = corpus.write(tmp_path)

    assert len(written) == len(corpus.ROWS)
    manifest = (tmp_path / "MANIFEST.tsv").read_text().splitlines()
    assert len(manifest) == len(corpus.ROWS) + 1
    assert Path(written[0]).read_bytes() == corpus.ROWS[0].build()


@pytest.mark.parametrize(
    "index", range(len(corpus.ROWS)), ids=[f"{row.name!r}-{row.code}" for row in corpus.ROWS]
)
def test_each_corpus_file_is_accepted_or_refused_with_its_reason_on_the_page(
    client, draft, lea_staff, index
):
    row = corpus.ROWS[index]
    client.force_login(lea_staff)

    response = post_upload(client, draft, row.name, content_of(index))

    if row.accepted:
        assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
        attachment = Attachment.objects.get(request=draft)
        assert (attachment.original_name, attachment.content_type) == (row.shown, row.content_type)
        download = client.get(
            reverse("requests_intake:attachment_download", args=[draft.pk, attachment.pk])
        )
        assert f'filename="{row.shown}"' in download["Content-Disposition"]
    else:
        page = html.unescape(response.content.decode())
        assert response.status_code == 400
        assert row.shown in page
        assert 'href="#id_evidence_g1A"' in page  # the error summary points at the field
        assert f"{DETAILS}</textarea>" in page
        assert not Attachment.objects.exists()
        # Only the file is refused: the section's answers are saved (issue 12, item 11).
        assert AssistanceRequest.objects.get(pk=draft.pk).g1a_details == DETAILS


def test_evidence_stored_before_the_checks_is_served_with_its_types_extension(
    client, draft, lea_staff
):
    from tests.factories import AttachmentFactory

    attachment = AttachmentFactory(request=draft, original_name="page.html")
    client.force_login(lea_staff)

    response = client.get(
        reverse("requests_intake:attachment_download", args=[draft.pk, attachment.pk])
    )

    assert 'filename="page.pdf"' in response["Content-Disposition"]


def test_a_file_past_the_limit_is_refused_by_its_real_size_next_to_its_field(
    client, draft, lea_staff, settings
):
    settings.MAX_UPLOAD_BYTES = 1000
    client.force_login(lea_staff)

    response = post_upload(client, draft, "big.pdf", TINY_PDF + b"%" * 5000)

    page = html.unescape(response.content.decode())
    assert "big.pdf is 5.1\xa0KB; files can be at most 1000\xa0bytes" in page
    assert f"{DETAILS}</textarea>" in page
    assert not Attachment.objects.exists()


def test_the_upload_handler_keeps_nothing_of_a_file_past_the_limit(settings):
    settings.MAX_UPLOAD_BYTES = 10
    request = RequestFactory().post("/")
    capped = CappedUploadHandler(request)
    capped.new_file("file", "big.pdf", "application/pdf", 30)

    passed_on = [capped.receive_data_chunk(chunk, 0) for chunk in (b"a" * 8, b"b" * 8, b"c" * 8)]

    assert passed_on == [b"a" * 8, None, None]
    oversized = capped.file_complete(24)
    assert (oversized.name, oversized.size, oversized.read()) == ("big.pdf", 24, b"")


def test_a_body_past_the_request_limit_gets_a_413_page_before_it_is_read(
    client, draft, lea_staff, settings
):
    settings.MAX_REQUEST_BYTES = 2000
    client.force_login(lea_staff)

    response = post_upload(client, draft, "letter.pdf", TINY_PDF + b"%" * 3000)

    assert response.status_code == 413
    page = html.unescape(response.content.decode())
    assert "What you sent was too large" in page
    assert "the portal takes at most 2.0\xa0KB in one save" in page
    assert not Attachment.objects.exists()
    assert AssistanceRequest.objects.get(pk=draft.pk).g1a_details == draft.g1a_details
