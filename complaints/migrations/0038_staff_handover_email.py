from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0037_staff_transfer_email"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="template",
            field=models.CharField(
                choices=[
                    ("confirm_ticket", "Report received (to the citizen)"),
                    ("confirm_support", "Me too to confirm (to the citizen)"),
                    ("ticket_update", "Report update (to the citizen)"),
                    ("staff_ticket", "A report's news (to the department's staff)"),
                    ("proposal_update", "A proposal's review (to the citizen who sent it)"),
                    ("staff_transfer", "Reports moved in a reorganisation (to the receiving department)"),
                    ("staff_handover", "A leaving colleague's tickets (to the one who takes them on)"),
                ],
                max_length=60,
                verbose_name="template",
            ),
        ),
    ]
