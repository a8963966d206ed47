"""Evidence uploads: checked by content, stored privately, served only to those allowed."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_intake.models import AssistanceRequest, Attachment
from tests.data.uploads import corpus
from tests.factories import TINY_PDF, AttachmentFactory, DraftRequestFactory, submitted_request

pytestmark = pytest.mark.django_db

PNG = corpus.png()
JPEG = corpus.jpeg()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(lea, lea_staff):
    return DraftRequestFactory(lea=lea, created_by=lea_staff)


def eligibility_post(req, **extra):
    data = {
        "version": req.version,
        "section": "eligibility",
        "action": "save",
        "lea_type": "school_district",
        "coe_superintendent_determined_necessary": "on",
        "coe_technical_assistance_provided": "on",
        "geographic_lead_agrees": "on",
        "g1a_details": "Determined on March 3 after a year of differentiated assistance.",
    }
    data.update(extra)
    return data


def upload(client, req, name, content, field="evidence_g1A"):
    url = reverse("requests_intake:request_section", args=[req.pk, "eligibility"])
    return client.post(url, eligibility_post(req, **{field: SimpleUploadedFile(name, content)}))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("letter.pdf", TINY_PDF, "application/pdf"),
        ("scan.png", PNG, "image/png"),
        ("scan.jpg", JPEG, "image/jpeg"),
        (
            "letter.docx",
            corpus.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "budget.xlsx",
            corpus.xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_accepted_formats_are_stored_privately_under_a_random_name(
    client, draft, lea_staff, private_media, name, content, content_type
):
    client.force_login(lea_staff)

    response = upload(client, draft, name, content)

    assert response.status_code == 302
    attachment = Attachment.objects.get(request=draft)
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.evidence_for == "g1A"
    assert attachment.uploaded_by == lea_staff
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(private_media)
    assert name not in stored.name
    assert stored.read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.pdf", b"This is plain text pretending to be a PDF."),
        ("photo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_a_file_whose_content_is_not_accepted_is_refused_and_the_answers_saved(
    client, draft, lea_staff, name, content
):
    client.force_login(lea_staff)

    response = upload(client, draft, name, content)

    page = response.content.decode()
    assert response.status_code == 400
    assert f"{name} is not a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file" in page
    assert 'href="#id_evidence_g1A"' in page
    assert "Determined on March 3 after a year of differentiated assistance.</textarea>" in page
    assert not Attachment.objects.exists()
    saved = AssistanceRequest.objects.get(pk=draft.pk)
    assert saved.version == draft.version + 1
    assert saved.g1a_details == "Determined on March 3 after a year of differentiated assistance."


def test_one_refused_file_of_several_keeps_the_valid_files_and_the_answers(
    client, draft, lea_staff
):
    client.force_login(lea_staff)
    url = reverse("requests_intake:request_section", args=[draft.pk, "eligibility"])

    response = client.post(
        url,
        eligibility_post(
            draft,
            at_risk_of_state_intervention="on",
            at_risk_basis="Dashboard red for three subgroups.",
            evidence_g1A=SimpleUploadedFile("determination.pdf", TINY_PDF),
            evidence_h=SimpleUploadedFile("dashboard.gif", b"GIF89a\x01\x00\x01\x00;"),
            evidence_other=SimpleUploadedFile("scan.png", PNG),
        ),
    )

    page = response.content.decode()
    assert response.status_code == 400
    # The refused file is named, with why, next to its own field.
    assert "dashboard.gif is not a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file" in page
    assert 'id="id_evidence_h_error"' in page
    assert "A file was refused (Evidence: why the district is at risk)" in page
    # The accepted files and the section's answers are saved.
    names = sorted(Attachment.objects.filter(request=draft).values_list("original_name", flat=True))
    assert names == ["determination.pdf", "scan.png"]
    saved = AssistanceRequest.objects.get(pk=draft.pk)
    assert saved.at_risk_of_state_intervention is True
    assert saved.at_risk_basis == "Dashboard red for three subgroups."
    assert "determination.pdf" in page and "scan.png" in page  # listed as attached


def test_a_valid_file_sent_with_an_invalid_answer_is_asked_for_again_by_name(
    client, draft, lea_staff
):
    client.force_login(lea_staff)
    url = reverse("requests_intake:request_section", args=[draft.pk, "eligibility"])

    response = client.post(
        url,
        eligibility_post(
            draft, lea_type="not-a-type", evidence_g1A=SimpleUploadedFile("letter.pdf", TINY_PDF)
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "letter.pdf was not saved, because of the problems above" in page
    assert not Attachment.objects.exists()
    assert AssistanceRequest.objects.get(pk=draft.pk).version == draft.version


def test_a_file_over_the_size_limit_is_refused(client, draft, lea_staff, settings):
    settings.MAX_UPLOAD_BYTES = 100
    client.force_login(lea_staff)

    page = upload(client, draft, "big.pdf", TINY_PDF + b" " * 200).content.decode()

    assert "files can be at most 100\xa0bytes" in page
    assert not Attachment.objects.exists()


def test_members_download_their_evidence_as_an_attachment(client, draft, lea_staff):
    attachment = AttachmentFactory(request=draft, original_name="Letter March.pdf")
    client.force_login(lea_staff)

    response = client.get(
        reverse("requests_intake:attachment_download", args=[draft.pk, attachment.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Letter March.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_reviewers_may_download_evidence_of_a_submitted_request(client, lea, reviewer, lead):
    submitted = submitted_request(lea=lea)
    attachment = AttachmentFactory(request=submitted)
    url = reverse("requests_intake:attachment_download", args=[submitted.pk, attachment.pk])

    for person in (reviewer, lead):
        client.force_login(person)
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["other_lea_staff", "unapproved_member", "agent"])
def test_anyone_else_gets_not_found_for_evidence(client, draft, request, persona):
    attachment = AttachmentFactory(request=draft)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(
        reverse("requests_intake:attachment_download", args=[draft.pk, attachment.pk])
    )

    assert response.status_code == 404


def test_evidence_of_another_request_is_not_served_under_this_one(client, draft, lea_staff):
    elsewhere = AttachmentFactory()
    client.force_login(lea_staff)

    response = client.get(
        reverse("requests_intake:attachment_download", args=[draft.pk, elsewhere.pk])
    )

    assert response.status_code == 404


def test_a_member_removes_evidence_from_a_draft(
    client, draft, lea_staff, django_capture_on_commit_callbacks
):
    attachment = AttachmentFactory(request=draft)
    stored = Path(attachment.file.path)
    client.force_login(lea_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("requests_intake:attachment_delete", args=[draft.pk, attachment.pk])
        )

    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not stored.exists()


def test_evidence_cannot_be_removed_by_another_lea(client, draft, other_lea_staff):
    attachment = AttachmentFactory(request=draft)
    client.force_login(other_lea_staff)

    response = client.post(
        reverse("requests_intake:attachment_delete", args=[draft.pk, attachment.pk])
    )

    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
