"""Medians of the dashboards' default window, computed at each roll-up refresh (PostgreSQL only).

``dashboard_window_medians``: for the default date range as of the refresh (the last 182 WITA days, today
included; the window is stored in ``date_from``/``date_to`` and the dashboards use a row only when their
filters ask for exactly that window), the median seconds to verify and to resolve, per department and overall
(``overall``), over all tickets (``scope`` 'all') and over the public ones ('public'). Refreshed with the
daily roll-ups by ``complaints.tasks.refresh_dashboard_rollups``.
"""

from django.db import migrations

PUBLIC = (
    "(t.privacy IN ('public', 'anonymous') "
    "AND t.status IN ('routed', 'acknowledged', 'in_progress', 'resolved', 'closed', 'duplicate'))"
)
MEDIANS = """
    percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (acknowledged_at - created_at)))
        FILTER (WHERE acknowledged_at IS NOT NULL) AS acknowledge,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (resolved_at - created_at)))
        FILTER (WHERE resolved_at IS NOT NULL) AS resolve
"""

VIEW = f"""
CREATE MATERIALIZED VIEW dashboard_window_medians AS
WITH w AS (
    SELECT (now() AT TIME ZONE 'Asia/Makassar')::date - 181 AS date_from,
           (now() AT TIME ZONE 'Asia/Makassar')::date AS date_to
), windowed AS (
    SELECT t.department_id, {PUBLIC} AS public, t.created_at, t.acknowledged_at, t.resolved_at
    FROM complaints_ticket t, w
    WHERE t.created_at >= (w.date_from::timestamp AT TIME ZONE 'Asia/Makassar')
      AND t.created_at < ((w.date_to + 1)::timestamp AT TIME ZONE 'Asia/Makassar')
)
SELECT 'all'::text AS scope, GROUPING(department_id) = 1 AS overall, coalesce(department_id, 0) AS department_id,
       {MEDIANS}, (SELECT date_from FROM w) AS date_from, (SELECT date_to FROM w) AS date_to
FROM windowed GROUP BY GROUPING SETS ((department_id), ())
UNION ALL
SELECT 'public'::text, GROUPING(department_id) = 1, coalesce(department_id, 0),
       {MEDIANS}, (SELECT date_from FROM w), (SELECT date_to FROM w)
FROM windowed WHERE public GROUP BY GROUPING SETS ((department_id), ())
"""

FORWARD = [
    VIEW,
    "CREATE UNIQUE INDEX dashboard_window_medians_key ON dashboard_window_medians (scope, overall, department_id)",
]
BACKWARD = ["DROP MATERIALIZED VIEW IF EXISTS dashboard_window_medians"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite (embedded mode): the dashboards compute live
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_queue_city_indexes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
