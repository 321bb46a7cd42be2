"""One error body for the whole REST API: ``{"errors": [{"field": ..., "message": ...}]}``.

DRF's own exceptions (validation, authentication, permission, not found, throttling),
Django's ``ValidationError``/``PermissionDenied`` raised by actions, and filing limits
all come out in this shape; ``field`` is null for errors that are not about one field.
"""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from rest_framework import exceptions, serializers
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
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ErrorBodySerializer(serializers.Serializer):
    """The error body every endpoint answers with."""

    errors = ErrorItemSerializer(many=True)


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


def exception_handler(exc, context):
    from complaints.actions.intake import FilingRateLimited

    if isinstance(exc, DjangoValidationError):
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
