"""A "me too" given without an account waits for its address to be confirmed from an emailed link
(``Subscription.email_confirmed``; when the last link went, ``confirmation_sent_at``), and the confirmation email is
a template of its own (``confirm_support``). Every "me too" already given counts as confirmed (the columns' default:
no table rewrite). The index holds the unconfirmed ones only, so it starts empty; building it reads the
subscriptions once (about a second at a million)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0030_ticket_escalated_deadline"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="email_confirmed",
            field=models.BooleanField(default=True, verbose_name="email confirmed"),
        ),
        migrations.AddField(
            model_name="subscription",
            name="confirmation_sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="confirmation sent at"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="template",
            field=models.CharField(
                choices=[
                    ("confirm_ticket", "Report received (to the citizen)"),
                    ("confirm_support", "Me too to confirm (to the citizen)"),
                    ("ticket_update", "Report update (to the citizen)"),
                    ("staff_ticket", "New report (to the department's staff)"),
                ],
                max_length=60,
                verbose_name="template",
            ),
        ),
        migrations.AddIndex(
            model_name="subscription",
            index=models.Index(
                condition=models.Q(("email_confirmed", False)),
                fields=["confirmation_sent_at"],
                name="subscription_unconfirmed_idx",
            ),
        ),
    ]
