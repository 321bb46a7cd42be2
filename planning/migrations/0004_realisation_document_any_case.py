"""A payment document is the same in any case: SP2D-1 and sp2d-1 were both accepted and counted twice."""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Upper


def refuse_case_twins(apps, schema_editor):
    # The new constraint cannot be built over such pairs; name them so finance can remove the wrong one in the
    # admin (it is a money question, not one a migration may answer) instead of failing on an index error.
    Realisation = apps.get_model("planning", "Realisation")
    twins = (
        Realisation.objects.annotate(document=Upper("document_number"))
        .values("activity_id", "document")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    found = [f"activity {t['activity_id']}: {t['document']} ({t['n']}x)" for t in twins[:20]]
    if found:
        raise RuntimeError(
            "These payment documents are recorded more than once in different letter case; delete the duplicates "
            "in the admin (Planning > Realisations), then migrate again: " + "; ".join(found)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_verbose_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_case_twins, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="realisation",
            name="unique_realisation_document",
        ),
        migrations.AddConstraint(
            model_name="realisation",
            constraint=models.UniqueConstraint(
                models.F("activity"),
                django.db.models.functions.text.Upper("document_number"),
                name="unique_realisation_document_any_case",
            ),
        ),
    ]
