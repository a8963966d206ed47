"""Sending private files (evidence, agreements, templates) once a view has authorised the reader."""

from django.http import FileResponse


def private_file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """Return the stored file as a download that no shared cache keeps."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
