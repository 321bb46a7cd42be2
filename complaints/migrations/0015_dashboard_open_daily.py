"""The open queue per filing day for the department dashboard (PostgreSQL materialized view; nothing on SQLite).

``dashboard_ticket_open_daily``: per WITA filing day × department (0 = none) × open status, the open tickets and
how many of them are overdue, "now" being the refresh time as in the other roll-ups. The dashboard's "open
tickets by age and status" table and its "open now" and "overdue now" figures scanned every open ticket of the
department on each cold page (~34 ms of SQL at 1,000,000 tickets); the ages are whole WITA days
(``dashboards.queries.tickets.age_bucket``), so the view answers them exactly. Refreshed with the other
roll-ups by ``complaints.tasks.refresh_dashboard_rollups``.
"""

import importlib

from django.db import migrations

# The WITA filing day, the open condition and the PostgreSQL-only runner of the first roll-ups.
_daily = importlib.import_module("complaints.migrations.0005_dashboard_daily_rollup")
_run, DAY, OPEN = _daily._run, _daily.DAY, _daily.OPEN

VIEW = f"""
CREATE MATERIALIZED VIEW dashboard_ticket_open_daily AS
SELECT {DAY} AS day,
       coalesce(t.department_id, 0) AS department_id,
       t.status,
       count(*) AS open,
       count(*) FILTER (WHERE t.resolution_due_at < now()
                              OR (t.acknowledged_at IS NULL AND t.response_due_at < now())) AS overdue
FROM complaints_ticket t
WHERE {OPEN}
GROUP BY 1, 2, 3
"""

FORWARD = [
    VIEW,
    "CREATE UNIQUE INDEX dashboard_ticket_open_daily_key ON dashboard_ticket_open_daily (department_id, day, status)",
]
BACKWARD = ["DROP MATERIALIZED VIEW IF EXISTS dashboard_ticket_open_daily"]


class Migration(migrations.Migration):
    dependencies = [("complaints", "0014_dashboard_place_daily")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
