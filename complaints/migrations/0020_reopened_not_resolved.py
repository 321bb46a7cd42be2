"""Tickets a citizen reopened before reopening cleared ``resolved_at`` are open work, not resolved: clear it, as a
head's reopening always did (complaints.actions.closing.citizen_reopen)."""

from django.db import migrations

OPEN_STATUSES = ("submitted", "routed", "acknowledged", "in_progress")


def clear_resolved_at_of_open_tickets(apps, schema_editor):
    Ticket = apps.get_model("complaints", "Ticket")
    Ticket.objects.filter(status__in=OPEN_STATUSES, resolved_at__isnull=False).update(resolved_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0019_workload_indexes"),
    ]

    operations = [
        # Nothing to restore backwards: the old value said when a fix the citizen refused was reported.
        migrations.RunPython(clear_resolved_at_of_open_tickets, migrations.RunPython.noop),
    ]
