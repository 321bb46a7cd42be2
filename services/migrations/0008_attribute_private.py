"""Questions whose answer identifies the citizen (a PDAM customer number): shown only to the reporter and the staff
who may see who reported. The shipped catalogue's one such question is marked in running cities too."""

from django.db import migrations, models

# As services/catalogue.py marks them: (service code, question code).
SHIPPED_PRIVATE = [("air-mati", "nomor_pelanggan")]


def mark_shipped(apps, schema_editor):
    ServiceAttribute = apps.get_model("services", "ServiceAttribute")
    for service, code in SHIPPED_PRIVATE:
        ServiceAttribute.objects.filter(service__code=service, code=code).update(private=True)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0007_service_description_en_help"),
    ]

    operations = [
        migrations.AddField(
            model_name="serviceattribute",
            name="private",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "For answers such as a customer or identity number: shown only to the reporter and to the staff "
                    "who may see who reported, never on public pages or to the public API."
                ),
                verbose_name="identifies the citizen",
            ),
        ),
        migrations.RunPython(mark_shipped, migrations.RunPython.noop),
    ]
