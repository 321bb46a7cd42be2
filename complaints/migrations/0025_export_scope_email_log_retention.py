"""Retention and exports (no data change): an export records whose queue it holds (ExportJob.scope, filled when it is
built; an export built before it is refused for download: export again), and the email log gets a partial index of
the rows still naming their recipient, which the retention job walks (built once over the whole email log: a few
seconds per million emails, during which emails wait to be written)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0024_merged_events_name_no_confidential_report"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="scope",
            field=models.JSONField(blank=True, default=dict, verbose_name="scope"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("email", ""), _negated=True), fields=["created_at"], name="notification_kept_idx"
            ),
        ),
    ]
