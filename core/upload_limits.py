"""The request body is bounded before it is read: a request over MAX_REQUEST_BYTES is answered
413 from its Content-Length alone, and an upload handler stops keeping a file's bytes once it
passes MAX_UPLOAD_BYTES, so an oversized file reaches its form as an empty stand-in that
core.files.check_upload refuses ("… is 30 MB; files can be at most 20 MB …") next to its field.

DATA_UPLOAD_MAX_MEMORY_SIZE bounds the rest of a form's body, FILE_UPLOAD_MAX_MEMORY_SIZE how
much of a file is held in memory before it goes to a temporary file. The proxy in front of
gunicorn caps the body too (README, "Uploads").
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


class OversizedUpload(UploadedFile):
    """Stands for a file that passed the limit: its name and real size, none of its bytes."""

    over_limit = True

    def __init__(self, name, content_type, size, charset):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class CappedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: passes each chunk on until the file passes the limit,
    then keeps nothing more of it and hands the form an OversizedUpload."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_BYTES:
            return None  # the handlers after this one get nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.received <= settings.MAX_UPLOAD_BYTES:
            return None
        return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """Answer 413, with a page saying what to do, to a body larger than MAX_REQUEST_BYTES,
    before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _declared_length(request)
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            context = {
                "size": filesizeformat(length),
                "limit": filesizeformat(limit),
                "file_limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
            }
            return render(request, "request_too_large.html", context, status=413)
        return self.get_response(request)
