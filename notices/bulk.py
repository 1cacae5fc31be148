"""Insert many new rows with COPY: the write path of bulk ingest.

bulk_create composes one INSERT with a parameter per value; for the tens of thousands of
values in a batch of notices, Django and psycopg spend longer composing and quoting it
than PostgreSQL takes to store the rows. COPY streams them instead. Primary keys come
from the table's sequence first, so that children can point at their parents (a problem
at its notice, a measure at its problem) before anything is sent.
"""
from __future__ import annotations

import operator
from typing import Any, Callable, Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models

# Fields whose database value is the attribute's own value: read them directly instead of
# through pre_save and get_db_prep_save, which cost more than the rest of a row together.
# Exact types only: a subclass may convert its values.
_PLAIN = {models.AutoField, models.BigAutoField, models.IntegerField, models.BigIntegerField,
          models.PositiveIntegerField, models.PositiveSmallIntegerField, models.SmallIntegerField,
          models.CharField, models.TextField, models.BooleanField}


def copy_insert(model: type[models.Model], objs: list[models.Model]) -> None:
    """Insert unsaved `objs` of `model`, giving each its primary key, as bulk_create would."""
    if not objs:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs a lookup per value
    meta = model._meta
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, next_ids(connection, model, len(missing))):
        obj.pk = pk
    fields = meta.concrete_fields
    values = [_reader(field, connection) for field in fields]
    copy_rows(model, [f.column for f in fields], ([value(obj) for value in values] for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows of database values, in the order of `columns`, which must name every column of the table."""
    expected = {f.column for f in model._meta.concrete_fields}
    if set(columns) != expected or len(columns) != len(expected):
        raise ValueError(f"COPY into {model._meta.db_table} needs exactly its columns; differing: "
                         f"{sorted(expected.symmetric_difference(columns))}")
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(map(quote, columns))
    with connection.wrap_database_errors, connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def array_literal(values: Iterable[str]) -> str:
    """A PostgreSQL array literal of text values, for COPY."""
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def _reader(field: models.Field, connection) -> Callable[[models.Model], Any]:
    """How to read `field`'s database value off an unsaved instance."""
    if type(field) in _PLAIN:
        return operator.attrgetter(field.attname)
    if type(field) is models.ForeignKey and type(field.target_field) in _PLAIN:
        attname, cached = field.attname, field.get_cached_value

        def related_id(obj):
            # A parent assigned before it had its id gives its id now, as
            # Model._prepare_related_fields_for_save would.
            value = getattr(obj, attname)
            if value is None and field.is_cached(obj) and (parent := cached(obj)) is not None:
                if parent.pk is None:
                    raise ValueError(f"{obj!r}: its {field.name} is not stored yet")
                value = parent.pk
                setattr(obj, attname, value)
            return value

        return related_id
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def next_ids(connection, model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys from the table's sequence."""
    if not count:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, count])
        return [row[0] for row in cursor.fetchall()]
