"""The language of a follower without an account: their update emails were always in Indonesian.

Reporters who filed without an account before this change chose a language then: their confirmation email was
written in it, so it is taken from there.
"""

from django.db import migrations, models


def languages_from_confirmation_emails(apps, schema_editor):
    Notification = apps.get_model("complaints", "Notification")
    Subscription = apps.get_model("complaints", "Subscription")
    confirmations = Notification.objects.filter(template="confirm_ticket", ticket__isnull=False).exclude(language="id")
    for ticket_id, email, language in confirmations.values_list("ticket_id", "email", "language").iterator():
        Subscription.objects.filter(ticket_id=ticket_id, user__isnull=True, email=email, reason="reporter").update(
            language=language[:2]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0015_dashboard_open_daily"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="language",
            field=models.CharField(
                choices=[("id", "Bahasa Indonesia"), ("en", "English")],
                default="id",
                max_length=8,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(languages_from_confirmation_emails, migrations.RunPython.noop),
    ]
