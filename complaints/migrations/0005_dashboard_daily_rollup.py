"""Daily roll-ups of ticket counts for the dashboards (PostgreSQL materialized views; nothing on SQLite).

``dashboard_ticket_daily``: per WITA filing day × department (0 = none) × public flag, every additive count the
dashboards show (outcomes, SLA met/missed, ratings, reopenings). ``dashboard_ticket_area_daily``: per day ×
kelurahan × public flag, tickets and open tickets. "Now" in the SLA and overdue conditions is the refresh time,
stored in every row as ``refreshed_at``. Refreshed CONCURRENTLY by ``complaints.tasks.refresh_dashboard_rollups``;
the dashboards only read them (``dashboards.queries.rollup``), and compute live when they are empty or stale.
"""

from django.db import migrations

PUBLIC = (
    "(t.privacy IN ('public', 'anonymous') "
    "AND t.status IN ('routed', 'acknowledged', 'in_progress', 'resolved', 'closed', 'duplicate'))"
)
DAY = "(t.created_at AT TIME ZONE 'Asia/Makassar')::date"
OPEN = "t.status IN ('submitted', 'routed', 'acknowledged', 'in_progress')"
COUNTED_RESPONSE = "t.status NOT IN ('submitted', 'rejected', 'duplicate') AND t.response_due_at IS NOT NULL"
COUNTED_RESOLUTION = "t.status NOT IN ('submitted', 'rejected', 'duplicate') AND t.resolution_due_at IS NOT NULL"

DAILY = f"""
CREATE MATERIALIZED VIEW dashboard_ticket_daily AS
SELECT {DAY} AS day,
       coalesce(t.department_id, 0) AS department_id,
       {PUBLIC} AS public,
       count(*) AS total,
       count(*) FILTER (WHERE {OPEN}) AS open,
       count(*) FILTER (WHERE {OPEN} AND (t.resolution_due_at < now()
                                           OR (t.acknowledged_at IS NULL AND t.response_due_at < now()))) AS overdue,
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
           OR (t.acknowledged_at IS NULL AND t.resolved_at IS NULL AND t.response_due_at < now()))
       ) AS response_missed,
       count(*) FILTER (WHERE {COUNTED_RESOLUTION} AND t.resolved_at IS NOT NULL
                              AND t.resolved_at <= t.resolution_due_at) AS resolution_met,
       count(*) FILTER (WHERE {COUNTED_RESOLUTION} AND (
           (t.resolved_at IS NOT NULL AND t.resolved_at > t.resolution_due_at)
           OR (t.resolved_at IS NULL AND t.resolution_due_at < now()))
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
GROUP BY 1, 2, 3
"""

AREA = f"""
CREATE MATERIALIZED VIEW dashboard_ticket_area_daily AS
SELECT {DAY} AS day,
       t.area_id AS area_id,
       {PUBLIC} AS public,
       count(*) AS total,
       count(*) FILTER (WHERE {OPEN}) AS open
FROM complaints_ticket t
WHERE t.area_id IS NOT NULL
GROUP BY 1, 2, 3
"""

FORWARD = [
    DAILY,
    "CREATE UNIQUE INDEX dashboard_ticket_daily_key ON dashboard_ticket_daily (day, department_id, public)",
    AREA,
    "CREATE UNIQUE INDEX dashboard_ticket_area_daily_key ON dashboard_ticket_area_daily (day, area_id, public)",
]
BACKWARD = [
    "DROP MATERIALIZED VIEW IF EXISTS dashboard_ticket_area_daily",
    "DROP MATERIALIZED VIEW IF EXISTS dashboard_ticket_daily",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite (embedded mode): the dashboards compute live
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_dashboard_cover_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
