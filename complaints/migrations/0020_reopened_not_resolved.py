"""Reopened tickets as ``Ticket.reopen`` leaves them now: not resolved (a citizen's reopening used to keep
``resolved_at``), and verified when they were answered if they never were (resolved or rejected straight from
'routed', then reopened), so every "overdue" agrees about them."""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce

WORKED_STATUSES = ("acknowledged", "in_progress")
OPEN_STATUSES = ("submitted", "routed", *WORKED_STATUSES)


def settle_reopened_tickets(apps, schema_editor):
    Ticket = apps.get_model("complaints", "Ticket")
    Ticket.objects.filter(status__in=WORKED_STATUSES, acknowledged_at__isnull=True).update(
        acknowledged_at=Coalesce(F("resolved_at"), F("closed_at"), F("updated_at"))
    )
    Ticket.objects.filter(status__in=OPEN_STATUSES, resolved_at__isnull=False).update(resolved_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0019_workload_indexes"),
    ]

    operations = [
        # Nothing to restore backwards: the old values said when an answer the citizen or the head refused was given.
        migrations.RunPython(settle_reopened_tickets, migrations.RunPython.noop),
    ]
