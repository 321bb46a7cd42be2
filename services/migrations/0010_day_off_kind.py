"""A day off row may say the opposite: a working day on a date the holidays package lists (services.DayOff.kind).
Every existing row is a day off, as before."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0009_seeded_entry'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='dayoff',
            options={'ordering': ['date'], 'verbose_name': 'day off or working day', 'verbose_name_plural': 'days off and working days'},
        ),
        migrations.AddField(
            model_name='dayoff',
            name='kind',
            field=models.CharField(choices=[('day_off', 'Day off'), ('working_day', 'Working day')], default='day_off', help_text="Day off: offices close on a day the calendar counts as a working day (a local day off, a closure, a cuti bersama the calendar does not list). Working day: offices open on a national holiday or cuti bersama the calendar lists, which the government's SKB moved to another day or cancelled.", max_length=12, verbose_name='kind'),
        ),
    ]
