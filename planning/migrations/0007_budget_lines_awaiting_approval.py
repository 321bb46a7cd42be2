from django.db import migrations, models


def original_lines_of_planned_activities_await_approval(apps, schema_editor):
    """Original lines of an activity still planned were never approved: they stop counting as its budget."""
    BudgetLine = apps.get_model("planning", "BudgetLine")
    BudgetLine.objects.filter(version="original", activity__stage="planned").update(version="draft")


def back_to_original(apps, schema_editor):
    apps.get_model("planning", "BudgetLine").objects.filter(version="draft").update(version="original")


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0006_grade_bands_checked"),
    ]

    operations = [
        migrations.AlterField(
            model_name="budgetline",
            name="version",
            field=models.CharField(
                choices=[
                    ("indicative", "Indicative ceiling (pagu indikatif)"),
                    ("draft", "Original, awaiting approval"),
                    ("original", "Original (murni)"),
                    ("revised", "Revised (perubahan)"),
                ],
                max_length=10,
                verbose_name="version",
            ),
        ),
        migrations.RunPython(original_lines_of_planned_activities_await_approval, back_to_original),
    ]
