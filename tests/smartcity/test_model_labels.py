"""The administration speaks the administrator's language: every model and every list column of the project's
apps has a translatable name (Django's made-up ones, 'export job' or 'USER EMAIL', stay English in Indonesian)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise

PROJECT_APPS = {"accounts", "complaints", "services", "planning", "open311", "dashboards"}


def _project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


@pytest.mark.parametrize("model", _project_models(), ids=lambda m: m._meta.label)
def test_every_model_names_itself_translatably(model):
    declared = model._meta.original_attrs
    for name in ("verbose_name", "verbose_name_plural"):
        assert isinstance(declared.get(name), Promise), f"{model._meta.label} has no translatable {name}"
    for field in model._meta.get_fields():
        if field.concrete and not field.auto_created:
            assert isinstance(field.verbose_name, Promise), f"{model._meta.label}.{field.name} has no label"


def _column_is_labelled(model_admin, column) -> bool:
    if callable(column):
        return isinstance(getattr(column, "short_description", None), Promise)
    if column == "__str__":
        return True
    try:
        field = model_admin.model._meta.get_field(column)
    except FieldDoesNotExist:
        method = getattr(model_admin, column, None) or getattr(model_admin.model, column, None)
        return isinstance(getattr(method, "short_description", None), Promise)
    return isinstance(field.verbose_name, Promise)


def test_every_admin_list_column_has_a_translatable_heading():
    unlabelled = [
        f"{model._meta.label}.{column}"
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS
        for column in model_admin.list_display
        if not _column_is_labelled(model_admin, column)
    ]
    assert unlabelled == []
