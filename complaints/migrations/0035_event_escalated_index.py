# The queue's "escalated to the inspectorate: ever" and its escalation dates read the ESCALATED events by date
# (complaints.queries.inspectorate_escalations): a partial index over those few events only.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0034_queue_work_order_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticketevent",
            index=models.Index(
                condition=models.Q(("type", "escalated")), fields=["created_at", "ticket"], name="event_escalated_idx"
            ),
        ),
    ]
