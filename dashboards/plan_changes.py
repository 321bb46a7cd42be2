"""The dashboards' plan figures follow each change to the plan once it commits (``base.bump_plan_generation``).

One hook for every write to the planning tables, whoever makes it: the planning actions (a budget approved, a
payment, a progress report, a stage moved, an evaluation, an activity or programme created), the imports that go
through them, the REST API, the admin. Without it a finance officer checking the city dashboard right after an
approval read figures up to five minutes old beside the plan's own list. Writes that bypass model saves
(``QuerySet.update``, ``bulk_create``) are seen only through a save in the same transaction."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .queries.base import bump_plan_generation


def _plan_changed(sender, using=None, **kwargs) -> None:
    """Bump the plan's generation once the transaction commits; nothing on a rollback. One cache write per row
    written: an import of 500 payments costs 500 writes after it commits, milliseconds."""
    transaction.on_commit(bump_plan_generation, using=using)


# Planning models that hold no figure of the plan: an import's own bookkeeping (its state and progress counter, saved
# as it runs); the rows it imports are saved through their own models.
NOT_THE_PLAN = frozenset({"planning.ImportJob"})


def connect() -> None:
    """Listen to every model of the planning app, its many-to-many links included (an activity's kelurahan)."""
    if not apps.is_installed("planning"):
        return
    for model in apps.get_app_config("planning").get_models(include_auto_created=True):
        if model._meta.label in NOT_THE_PLAN:
            continue
        post_save.connect(_plan_changed, sender=model, dispatch_uid=f"dashboards-plan-save-{model._meta.label}")
        post_delete.connect(_plan_changed, sender=model, dispatch_uid=f"dashboards-plan-delete-{model._meta.label}")
        if model._meta.auto_created:
            m2m_changed.connect(_plan_changed, sender=model, dispatch_uid=f"dashboards-plan-m2m-{model._meta.label}")
