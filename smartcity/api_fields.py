"""Serializer fields the whole REST API shares.

Times: ISO 8601 in the current time zone (WITA) to the second, e.g. ``2026-11-27T09:30:00+08:00``, as the
documented examples and Open311 show them. DRF's own field adds the microseconds a stored time has
(``02:40:30.716876+08:00``). A ModelSerializer based on ``ModelSerializer`` here gets that field for every model
time; a declared field uses ``WholeSecondsDateTimeField`` itself.
"""

from django.db import models
from rest_framework import serializers


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
