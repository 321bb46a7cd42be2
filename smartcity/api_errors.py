"""One error body for the whole REST API: ``{"errors": [{"field": ..., "message": ...}]}``.

DRF's own exceptions (validation, authentication, permission, not found, throttling),
Django's ``ValidationError``/``PermissionDenied`` raised by actions, and filing limits
all come out in this shape; ``field`` is null for errors that are not about one field.
So do requests Django refuses to read (too many query parameters or form fields, too many files, a body larger
than Django takes, a broken multipart body): Django's answer was an HTML 400 page, or a debug page in DEBUG.

The API's JSON and form bodies are limited here too (``API_MAX_BODY_BYTES``, 1 MB): DATA_UPLOAD_MAX_MEMORY_SIZE
(40 MB, for the web's photo forms) does not apply to the bodies DRF reads itself, so a 6 MB JSON body was parsed.
"""

from __future__ import annotations

import io
import json
import logging
import math

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from rest_framework import exceptions, parsers, serializers
from rest_framework.views import exception_handler as drf_exception_handler

# Messages DRF raises in this API that its own Indonesian catalogue (3.x, ``rest_framework/locale/id``) leaves
# untranslated. Listed here only so that ``makemessages`` puts them in the project's catalogue, which Django
# consults for DRF's strings too; DRF itself translates them when it raises.
DRF_MESSAGES_WITHOUT_INDONESIAN = (
    gettext_noop("Invalid page."),
    gettext_noop("Object with {slug_name}={value} does not exist."),
    gettext_noop("A valid number is required."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop('Method "{method}" not allowed.'),
)


class ErrorItemSerializer(serializers.Serializer):
    """One error: the input it is about and what is wrong, in the request's language."""

    field = serializers.CharField(
        allow_null=True,
        help_text="The body field or query parameter (attributes.<code> for an extra question), null for the "
        "request as a whole.",
    )
    message = serializers.CharField()


class ErrorBodySerializer(serializers.Serializer):
    """The error body every endpoint answers with, whatever the status."""

    errors = ErrorItemSerializer(many=True)


class BodyTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"

    def __init__(self):
        super().__init__(
            _("The request body is too large: the API takes JSON and form bodies of up to %(size)s.")
            % {"size": filesizeformat(settings.API_MAX_BODY_BYTES)}
        )


def _read_limited(stream, parser_context) -> io.BytesIO:
    """The body, refused (413) when it is larger than API_MAX_BODY_BYTES: by its Content-Length before reading it,
    else after reading one byte more than allowed."""
    limit = settings.API_MAX_BODY_BYTES
    request = (parser_context or {}).get("request")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        declared = 0
    if declared > limit:
        raise BodyTooLarge()
    body = stream.read(limit + 1) if stream is not None else b""
    if len(body) > limit:
        raise BodyTooLarge()
    return io.BytesIO(body)


class LimitedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(_read_limited(stream, parser_context), media_type, parser_context)
        except exceptions.ParseError as error:
            # DRF's reads "JSON parse error - Expecting value: line 1 column 1 (char 0)" in English whatever the
            # request's language: said in it instead, with where the body went wrong.
            cause = error.__context__
            if isinstance(cause, json.JSONDecodeError):
                raise exceptions.ParseError(
                    _("The body is not valid JSON: it goes wrong at line %(line)s, column %(column)s.")
                    % {"line": cause.lineno, "column": cause.colno}
                ) from None
            raise exceptions.ParseError(_("The body is not valid JSON.")) from None


class LimitedFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(_read_limited(stream, parser_context), media_type, parser_context)


def _flatten(detail, field=None) -> list[dict]:
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__", "detail") else key
            if field and name:
                name = f"{field}.{name}"
            items.extend(_flatten(value, name or field))
        return items
    if isinstance(detail, list | tuple):
        items = []
        for value in detail:
            items.extend(_flatten(value, field))
        return items
    return [{"field": field, "message": str(detail)}]


def _from_django_validation(error: DjangoValidationError) -> dict | list:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return [str(m) for m in error.messages]


def _filing_refused(limited) -> exceptions.Throttled:
    """A refused filing: the filing's own message and when the account may file again, both in the request's
    language. ``Throttled(wait=…)`` would append DRF's English "Expected available in … seconds." instead, so the
    wait is set afterwards, only for the Retry-After header that DRF's handler sends."""
    message = str(limited)
    if limited.retry_after:
        minutes = math.ceil(limited.retry_after / 60)
        message += " " + ngettext(
            "You can file again in %(minutes)d minute.", "You can file again in %(minutes)d minutes.", minutes
        ) % {"minutes": minutes}
    refused = exceptions.Throttled(detail=message)
    refused.wait = limited.retry_after
    refused.filing = True  # its message is complete: not replaced by the generic one below
    return refused


def _unreadable(exc: SuspiciousOperation | BadRequest, context) -> exceptions.APIException:
    """What Django refused to read, as the API's error; logged as Django logs it (``django.security.*``), since
    the answer no longer goes through Django's own handling."""
    request = context.get("request")
    if isinstance(exc, SuspiciousOperation):
        logging.getLogger(f"django.security.{type(exc).__name__}").error(
            "%s", exc, extra={"status_code": 400, "request": getattr(request, "_request", request)}
        )
    if isinstance(exc, RequestDataTooBig):
        refused = exceptions.APIException(_("The request body is too large."))
        refused.status_code = 413
        return refused
    if isinstance(exc, TooManyFieldsSent):
        return exceptions.ParseError(
            _("The request has too many parameters or form fields (at most %(count)s).")
            % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
        )
    return exceptions.ParseError(_("The request cannot be read (too many files, or a malformed body)."))


def exception_handler(exc, context):
    from complaints.actions.intake import FilingRateLimited

    if isinstance(exc, SuspiciousOperation | BadRequest):
        exc = _unreadable(exc, context)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_from_django_validation(exc))
    elif isinstance(exc, FilingRateLimited):
        exc = _filing_refused(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.Throttled) and getattr(exc, "wait", None) and not getattr(exc, "filing", False):
        detail = {"detail": _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": int(exc.wait)}}
    response.data = {"errors": _flatten(detail) or [{"field": None, "message": str(_("Request failed."))}]}
    return response
