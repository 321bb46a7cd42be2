"""What seed_city has given the city (services.SeededEntry), so that it gives each catalogue entry and field once.
Creates an empty table; the first seed_city after it fills it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0008_attribute_private"),
    ]

    operations = [
        migrations.CreateModel(
            name="SeededEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=20, verbose_name="kind")),
                ("key", models.CharField(max_length=120, verbose_name="key")),
                ("fields", models.JSONField(default=list, verbose_name="fields given")),
            ],
            options={
                "verbose_name": "seeded catalogue entry",
                "verbose_name_plural": "seeded catalogue entries",
                "constraints": [models.UniqueConstraint(fields=("kind", "key"), name="unique_seeded_entry")],
            },
        ),
    ]
