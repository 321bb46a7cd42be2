"""Per-department place counts for the department dashboard (PostgreSQL materialized view; nothing on SQLite).

``dashboard_ticket_place_daily``: per WITA filing day × department, tickets and open tickets per service
(``kind`` 'service') and per kelurahan (``kind`` 'area'); ``key_id`` is the service or kelurahan (0 = none).
Its "most reported services" and "tickets per kelurahan" tables scanned the department's tickets in range on
every cold page (~56 ms of SQL at 1,000,000 tickets); this view answers them from a few hundred rows. Refreshed
with the other roll-ups by ``complaints.tasks.refresh_dashboard_rollups``.
"""

import importlib

from django.db import migrations

# The WITA filing day, the open condition and the PostgreSQL-only runner of the first roll-ups.
_daily = importlib.import_module("complaints.migrations.0005_dashboard_daily_rollup")
_run, DAY, OPEN = _daily._run, _daily.DAY, _daily.OPEN

VIEW = f"""
CREATE MATERIALIZED VIEW dashboard_ticket_place_daily AS
SELECT {DAY} AS day,
       t.department_id,
       CASE WHEN GROUPING(t.service_id) = 0 THEN 'service' ELSE 'area' END AS kind,
       CASE WHEN GROUPING(t.service_id) = 0 THEN coalesce(t.service_id, 0) ELSE coalesce(t.area_id, 0) END AS key_id,
       count(*) AS total,
       count(*) FILTER (WHERE {OPEN}) AS open
FROM complaints_ticket t
WHERE t.department_id IS NOT NULL
GROUP BY GROUPING SETS (({DAY}, t.department_id, t.service_id), ({DAY}, t.department_id, t.area_id))
"""

FORWARD = [
    VIEW,
    "CREATE UNIQUE INDEX dashboard_ticket_place_daily_key ON dashboard_ticket_place_daily "
    "(department_id, day, kind, key_id)",
]
BACKWARD = ["DROP MATERIALIZED VIEW IF EXISTS dashboard_ticket_place_daily"]


class Migration(migrations.Migration):
    dependencies = [("complaints", "0013_duplicate_search_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
