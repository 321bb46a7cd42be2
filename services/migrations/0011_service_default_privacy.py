"""A catalogue entry's default privacy (protection by default, UU 27/2022): every service of a running city starts
public, as reports were until now; the release step's seed_city then gives the shipped health, welfare and civil
registration services confidential, once (services/catalogue.py DEFAULT_PRIVACY)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0010_day_off_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="default_privacy",
            field=models.CharField(
                choices=[("public", "Public"), ("anonymous", "Anonymous"), ("confidential", "Confidential")],
                default="public",
                help_text="What the filing form preselects for this service, and what a report filed through the REST API or Open311 without a privacy gets. Choose confidential for reports about a person's health, welfare or civil records. The citizen may always choose otherwise.",
                max_length=12,
                verbose_name="default privacy",
            ),
        ),
    ]
