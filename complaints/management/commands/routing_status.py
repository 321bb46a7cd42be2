"""``manage.py routing_status``: is routing keeping up? Queue depth, tickets waiting, overdue per department."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count, Q
from django.utils import timezone

from complaints.models import Status, Ticket
from complaints.queries import overdue_filter, waiting_tickets


def queue_depth(queue: str) -> int | None:
    """Messages waiting in the Redis queue (LLEN), or None without a Redis broker or when it does not answer."""
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
        # Celery's Redis transport keeps priority sub-queues next to the main list.
        return sum(client.llen(name) for name in [queue] + [f"{queue}\x06\x16{p}" for p in (3, 6, 9)])
    except redis.RedisError:
        return None


def overdue_by_department(now=None) -> list[dict]:
    now = now or timezone.now()
    return list(
        Ticket.objects.filter(overdue_filter(now))
        .exclude(status=Status.SUBMITTED)
        .values("department__short_name")
        .annotate(
            overdue=Count("pk"),
            level1=Count("pk", filter=Q(escalation_level=1)),
            level2=Count("pk", filter=Q(escalation_level__gte=2)),
        )
        .order_by("-overdue", "department__short_name")
    )


def _age(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


class Command(BaseCommand):
    help = (
        "Print the depth of the routing and deferred-work queues, tickets waiting to be routed (and the oldest "
        "one's age), overdue counts."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        for label, queue in (
            ("routing", settings.CELERY_TASK_DEFAULT_QUEUE),
            ("emails, photos, exports", settings.DEFERRED_QUEUE),
        ):
            depth = queue_depth(queue)
            shown = "n/a (no Redis broker)" if depth is None else depth
            self.stdout.write(f"Queue depth, {label} (Redis '{queue}'): {shown}")
        confirmed, unconfirmed, oldest = waiting_tickets()
        age = f", oldest waiting {_age((now - oldest).total_seconds())}" if oldest else ""
        self.stdout.write(f"Waiting to be routed: {confirmed}{age}")
        self.stdout.write(f"Waiting for email confirmation: {unconfirmed}")
        rows = overdue_by_department(now)
        self.stdout.write(f"Overdue open tickets: {sum(r['overdue'] for r in rows)}")
        if rows:
            width = max(len(r["department__short_name"] or "-") for r in rows)
            self.stdout.write(f"  {'department'.ljust(width)}  overdue  level 1  level 2")
            for row in rows:
                name = (row["department__short_name"] or "-").ljust(width)
                self.stdout.write(f"  {name}  {row['overdue']:>7}  {row['level1']:>7}  {row['level2']:>7}")
