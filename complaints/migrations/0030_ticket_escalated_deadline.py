"""The escalation records which deadline it is for (``Ticket.escalated_deadline``), so that verifying ends the
escalation of a missed response date and a resolution date missed later reaches the head before the inspectorate.

Escalated tickets get the deadline their last escalation event names (a ticket without one: the response date
while it awaits verification, else the resolution date). The escalations already answered then end, as
``Ticket.end_answered_escalation`` ends them from now on: a missed response date of a ticket verified since, and any
escalation of a ticket no longer worked (resolved, closed, rejected, merged). The escalation events stay. A new
column with a default (no table rewrite); the updates read only the escalated tickets (``ticket_escalated_idx``).
"""

from django.db import migrations, models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

DEADLINES = ("response", "resolution")
WORKING = ("routed", "acknowledged", "in_progress")


def record_escalated_deadlines(apps, schema_editor):
    Ticket = apps.get_model("complaints", "Ticket")
    TicketEvent = apps.get_model("complaints", "TicketEvent")
    last_escalation = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), type="escalated")
        .annotate(deadline=KT("payload__deadline"))
        .filter(deadline__in=DEADLINES)
        .order_by("-created_at", "-id")
        .values("deadline")[:1]
    )
    unrecorded = Case(When(status="routed", then=Value("response")), default=Value("resolution"))
    escalated = Ticket.objects.filter(escalation_level__gt=0)
    escalated.update(
        escalated_deadline=Coalesce(Subquery(last_escalation), unrecorded, output_field=models.CharField())
    )
    answered = Q(escalated_deadline="response") & ~Q(status="routed") | ~Q(status__in=WORKING)
    escalated.filter(answered).update(escalation_level=0, escalated_deadline="")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0029_export_job_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="escalated_deadline",
            field=models.CharField(
                blank=True,
                choices=[("response", "response due"), ("resolution", "resolution due")],
                default="",
                max_length=10,
                verbose_name="escalated deadline",
            ),
        ),
        migrations.RunPython(record_escalated_deadlines, migrations.RunPython.noop, elidable=True),
    ]
