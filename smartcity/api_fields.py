"""Serializer fields the whole REST API shares.

Times: ISO 8601 in the current time zone (WITA) to the second, e.g. ``2026-11-27T09:30:00+08:00``, as the
documented examples and Open311 show them. DRF's own field adds the microseconds a stored time has
(``02:40:30.716876+08:00``). A ModelSerializer based on ``ModelSerializer`` here gets that field for every model
time; a declared field uses ``WholeSecondsDateTimeField`` itself.
"""

import re
from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils import html


class WholeSecondsDateTimeField(serializers.DateTimeField):
    def to_representation(self, value):
        if value and not isinstance(value, str):
            value = value.replace(microsecond=0)  # cut, not rounded: the same second as Open311's
        return super().to_representation(value)


class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: WholeSecondsDateTimeField,
    }


UNKNOWN_FIELD = _("Unknown field: this request takes only %(fields)s.")
NO_FIELDS = _("Unknown field: this request takes no body.")
USE_FIELD = _("Unknown field: send it as %(field)s.")
# Form and multipart bodies may also send a browser's CSRF token: not a field, never refused.
_NOT_FIELDS = frozenset({"csrfmiddlewaretoken"})


class RefusesUnknownFields:
    """A write serializer that refuses (400) every body field it does not take, naming each, instead of dropping it
    unsaid: a filing with ``latitude`` was filed without its pin, and its client believed the pin saved.

    ``field_hints``: for a name a client may take for one of the fields (``latitude``), the message that says what to
    send instead; a plain field name there is worded "send it as <name>". A form body's ``<field>[<key>]`` and
    ``<field>.<key>`` belong to ``<field>`` (``attributes[ukuran]``)."""

    field_hints: dict = {}

    def to_internal_value(self, data):
        unknown = self.unknown_field_errors(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**unknown, **error.detail}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

    def unknown_field_errors(self, data) -> dict:
        if not isinstance(data, Mapping):
            return {}
        fields = [name for name, field in self.fields.items() if not field.read_only]
        nested = html.is_html_input(data)
        errors = {}
        for key in data:
            name = re.split(r"[\[.]", key, maxsplit=1)[0] if nested else key
            if name in fields or key in _NOT_FIELDS:
                continue
            hint = self.field_hints.get(key)
            if hint is None:
                hint = UNKNOWN_FIELD % {"fields": ", ".join(fields)} if fields else NO_FIELDS
            elif isinstance(hint, str) and hint in fields:
                hint = USE_FIELD % {"field": hint}
            errors[key] = [hint]
        return errors
