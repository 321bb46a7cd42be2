"""Staff queue at volume: a full-text index for the text search and a due-date index that checks date ranges.

The GIN index is PostgreSQL-only (SQLite searches with LIKE and has nothing to index). Its expression
must stay identical to ``complaints.queries.SEARCH_DOCUMENT`` or PostgreSQL will not use it
(tests/staff/test_queue_search.py checks the plan).
"""

from django.conf import settings
from django.db import migrations, models

SEARCH_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS ticket_search_idx ON complaints_ticket USING gin "
    "(to_tsvector('simple'::regconfig, COALESCE(reference, '') || ' ' || COALESCE(title, '') || ' ' "
    "|| COALESCE(description, '')))"
)


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_INDEX_SQL)
        # Word frequencies for the planner: a common word is read off the due-date walk, a rare one off the index.
        schema_editor.execute("ANALYZE complaints_ticket")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_search_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0010_field_labels"),
        ("open311", "0002_field_labels"),
        ("services", "0002_field_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["department", "resolution_due_at", "id", "created_at"], name="ticket_dept_due_created_idx"
            ),
        ),
        migrations.RemoveIndex(
            model_name="ticket",
            name="ticket_dept_due_idx",
        ),
        migrations.RunPython(create_search_index, drop_search_index, elidable=False),
    ]
