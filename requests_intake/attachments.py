"""Evidence files: checked by their content, stored under a random name outside any served path.

Only PDF, Word (DOCX), Excel (XLSX), PNG and JPEG files are accepted, and the decision rests on
the bytes, never on the file's name: a text file renamed ".pdf" is refused. Files are written to
the default storage, whose root is settings.PRIVATE_MEDIA_ROOT; the download view alone reads them.
"""

import hashlib
import secrets
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .models import Attachment

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACCEPTED_DESCRIPTION = "PDF, Word (.docx), Excel (.xlsx), PNG or JPEG"
# What an <input type="file"> offers first; the server still decides by content.
ACCEPT_ATTRIBUTE = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"

_SIMPLE_TYPES = {PDF, PNG, JPEG}
_ZIP_EXTENSIONS = {"zip", "docx", "xlsx"}
_HEADER_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose content passed the checks, with what the checks learned about it."""

    upload: object
    content_type: str
    size: int
    sha256: str
    original_name: str


def _office_type(upload) -> str | None:
    """Return DOCX or XLSX when the zip holds an Office Open XML document of that kind."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def detect_content_type(upload) -> str | None:
    """Return the accepted MIME type the upload's bytes show, or None if they show none."""
    upload.seek(0)
    header = upload.read(_HEADER_BYTES)
    upload.seek(0)
    kind = filetype.guess(header)
    if kind is None:
        return None
    if kind.mime in _SIMPLE_TYPES:
        return kind.mime
    if kind.extension in _ZIP_EXTENSIONS:
        return _office_type(upload)
    return None


def check_upload(upload) -> CheckedUpload:
    """Return the upload with its type, size and hash, or raise ValidationError saying why not."""
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:255]
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"{name} is {filesizeformat(upload.size)}; files can be at most "
            f"{filesizeformat(limit)}. Reduce its size or split it, then upload it again.",
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(f"{name} is empty. Choose the file again.", code="empty")
    content_type = detect_content_type(upload)
    if content_type is None:
        raise ValidationError(
            f"{name} is not a {ACCEPTED_DESCRIPTION} file (its content was checked, not only its "
            "name). Save it in one of those formats and upload it again.",
            code="type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        upload=upload,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        original_name=name,
    )


def attachment_create(*, assistance_request, by, evidence_for: str, checked: CheckedUpload):
    """Store a checked upload under a random name and record it as evidence for the request."""
    attachment = Attachment(
        request=assistance_request,
        evidence_for=evidence_for,
        token=secrets.token_hex(16),
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    attachment.file.save(checked.original_name, checked.upload, save=False)
    attachment.save()
    return attachment
