"""ORM pieces the search stages share: tsquery matches, id arrays, substring tests, the
planner settings a search runs under, and a queryset's rows as SQL to write statements on (Rows)."""
from __future__ import annotations

import array
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BigIntegerField, BooleanField, F, Func, IntegerField, Lookup, QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.db.models.lookups import Contains, Exact, LessThan


class TsQuery(Func):
    """A tsquery literal built by tokenize.py (never re-parsed by to_tsquery)."""

    template = "%(expressions)s::tsquery"
    output_field = BooleanField()  # only ever used inside Matches/Rank


class OpaqueTsQuery(TsQuery):
    """A tsquery literal the planner cannot read: `(SELECT '…'::tsquery)`, a parameter known only
    when the statement runs. The planner then takes the index's match for a small share of rows
    and intersects it with another index's range (a BitmapAnd); knowing that a broad word is in
    every bag, it would rather test the bag of each row of the range, a TOASTed 28 KB each."""

    template = "(SELECT %(expressions)s::tsquery)"


class Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, column, literal: str, opaque: bool = False):
        """`column`: a tsvector column's name, or an expression giving one (models.UnitGrams);
        `opaque`: hide the literal from the planner (OpaqueTsQuery)."""
        query = (OpaqueTsQuery if opaque else TsQuery)(Value(literal))
        super().__init__(F(column) if isinstance(column, str) else column, query)


class AnyOf(Lookup):
    """`pk = ANY(array)`: a long list of ids as one parameter (IN takes one per id, and Django
    and psycopg spend milliseconds on thousands of them). A condition of its own (among()),
    registered on no field."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, id_array_literal(self.rhs)]


def id_array_literal(ids) -> str:
    """Ids as PostgreSQL's array literal: psycopg adapts a list element by element (2 ms for 1,000 ids)."""
    return "{" + ",".join(map(str, ids)) + "}"


class IdArray(array.array):
    """Ids as one value: the ORM walks a list item by item, looking for expressions in it."""

    def __new__(cls, ids):
        return super().__new__(cls, "q", ids)


def among(ids) -> AnyOf:
    """The rows whose primary key is one of `ids`, as a filter() condition."""
    return AnyOf(F("pk"), IdArray(ids))


def in_order_of(ids) -> Func:
    """An order_by() term that lists rows in the order of `ids` (one array value, as among() passes them)."""
    array = Cast(Value(id_array_literal(ids)), output_field=ArrayField(BigIntegerField()))
    return Func(array, F("pk"), function="array_position", output_field=IntegerField())


def contains(column: str, folded: str):
    if column == "fold_text":  # long text: see _bytes_before
        return LessThan(_bytes_before(column, folded), _bytes(F(column)))
    return Contains(F(column), folded)  # short columns: LIKE costs a fraction of the setup of a search


def absent(column: str, folded: str) -> Exact:
    return Exact(_bytes_before(column, folded), _bytes(F(column)))


def _bytes_before(column: str, folded: str) -> Func:
    """How many bytes of the text come before the first occurrence of `folded` (all of them
    without one): whether the text holds it, fewer.

    split_part finds the term as strpos does (a skip-table search, faster than LIKE on long
    text), then copies the bytes before it; strpos counts the characters before it instead,
    which in a text of multibyte characters costs more than the search: 僵尸站点's 4,564
    unverified candidates took 111 ms with strpos, 73 with this (low load, the best of 9).
    octet_length of the column itself reads its stored size, not the text."""
    return _bytes(Func(F(column), Value(folded), Value(1), function="split_part", output_field=TextField()))


def _bytes(text) -> Func:
    return Func(text, function="octet_length", output_field=IntegerField())


