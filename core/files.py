"""Uploaded and private files: the one check every upload passes, and sending files back.

Every upload of the portal (an LEA's evidence, the agent's signed copy of an agreement, the
agent's agreement template, the LEA's signed copy) calls `check_upload(upload, types=...)` from
a form's clean method, so a refusal is shown next to the field and nothing is stored. It decides
by the bytes, never by the name: the magic number gives the family, then the structure is
inspected (core.file_inspection): HTML-bearing polyglots, PDFs with JavaScript or launch actions,
and Office packages that are incomplete, macro-enabled, linked to outside content or bombs are
refused with the reason. The name kept, and the one a download is given, ends in the extension
of the detected type (`stored_name`), whatever the person's file was called.

Limits come from settings: MAX_UPLOAD_BYTES (one file), OOXML_MAX_UNCOMPRESSED_BYTES,
OOXML_MAX_COMPRESSION_RATIO and OOXML_MAX_PARTS. The request body is bounded before it is read
by core.upload_limits (the middleware and the upload handler).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat

from . import file_inspection as inspection
from .file_inspection import DOCX, JPEG, PDF, PNG, XLSX

__all__ = [
    "ACCEPTED_DESCRIPTION",
    "ACCEPT_ATTRIBUTE",
    "DOCX",
    "EVIDENCE_TYPES",
    "JPEG",
    "PDF",
    "PNG",
    "SIGNED_COPY_TYPES",
    "TEMPLATE_TYPES",
    "XLSX",
    "CheckedUpload",
    "accept_attribute",
    "check_upload",
    "describe_types",
    "detect_content_type",
    "private_file_response",
    "stored_name",
]

# The extensions of each accepted type; the first is the one a name is given when it has none.
EXTENSIONS = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
}
LABELS = {PDF: "PDF", DOCX: "Word (.docx)", XLSX: "Excel (.xlsx)", PNG: "PNG", JPEG: "JPEG"}

EVIDENCE_TYPES = (PDF, DOCX, XLSX, PNG, JPEG)
SIGNED_COPY_TYPES = (PDF, DOCX)
TEMPLATE_TYPES = (DOCX,)


def describe_types(types) -> str:
    """Return "PDF, Word (.docx) or PNG" for the given types, in that order."""
    labels = [LABELS[kind] for kind in types]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def accept_attribute(types) -> str:
    """Return what an <input type="file" accept="..."> offers first (the server still decides)."""
    return ",".join(ext for kind in types for ext in EXTENSIONS[kind])


ACCEPTED_DESCRIPTION = describe_types(EVIDENCE_TYPES)
ACCEPT_ATTRIBUTE = accept_attribute(EVIDENCE_TYPES)

_UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose content passed the checks, with what the checks learned about it."""

    upload: object
    content_type: str
    size: int
    sha256: str
    original_name: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type][0]

    def read(self) -> bytes:
        self.upload.seek(0)
        content = self.upload.read()
        self.upload.seek(0)
        return content


def _limits() -> inspection.Limits:
    defaults = inspection.Limits()
    return inspection.Limits(
        max_uncompressed_bytes=getattr(
            settings, "OOXML_MAX_UNCOMPRESSED_BYTES", defaults.max_uncompressed_bytes
        ),
        max_ratio=getattr(settings, "OOXML_MAX_COMPRESSION_RATIO", defaults.max_ratio),
        max_entries=getattr(settings, "OOXML_MAX_PARTS", defaults.max_entries),
    )


def stored_name(name: str, content_type: str) -> str:
    """Return the person's file name, without any folder or control character, ending in the
    extension of the type its content showed ("letter.html" that is a PDF: "letter.pdf")."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", _UNSAFE_NAME_CHARACTERS.sub("", base)).strip(" .")
    extensions = EXTENSIONS.get(content_type)
    if not extensions:
        return (base or "file")[:255]
    stem, dot, suffix = base.rpartition(".")
    if dot and f".{suffix.lower()}" in extensions:
        stem, extension = stem, f".{suffix.lower()}"
    else:
        stem, extension = (stem if dot and suffix.lower() in _KNOWN_SUFFIXES else base), None
    extension = extension or extensions[0]
    stem = (stem.strip(" .") or "file")[: 255 - len(extension)]
    return stem + extension


# A suffix replaced (not kept before the new one) when the content shows another type.
_KNOWN_SUFFIXES = {
    "pdf", "docx", "xlsx", "png", "jpg", "jpeg", "html", "htm", "xhtml", "svg", "js", "exe",
    "doc", "xls", "docm", "xlsm", "zip", "txt", "gif",
}  # fmt: skip


def _detect(upload, types) -> str:
    """Return the accepted type the upload's bytes show, or raise inspection.Refused."""
    family = inspection.magic_type(upload)
    if family in types or (family == "zip" and (DOCX in types or XLSX in types)):
        inspection.refuse_html_markup(upload)
    content_type = None
    if family == "zip" and (DOCX in types or XLSX in types):
        content_type = inspection.inspect_ooxml(upload, _limits())
    elif family in types:
        content_type = family
    if content_type not in types:
        raise inspection.Refused("type", "")
    if content_type == PDF:
        inspection.inspect_pdf(upload)
    return content_type


def detect_content_type(upload, types=EVIDENCE_TYPES) -> str | None:
    """Return the accepted MIME type the upload's bytes show, or None if they show none."""
    try:
        return _detect(upload, types)
    except inspection.Refused:
        return None


def _size_error(name: str, size: int, limit: int) -> ValidationError:
    return ValidationError(
        f"{name} is {filesizeformat(size)}; files can be at most {filesizeformat(limit)}. "
        "Reduce its size or split it, then upload it again.",
        code="too_large",
    )


def check_upload(upload, *, types=EVIDENCE_TYPES, max_bytes: int | None = None) -> CheckedUpload:
    """Return the upload with its type, size, hash and safe name, or raise ValidationError
    saying why it is refused (its `code` names the check: too_large, empty, type, html,
    pdf_active, pdf_encrypted, pdf_damaged, ooxml_parts, ooxml_size, ooxml_ratio,
    ooxml_external, ooxml_macros, ooxml_html, ooxml_xml, ooxml_encrypted, ooxml_compression,
    ooxml_damaged)."""
    name = stored_name(getattr(upload, "name", "") or "file", "")
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    if upload.size > limit or getattr(upload, "over_limit", False):
        raise _size_error(name, upload.size, limit)
    if upload.size == 0:
        raise ValidationError(f"{name} is empty. Choose the file again.", code="empty")
    try:
        content_type = _detect(upload, types)
    except inspection.Refused as refused:
        if refused.code == "type":
            raise ValidationError(
                f"{name} is not a {describe_types(types)} file (its content was checked, not "
                "only its name). Save it in one of those formats and upload it again.",
                code="type",
            ) from refused
        raise ValidationError(f"{name} {refused.reason}", code=refused.code) from refused
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
        original_name=stored_name(name, content_type),
    )


def private_file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """Return the stored file as a download that no shared cache keeps, named with the
    extension of its checked type."""
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=stored_name(filename, content_type),
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
