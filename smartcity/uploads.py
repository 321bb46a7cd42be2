"""Refuse a form whose body did not fully arrive, before any view acts on it.

A phone whose connection drops mid-upload leaves the server a body shorter than its Content-Length. Neither
gunicorn nor runserver says so: the body just ends. Django's MultiPartParser then drops the cut-off file part and
hands the view the fields that did arrive, so a resolve form resolved its ticket with the note but without the
evidence photo. ``CompleteBodyUploadHandler`` (first in FILE_UPLOAD_HANDLERS) counts what the parser reads and
raises ``IncompleteBody`` when the body ended before its Content-Length or before the multipart closing boundary;
whoever reads the body (the CSRF check, a view, DRF's parser) then refuses the request before acting on it, and
``CompleteBodyMiddleware`` answers it with a 400 that says what happened.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class IncompleteBody(MultiPartParserError):
    """The request's body ended before its Content-Length or its closing boundary: the connection dropped."""


class _CountingStream:
    """The request's body as the parser reads it, counting the bytes and watching for the multipart closing
    delimiter (``--boundary--``), which may straddle two reads."""

    def __init__(self, stream, boundary: bytes):
        self._stream = stream
        self._closing = b"--" + boundary + b"--"
        self._tail = b""
        self.bytes_read = 0
        self.closed_by_boundary = False

    def read(self, size=-1):
        data = self._stream.read(size)
        self.bytes_read += len(data)
        if not self.closed_by_boundary and data:
            window = self._tail + data
            self.closed_by_boundary = self._closing in window
            self._tail = window[-(len(self._closing) - 1) :]
        return data


class CompleteBodyUploadHandler(FileUploadHandler):
    """Parses a multipart body with the handlers after it, then refuses it if it did not fully arrive. Files the
    other handlers wrote (temporary files) are closed, so nothing of the cut-off request is kept."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        body = _CountingStream(input_data, boundary)
        handlers = [handler for handler in self.request.upload_handlers if handler is not self]
        post, files = MultiPartParser(META, body, handlers, encoding).parse()
        if body.bytes_read < content_length or not body.closed_by_boundary:
            for _field, uploaded_files in files.lists():
                for uploaded in uploaded_files:
                    uploaded.close()
            self.request.body_incomplete = True
            raise IncompleteBody(
                f"multipart body ended after {body.bytes_read} of {content_length} bytes"
                + ("" if body.closed_by_boundary else ", before its closing boundary")
            )
        return post, files

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def _urlencoded_cut_short(request) -> bool:
    """Whether this form POST's body is shorter than its Content-Length. Read whole here, as reading the form
    would (it is small: DATA_UPLOAD_MAX_MEMORY_SIZE at most)."""
    if request.method != "POST" or request.content_type != "application/x-www-form-urlencoded":
        return False
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    if declared > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return False  # refused as too large where the form is read
    try:
        return len(request.body) < declared
    except UnreadablePostError:  # the connection broke while reading: not complete either
        return True


def _refusal(request) -> HttpResponse:
    message = _(
        "The upload did not arrive completely (the connection dropped), so nothing was saved. "
        "Check your connection and send the form again."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [{"field": None, "message": message}]}, status=400)
    if request.path.startswith("/open311/"):
        from open311.renderers import render_errors

        return render_errors([(400, message)], "xml" if request.path.endswith(".xml") else "json", status=400)
    page = render_to_string("errors/incomplete_upload.html", {"PORTAL_NAME": settings.PORTAL_NAME, "message": message})
    return HttpResponse(page, status=400)


class CompleteBodyMiddleware:
    """Answers a request whose body did not fully arrive with a 400 in the request's language (a JSON error on the
    APIs). A form body is checked before any view runs; a multipart body wherever it is read (the CSRF check, a
    view, DRF's parser), which refuses it as unreadable before anything acts on it: its answer is replaced here
    by one that says what happened. After LocaleMiddleware, so the message is in the request's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _urlencoded_cut_short(request):
            request.body_incomplete = True
            response = None
        else:
            response = self.get_response(request)
        if getattr(request, "body_incomplete", False):
            logger.warning("Refused %s %s: its body ended before it was complete", request.method, request.path)
            return _refusal(request)
        return response
