"""Evidence files: checked by their content, stored under a random name outside any served path.

Only PDF, Word (DOCX), Excel (XLSX), PNG and JPEG files are accepted, and the decision rests on
the bytes, never on the file's name: a text file renamed ".pdf" is refused, and the name kept
ends in the extension of the type found (core.files.check_upload, which every upload calls).
Files are written to the default storage, whose root is settings.PRIVATE_MEDIA_ROOT; the
download view alone reads them.
"""

import secrets

# The checks are core.files' (the one API every upload calls); these names are kept for callers.
from core.files import (  # noqa: F401
    ACCEPT_ATTRIBUTE,
    ACCEPTED_DESCRIPTION,
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    CheckedUpload,
    check_upload,
    detect_content_type,
)

from .models import Attachment


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