@contextmanager
def index_scans(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the enclosed queries with sequential scans of big tables discouraged.

    The gram bag is a large TOASTed value: testing it row by row (a sequential scan)
    reads every notice's bag, while the GIN index answers without reading any (bag
    queries never need a recheck). PostgreSQL's planner does not know that difference
    and picks the sequential scan for common words; this puts it right, for the enclosed
    statements only.

    The settings travel with each statement, in the same message. Outside a transaction such a
    message is a transaction of its own, which they last for, so a search opens none: BEGIN
    and COMMIT cost a round trip each, on a busy machine a wait for the database process to be
    scheduled (as a statement of their own would). Each statement already sees the data as
    of its own start, inside a transaction or not (READ COMMITTED). Within a caller's
    transaction the settings last until it ends, so they are reset when the block does.
    """
    connection = connections[using]  # a replica, for a reader's search (archive/replicas.py)
    nested = connection.in_atomic_block
    ran, own = [], []  # whether a statement ran; set while the settings' own statements run

    def run(sql: str) -> None:
        own.append(True)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            own.clear()

    def with_settings(execute, sql, params, many, context):
        if own:
            return execute(sql, params, many, context)
        ran.append(True)
        if not (many or getattr(context["cursor"].cursor, "name", None)):
            result = execute(f"{_SETTINGS_SQL}; {sql}", params, many, context)
            context["cursor"].cursor.nextset()  # past the settings' row, to the statement's own result
            return result
        # A server-side cursor takes one statement: the settings go before it, for its plan.
        if connection.in_atomic_block:
            run(_SETTINGS_SQL)
            return execute(sql, params, many, context)
        run(_SESSION_SETTINGS_SQL)
        try:
            return execute(sql, params, many, context)
        finally:
            run(_RESET_SQL)

    with connection.execute_wrapper(with_settings):
        yield
    if nested and ran:  # SET LOCAL lasts until the outer transaction ends: end it here
        run(_RESET_SQL)


SEARCH_SETTINGS = {
    "enable_seqscan": "off",
    "work_mem": "32MB",  # facet hashing over thousands of agencies
    "jit": "off",  # compiling costs more than these short queries take
    # Reading 20,000 candidate rows takes a third less time with a second process; the
    # planner's default costs only allow that for far longer queries. Small scans stay serial
    # (min_parallel_table_scan_size).
    "parallel_setup_cost": "0",
    "parallel_tuple_cost": "0",
    # ...but not for an append of the two halves of a candidate list (candidates._part_conditions):
    # the planner's estimates of a bag query are tiny, and starting workers for a hundred rows
    # cost 10 ms.
    "enable_parallel_append": "off",
}


def _settings_sql(local: bool) -> str:
    """The statement that sets SEARCH_SETTINGS, for the transaction (`local`) or the session."""
    return "SELECT " + ", ".join(f"set_config('{name}', '{value}', {str(local).lower()})"
                                 for name, value in SEARCH_SETTINGS.items())


_SETTINGS_SQL, _SESSION_SETTINGS_SQL = _settings_sql(local=True), _settings_sql(local=False)
_RESET_SQL = "; ".join(f"RESET {name}" for name in SEARCH_SETTINGS)


def compiled_sql(qs: QuerySet) -> tuple[str, tuple] | None:
    """The SQL of `qs` and its parameters, or None when Django knows it selects nothing."""
    try:
        return qs.query.sql_with_params()
    except EmptyResultSet:
        return None


@dataclass(frozen=True)
class Rows:
    """The rows of a queryset as SQL to write statements on: its FROM clause and WHERE condition,
    compiled once (Rows.of).

    A listing's statements select the same rows under a few conditions each. Composed with the
    ORM, each was a queryset built and compiled anew, and that took more Python than PostgreSQL
    took to run them (a search for 人民法院: 8,000 Python calls, a third of its time; 2,200 now)."""

    table: str  # the quoted name the FROM clause gives the model's table
    source: str  # the FROM clause's tables and joins
    where: str  # a condition, "true" when none
    params: tuple  # those of `source`, then those of `where`
    empty: bool = False  # Django knows the queryset selects nothing

    @classmethod
    def of(cls, qs: QuerySet) -> Rows:
        """`qs`'s rows: those of a filtered model queryset (its columns, order and annotations do not
        matter; a slice, DISTINCT or a combination of querysets cannot be written so)."""
        if qs.query.is_sliced or qs.query.distinct or qs.query.combinator:
            raise TypeError("Rows.of takes a filtered queryset, not a slice, DISTINCT or combination")
        query = qs.query.chain()
        alias = query.get_initial_alias()  # (the FROM clause lists the tables a query refers to: this one too)
        compiler = query.get_compiler(qs.db)
        source, source_params = compiler.get_from_clause()
        table = compiler.quote_name_unless_alias(alias)
        try:
            where, where_params = compiler.compile(query.where)
        except FullResultSet:
            where, where_params = "true", []
        except EmptyResultSet:
            return cls(table, " ".join(source), "false", tuple(source_params), empty=True)
        return cls(table, " ".join(source), where, (*source_params, *where_params))

    def select(self, columns: str, condition: str = "true", params=(), column_params=()) -> tuple[str, list]:
        """A SELECT of `columns` (taking `column_params`) from these rows that meet `condition` too
        (taking `params`)."""
        return (f"SELECT {columns} FROM {self.source} WHERE ({self.where}) AND ({condition})",
                [*column_params, *self.params, *params])


def ids_of(qs: QuerySet) -> list[int]:
    """The primary keys of `qs` in its order, as one array value: without a row, nor a Python
    object per row, for each (there may be 20,000: 1.3 ms of client CPU instead of 3.5)."""
    compiled = compiled_sql(qs.values_list("pk", flat=True))
    if compiled is None:
        return []
    with connections[qs.db].cursor() as cursor:
        cursor.execute(f"SELECT ARRAY({compiled[0]})", compiled[1])
        return cursor.fetchone()[0]
