"""New rows of several tables in two round trips: their ids first, then every INSERT in one statement batch.

Filing a ticket writes a ticket, its reporter's subscription and its first event. Through ``save()`` that was
BEGIN, three INSERTs and COMMIT, each a round trip between a busy web worker and PostgreSQL. Here the ids come
from the tables' sequences in one SELECT, so each row can name the others, and the INSERTs the ORM compiles (once
per model, then kept) go to PostgreSQL as one batch. A batch sent outside a transaction runs as one implicit
transaction: all rows are written or none. Inside ``transaction.atomic()`` it is part of that transaction.

``save()`` is bypassed, and with it the pre_save/post_save signals: use this only for models that have no
receivers and no custom ``save()``. Other databases (SQLite) get plain ``save(force_insert=True)`` calls.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.sql import InsertQuery

# The sequence behind each table's id (a name that never changes while the process runs).
_sequences: dict[str, str] = {}


def _sequence(connection, model: type[Model]) -> str:
    table = model._meta.db_table
    if table not in _sequences:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
            _sequences[table] = cursor.fetchone()[0]
    return _sequences[table]


def assign_ids(*instances: Model) -> None:
    """Give new instances their ids from their tables' sequences, all in one SELECT (PostgreSQL only)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or not instances:
        return
    sequences = [_sequence(connection, type(obj)) for obj in instances]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["nextval(%s::regclass)"] * len(sequences)), sequences)
        ids = cursor.fetchone()
    for obj, new_id in zip(instances, ids, strict=True):
        obj.pk = new_id


def insert_rows(*instances: Model) -> None:
    """INSERT new instances, in this order, in one round trip (see the module's note); ids must be set."""
    # The connection itself, not the ``django.db.connection`` proxy: the compiler reads it a hundred times.
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        for obj in instances:
            obj.save(force_insert=True)
        return
    statements: list[str] = []
    params: list = []
    for obj in instances:
        if obj.pk is None:
            raise ValueError(f"{type(obj).__name__} has no id yet: call assign_ids() first")
        obj._prepare_related_fields_for_save(operation_name="insert_rows")
        sql, values = _insert_statement(connection, obj)
        statements.append(sql)
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute(";\n".join(statements), params)
    for obj in instances:
        obj._state.adding = False
        obj._state.db = connection.alias


# A model's one-row INSERT is the same text every time: compiling it was a third of a filing's ORM time (the
# ticket has 35 columns). Kept only when every column's placeholder is a plain %s; None: compile each time.
_insert_sql: dict[type[Model], str | None] = {}


def _insert_fields(model: type[Model]) -> list:
    return [f for f in model._meta.local_concrete_fields if not f.generated]


def _insert_statement(connection, obj: Model) -> tuple[str, list]:
    model = type(obj)
    fields = _insert_fields(model)
    sql = _insert_sql.get(model)
    if sql is not None:
        # What the compiler does for plain values: pre_save (which sets auto_now fields on the instance, as
        # save() does), then the field's conversion for the database. Expressions still go to the compiler.
        values = [field.pre_save(obj, True) for field in fields]
        if not any(hasattr(value, "resolve_expression") for value in values):
            return sql, [field.get_db_prep_save(value, connection) for field, value in zip(fields, values)]
    query = InsertQuery(model)
    query.insert_values(fields, [obj])
    [(sql, params)] = query.get_compiler(connection=connection).as_sql()
    if model not in _insert_sql:
        plain = "VALUES (" + ", ".join(["%s"] * len(fields)) + ")"
        _insert_sql[model] = sql if sql.endswith(plain) and len(params) == len(fields) else None
    return sql, list(params)
