"""An index on the ticket's last change, for integrations that follow changes as the REST API documents
(``updated_after`` with ``ordering=updated_at``): each poll reads the tickets changed since the last one instead of
scanning all of them. Building it on a million tickets takes a few seconds, during which filings wait."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0027_dashboard_rollups_paused_clock"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["updated_at", "id"], name="ticket_updated_idx"),
        ),
    ]
