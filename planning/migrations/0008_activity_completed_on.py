from zoneinfo import ZoneInfo

from django.db import migrations, models

WITA = ZoneInfo("Asia/Makassar")


def completed_on_from_the_stage_change(apps, schema_editor):
    """Activities completed before the head named the day: the day (in Banjarmasin) the head marked them
    completed, the only date there is."""
    Activity = apps.get_model("planning", "Activity")
    StageChange = apps.get_model("planning", "StageChange")
    changes = StageChange.objects.filter(to_stage="completed", activity__completed_on__isnull=True).order_by(
        "activity_id", "-created_at", "-id"
    )
    done = set()
    for change in changes.iterator():
        if change.activity_id not in done:
            done.add(change.activity_id)
            day = change.created_at.astimezone(WITA).date()
            Activity.objects.filter(pk=change.activity_id).update(completed_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0007_budget_lines_awaiting_approval"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="completed_on",
            field=models.DateField(blank=True, null=True, verbose_name="completed on"),
        ),
        migrations.RunPython(completed_on_from_the_stage_change, migrations.RunPython.noop),
    ]
