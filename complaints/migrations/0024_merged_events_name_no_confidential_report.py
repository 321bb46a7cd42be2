"""A report merged into a confidential one no longer names it on its public timeline.

``actions.merge_ticket`` used to record ``{"into": <reference>}`` on the duplicate's public ``merged`` event whatever
the target was, and the REST API's public timeline showed it: the reference of a confidential report, on the page of
a public one. The event keeps ``into_id`` (staff read the target on the ticket itself); only the public reference of a
confidential target goes, as a merge records it now.
"""

from django.db import migrations


def forget_confidential_targets(apps, schema_editor):
    Ticket = apps.get_model("complaints", "Ticket")
    TicketEvent = apps.get_model("complaints", "TicketEvent")
    confidential = Ticket.objects.filter(privacy="confidential", merged_tickets__isnull=False).values("pk")
    merged_into_them = Ticket.objects.filter(duplicate_of__in=confidential).values("pk")
    changed = []
    for event in TicketEvent.objects.filter(type="merged", ticket__in=merged_into_them).iterator(chunk_size=1000):
        payload = event.payload if isinstance(event.payload, dict) else {}
        if "into" in payload:
            event.payload = {key: value for key, value in payload.items() if key != "into"}
            changed.append(event)
    TicketEvent.objects.bulk_update(changed, ["payload"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0023_notification_links_made_at_sending"),
    ]

    operations = [
        # Nothing to put back: the reference is on the duplicate itself (``duplicate_of``) for whoever may read it.
        migrations.RunPython(forget_confidential_targets, migrations.RunPython.noop),
    ]
