"""The roll-ups count a paused clock as the staff queue does (PostgreSQL materialized views; nothing on SQLite).

An open ticket waiting for the citizen's answer (``Ticket.waiting_for_citizen_since``, migration 0026) has its
clock paused: it is overdue, and its SLA missed, only for a due date it had already missed when the wait began
(``complaints.queries.overdue_filter``; the wait's end moves the dates by the days waited). The views of 0005
(``dashboard_ticket_daily``: ``overdue``, ``response_missed``, ``resolution_missed``) and 0015
(``dashboard_ticket_open_daily``: ``overdue``) compared every due date with the refresh time, so a waiting ticket
went "overdue" on the dashboards while the queue's "Overdue only" left it out. Their due dates are now compared
with ``least(waiting since, now())`` (LEAST skips a NULL: ``now()`` on a running clock), as
``dashboards.queries.tickets.past_due`` does live.

The wait is read from the few waiting tickets (a hash join on ``ticket_waiting_citizen_idx``), not from the scanned
rows, so a refresh still reads the tickets off the covering indexes (``ticket_dashboard_cover_idx``,
``ticket_open_age_idx``) that hold no wait. Dropped and created again (a view's query cannot be altered), with the
unique indexes ``REFRESH ... CONCURRENTLY`` needs; created populated, so this migration costs one refresh of the two
views (README, "Backups and upgrades"). Reversing it restores the definitions of 0005 and 0015.
"""

import importlib

from django.db import migrations

_daily = importlib.import_module("complaints.migrations.0005_dashboard_daily_rollup")
_open_daily = importlib.import_module("complaints.migrations.0015_dashboard_open_daily")
_run, PUBLIC, DAY, OPEN = _daily._run, _daily.PUBLIC, _daily.DAY, _daily.OPEN
COUNTED_RESPONSE, COUNTED_RESOLUTION = _daily.COUNTED_RESPONSE, _daily.COUNTED_RESOLUTION

# The tickets whose clock is paused, and since when (few: read through the partial index of 0026). Only an open
# ticket waits: every step that takes it out of the department's hands ends the wait
# (``complaints.actions.deadlines.end_citizen_wait``), and a done ticket's dates are compared with its done time.
PAUSED = """
LEFT JOIN (SELECT p.id, p.waiting_for_citizen_since AS since FROM complaints_ticket p
           WHERE p.waiting_for_citizen_since IS NOT NULL) w ON w.id = t.id
"""
# The moment an open ticket's due dates are compared with: the refresh time, or when its clock stopped.
CLOCK = "least(w.since, now())"

DAILY = f"""
CREATE MATERIALIZED VIEW dashboard_ticket_daily AS
SELECT {DAY} AS day,
       coalesce(t.department_id, 0) AS department_id,
       {PUBLIC} AS public,
       count(*) AS total,
       count(*) FILTER (WHERE {OPEN}) AS open,
       count(*) FILTER (WHERE {OPEN} AND (t.resolution_due_at < {CLOCK}
                                           OR (t.acknowledged_at IS NULL AND t.response_due_at < {CLOCK}))) AS overdue,
       count(*) FILTER (WHERE t.status IN ('resolved', 'closed')) AS done,
       count(*) FILTER (WHERE t.status = 'rejected') AS rejected,
       count(*) FILTER (WHERE t.acknowledged_at IS NOT NULL) AS acknowledged_count,
       count(*) FILTER (WHERE t.resolved_at IS NOT NULL) AS resolved_count,
       count(*) FILTER (WHERE {COUNTED_RESPONSE} AND (
           (t.acknowledged_at IS NOT NULL AND t.acknowledged_at <= t.response_due_at)
           OR (t.acknowledged_at IS NULL AND t.resolved_at IS NOT NULL AND t.resolved_at <= t.response_due_at))
       ) AS response_met,
       count(*) FILTER (WHERE {COUNTED_RESPONSE} AND (
           (t.acknowledged_at IS NOT NULL AND t.acknowledged_at > t.response_due_at)
           OR (t.acknowledged_at IS NULL AND t.resolved_at IS NOT NULL AND t.resolved_at > t.response_due_at)
           OR (t.acknowledged_at IS NULL AND t.resolved_at IS NULL AND t.response_due_at < {CLOCK}))
       ) AS response_missed,
       count(*) FILTER (WHERE {COUNTED_RESOLUTION} AND t.resolved_at IS NOT NULL
                              AND t.resolved_at <= t.resolution_due_at) AS resolution_met,
       count(*) FILTER (WHERE {COUNTED_RESOLUTION} AND (
           (t.resolved_at IS NOT NULL AND t.resolved_at > t.resolution_due_at)
           OR (t.resolved_at IS NULL AND t.resolution_due_at < {CLOCK}))
       ) AS resolution_missed,
       count(*) FILTER (WHERE r.score = 1) AS rating_1,
       count(*) FILTER (WHERE r.score = 2) AS rating_2,
       count(*) FILTER (WHERE r.score = 3) AS rating_3,
       count(*) FILTER (WHERE r.score = 4) AS rating_4,
       count(*) FILTER (WHERE r.score = 5) AS rating_5,
       count(*) FILTER (WHERE e.ticket_id IS NOT NULL) AS reopened,
       count(*) FILTER (WHERE e.ticket_id IS NOT NULL AND t.resolved_at IS NULL) AS reopened_open,
       now() AS refreshed_at
FROM complaints_ticket t
LEFT JOIN complaints_rating r ON r.ticket_id = t.id
LEFT JOIN (SELECT DISTINCT ticket_id FROM complaints_ticketevent WHERE type = 'reopened') e ON e.ticket_id = t.id
{PAUSED}
GROUP BY 1, 2, 3
"""

OPEN_DAILY = f"""
CREATE MATERIALIZED VIEW dashboard_ticket_open_daily AS
SELECT {DAY} AS day,
       coalesce(t.department_id, 0) AS department_id,
       t.status,
       count(*) AS open,
       count(*) FILTER (WHERE t.resolution_due_at < {CLOCK}
                              OR (t.acknowledged_at IS NULL AND t.response_due_at < {CLOCK})) AS overdue
FROM complaints_ticket t
{PAUSED}
WHERE {OPEN}
GROUP BY 1, 2, 3
"""

DAILY_KEY = "CREATE UNIQUE INDEX dashboard_ticket_daily_key ON dashboard_ticket_daily (day, department_id, public)"
OPEN_DAILY_KEY = (
    "CREATE UNIQUE INDEX dashboard_ticket_open_daily_key ON dashboard_ticket_open_daily (department_id, day, status)"
)
DROP = [
    "DROP MATERIALIZED VIEW IF EXISTS dashboard_ticket_daily",
    "DROP MATERIALIZED VIEW IF EXISTS dashboard_ticket_open_daily",
]
FORWARD = [*DROP, DAILY, DAILY_KEY, OPEN_DAILY, OPEN_DAILY_KEY]
BACKWARD = [*DROP, _daily.DAILY, DAILY_KEY, _open_daily.VIEW, OPEN_DAILY_KEY]


class Migration(migrations.Migration):
    dependencies = [("complaints", "0026_ticket_waiting_for_citizen")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
