# The staff queue's default order (open urgent tickets first, then the next due date) read off an index.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0033_transferred_event"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                models.F("department"),
                models.Case(
                    models.When(
                        models.Q(
                            ("status__in", ("submitted", "routed", "acknowledged", "in_progress")), ("priority__gte", 4)
                        ),
                        then=models.Value(0),
                    ),
                    models.When(
                        models.Q(("status__in", ("submitted", "routed", "acknowledged", "in_progress"))),
                        then=models.Value(1),
                    ),
                    default=models.Value(2),
                ),
                models.Case(
                    models.When(
                        models.Q(("response_due_at__isnull", False), ("status", "routed")),
                        then=models.F("response_due_at"),
                    ),
                    default=models.F("resolution_due_at"),
                ),
                models.F("id"),
                name="ticket_work_order_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                models.Case(
                    models.When(
                        models.Q(
                            ("status__in", ("submitted", "routed", "acknowledged", "in_progress")), ("priority__gte", 4)
                        ),
                        then=models.Value(0),
                    ),
                    models.When(
                        models.Q(("status__in", ("submitted", "routed", "acknowledged", "in_progress"))),
                        then=models.Value(1),
                    ),
                    default=models.Value(2),
                ),
                models.Case(
                    models.When(
                        models.Q(("response_due_at__isnull", False), ("status", "routed")),
                        then=models.F("response_due_at"),
                    ),
                    default=models.F("resolution_due_at"),
                ),
                models.F("id"),
                condition=models.Q(("status__in", ("submitted", "routed", "acknowledged", "in_progress"))),
                name="ticket_city_work_order_idx",
            ),
        ),
    ]
