"""Insert many new rows with COPY: the write path of bulk ingest.

bulk_create composes one INSERT with a parameter per value; for the tens of thousands of
values in a batch of notices, Django and psycopg spend longer composing and quoting it
than PostgreSQL takes to store the rows. COPY streams them instead. Primary keys come
from the table's sequence first, so that children can point at their parents (a problem
at its notice, a measure at its problem) before anything is sent.
"""
from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections, models


def copy_insert(model: type[models.Model], objs: list[models.Model]) -> None:
    """Insert unsaved `objs` of `model`, giving each its primary key, as bulk_create would."""
    if not objs:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs a lookup per value
    meta = model._meta
    quote = connection.ops.quote_name
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, _next_ids(connection, meta.db_table, meta.pk.column, len(missing))):
        obj.pk = pk
    fields = meta.concrete_fields
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.wrap_database_errors, connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                obj._prepare_related_fields_for_save(operation_name="copy_insert")  # parent.pk -> parent_id
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _next_ids(connection, table: str, column: str, count: int) -> list[int]:
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [table, column, count])
        return [row[0] for row in cursor.fetchall()]
