"""What a set of notices adds up to, and the archive's sums kept per year, province and level.

Every count the reading room shows (notices, problems, measures, statuses, progress, the
figures notices state, problems by topic, days from inspection to publication) is a sum of
the notices' own columns (derive.Tally, derive.Stated, their dates), made by the three
passes below, in one way for every page, chart, CSV and API:

- sums(): counts and sums per key (SUMMED);
- topic_sums(): problems per key and topic;
- day_counts(): notices per key, span and number of days (the spans of timing.py).

Each pass reads either notice rows (any filtered set of notices) or GroupTally rows: the
same passes' results over the notices of one year, province and level, stored by the write
side (write.recount) so that a page over the whole archive, or compare by province, level
or year, sums some 550 rows instead of 20,000 notices and their 216,000 topic counts. Both
kinds of row carry the same column names, so a pass is the same query over either. The days
pass also reads DayTally rows: one for the archive and one for each year, province and level.
"""
from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

# What derive.Stated fills: each summed, and how many notices state it.
STATED = ("problems_reported", "measures_planned", "regulations_made", "money_recovered_yuan", "accountable")
PROGRESS = ("done", "in_progress", "unstated")  # models.Progress (tests/test_counts.py checks they agree)
# (key, label, from date, to date): days from one to the other, where a notice states both in order.
SPANS = (
    ("to_feedback", "巡察结束到反馈", "inspection_end", "feedback_date"),
    ("to_publish", "反馈到公布", "feedback_date", "publish_date"),
    ("overall", "巡察结束到公布", "inspection_end", "publish_date"),
)


def _notice_sums() -> dict:
    """sums()'s columns, as aggregates over notice rows."""
    out = {"notices": Count("pk"), "problems": Sum("problems_total"), "measures": Sum("measures_total"),
           "problems_done": Sum("problems_done"), "problems_in_progress": Sum("problems_in_progress")}
    out.update({f"progress_{p}": Count("pk", filter=Q(progress=p)) for p in PROGRESS})
    for key in STATED:
        out[f"stated_{key}_sum"], out[f"stated_{key}_n"] = Sum(f"stated_{key}"), Count(f"stated_{key}")
    return out


SUMMED = tuple(_notice_sums())


class GroupTally(models.Model):
    """The live notices of one publication year, province and level, their columns summed (see above).

    Derived data: set by write.recount only, never edited, not exported (import rebuilds it).
    """

    year = models.IntegerField(null=True)
    province = models.CharField(max_length=50, null=True)
    level = models.CharField(max_length=10, null=True)
    notice_ids = ArrayField(models.IntegerField(), default=list)  # which rows a write must recount
    notices = models.IntegerField(default=0)
    problems = models.IntegerField(default=0)
    measures = models.IntegerField(default=0)
    problems_done = models.IntegerField(default=0)
    problems_in_progress = models.IntegerField(default=0)
    progress_done = models.IntegerField(default=0)
    progress_in_progress = models.IntegerField(default=0)
    progress_unstated = models.IntegerField(default=0)
    stated_problems_reported_sum = models.BigIntegerField(null=True)
    stated_problems_reported_n = models.IntegerField(default=0)
    stated_measures_planned_sum = models.BigIntegerField(null=True)
    stated_measures_planned_n = models.IntegerField(default=0)
    stated_regulations_made_sum = models.BigIntegerField(null=True)
    stated_regulations_made_n = models.IntegerField(default=0)
    stated_money_recovered_yuan_sum = models.FloatField(null=True)
    stated_money_recovered_yuan_n = models.IntegerField(default=0)
    stated_accountable_sum = models.BigIntegerField(null=True)
    stated_accountable_n = models.IntegerField(default=0)
    problem_topics = models.JSONField(default=dict)  # topic slug -> problems
    days = models.JSONField(default=dict)  # span key -> {days: notices}

    class Meta:
        app_label = "notices"
        constraints = [models.UniqueConstraint(fields=["year", "province", "level"], nulls_distinct=False,
                                               name="group_tally_key")]
        indexes = [GinIndex(fields=["notice_ids"], name="group_tally_notice_ids")]

    def __str__(self) -> str:
        return f"{self.year} {self.province} {self.level}: {self.notices}"


class DayTally(models.Model):
    """How many live notices took each number of days, per span (SPANS), over the whole archive and
    over each year, province and level: the days pass of statistics and compare reads one row a
    side. (Summed from the groups', these would be some 14,000 (group, span, days) counts a page at
    20,000 notices, growing with the archive; one side's are a few hundred at most.)

    Derived data: set by write.recount only, with the change in its groups' days.
    """

    dimension = models.CharField(max_length=10)  # "archive", or the side compare chooses: year, province, level
    value = models.CharField(max_length=50, null=True)  # the year as text, province, level; "" for the archive
    days = models.JSONField(default=dict)  # span key -> {days: notices}

    class Meta:
        app_label = "notices"
        constraints = [models.UniqueConstraint(fields=["dimension", "value"], nulls_distinct=False,
                                               name="day_tally_key")]

    def __str__(self) -> str:
        return f"{self.dimension} {self.value}"


MARGINS = ("year", "province", "level")  # DayTally's dimensions besides the archive


def margins_of(group: tuple) -> list[tuple[str, str | None]]:
    """The DayTally rows a group of (year, province, level) counts in."""
    year, province, level = group
    return [("archive", ""), ("year", None if year is None else str(year)), ("province", province), ("level", level)]


def day_rows(notices: QuerySet, model: type[models.Model] = DayTally) -> list[models.Model]:
    """The unsaved DayTally rows of all these notices, counted from their rows."""
    rows: dict[tuple, models.Model] = {}
    keys = group_keys(notices)
    for dimension in ("archive", *MARGINS):
        by = {} if dimension == "archive" else {"value": keys[dimension]}
        for (*value, span, n_days), n in day_counts(notices, **by).items():
            text = "" if dimension == "archive" else None if value[0] is None else str(value[0])
            row = rows.setdefault((dimension, text), model(dimension=dimension, value=text))
            row.days.setdefault(span, {})[str(n_days)] = n
    return list(rows.values())


def group_keys(rows: QuerySet) -> dict:
    """The year, province and level of notice or GroupTally rows (their group), as expressions to group by."""
    year = F("year") if rows.model is GroupTally else ExtractYear("publish_date")
    return {"year": year, "province": F("province"), "level": F("level")}


def groups_of(notices: QuerySet) -> list[tuple]:
    """The (year, province, level) of every group these notices are in."""
    names = {f"group_{name}": key for name, key in group_keys(notices).items()}
    return list(notices.order_by().annotate(**names).values_list(*names).distinct())


def in_groups(groups: list[tuple], rows: str = "groups") -> Q:
    """The GroupTally rows of these groups (rows="groups"), or the notices in them (rows="notices")."""
    chosen = Q(pk__in=[])
    for year, province, level in groups:
        if rows == "groups":
            chosen |= Q(year=year, province=province, level=level)
        else:
            dated = Q(publish_date__year=year) if year is not None else Q(publish_date=None)
            chosen |= dated & Q(province=province, level=level)
    return chosen


def sums(rows: QuerySet, columns: tuple[str, ...] = SUMMED, **keys) -> dict[tuple, dict]:
    """(*values of `keys`) -> {column of SUMMED: its sum} over notice or GroupTally rows: one query.

    `columns`: those of SUMMED to sum (all unless given; "notices" always). A set without rows
    has no entry (with no keys: {} rather than {(): zeros})."""
    over = _notice_sums() if rows.model is not GroupTally else {name: Sum(name) for name in SUMMED}
    columns = ("notices", *(c for c in columns if c != "notices"))
    aggregates = {f"sum_{name}": over[name] for name in columns}  # a name may be a column's
    rows = rows.order_by()
    if not keys:
        found = rows.aggregate(**aggregates)
        return {(): {name: found[f"sum_{name}"] for name in columns}} if found["sum_notices"] else {}
    names = [f"key_{name}" for name in keys]
    grouped = rows.annotate(**dict(zip(names, keys.values()))).values(*names).annotate(**aggregates)
    return {tuple(r[n] for n in names): {name: r[f"sum_{name}"] for name in columns} for r in grouped}


def _wrapped(rows: QuerySet, keys: dict, columns: tuple[str, ...]) -> tuple[str, list, list[str]] | None:
    """The rows' own query, with its keys and `columns`, to wrap in SQL Django cannot write (None: it matches nothing)."""
    names = [f"key{i}" for i in range(len(keys))]
    inner = rows.order_by().annotate(**dict(zip(names, keys.values()))).values(*names, *columns)
    try:
        sql, params = inner.query.get_compiler(inner.db).as_sql()
    except EmptyResultSet:  # a filter no row can match (an empty list of ids)
        return None
    return sql, list(params), names


def _fetch(rows: QuerySet, query: str, params: list) -> dict[tuple, int]:
    with connections[rows.db].cursor() as cursor:
        cursor.execute(query, params)
        found = cursor.fetchall()
    # Raw SQL gives EXTRACT's numeric as a Decimal: the years every other count uses are ints.
    years = [i for i, value in enumerate(found[0][:-1]) if isinstance(value, Decimal)] if found else []
    if not years:
        return {row[:-1]: row[-1] for row in found}
    out = {}
    for row in found:
        key = list(row[:-1])
        for i in years:
            key[i] = None if key[i] is None else int(key[i])
        out[tuple(key)] = row[-1]
    return out


def topic_sums(rows: QuerySet, **keys) -> dict[tuple, int]:
    """(*values of `keys`, topic slug) -> problems, from the rows' problem_topics: one query.

    Each row's problem_topics is expanded in SQL (jsonb_each_text), which Django's ORM
    cannot join: the rows' own query is wrapped, so any filter on them holds.
    """
    wrapped = _wrapped(rows, keys, ("problem_topics",))
    if wrapped is None:
        return {}
    sql, params, names = wrapped
    grouped = "".join(f"n.{name}, " for name in names)
    return _fetch(rows, f"SELECT {grouped}t.key, sum(t.value::int) FROM ({sql}) n, "
                        f"jsonb_each_text(n.problem_topics) t GROUP BY {grouped}t.key", params)


def day_counts(rows: QuerySet, **keys) -> dict[tuple, int]:
    """(*values of `keys`, span key, days) -> notices, over the spans each notice states: one query."""
    stored = rows.model in (GroupTally, DayTally)
    wrapped = _wrapped(rows, keys, ("days",) if stored else ("inspection_end", "feedback_date", "publish_date"))
    if wrapped is None:
        return {}
    sql, params, names = wrapped
    grouped = "".join(f"n.{name}, " for name in names)
    if stored:
        query = (f"SELECT {grouped}s.key, d.key::int, sum(d.value::int) FROM ({sql}) n, jsonb_each(n.days) s, "
                 f"jsonb_each_text(s.value) d GROUP BY {grouped}s.key, d.key::int")
    else:  # a span is stated where both dates are, in order (PostgreSQL subtracts dates to whole days)
        spans = ", ".join(f"('{key}', n.{end} - n.{start})" for key, _, start, end in SPANS)
        query = (f"SELECT {grouped}s.span, s.days, count(*) FROM ({sql}) n, LATERAL (VALUES {spans}) s(span, days) "
                 f"WHERE s.days >= 0 GROUP BY {grouped}s.span, s.days")
    return _fetch(rows, query, params)


def group_rows(notices: QuerySet, model: type[models.Model] = GroupTally) -> list[models.Model]:
    """The unsaved GroupTally rows of these notices (all of each group they touch: the caller's filter).

    `model`: a migration's historical GroupTally."""
    keys = group_keys(notices)
    ids: dict[tuple, list[int]] = {}
    for *group, pk in notices.annotate(**{f"group_{k}": e for k, e in keys.items()}).values_list(
            *[f"group_{k}" for k in keys], "pk"):
        ids.setdefault(tuple(group), []).append(pk)
    rows = {group: model(year=group[0], province=group[1], level=group[2], notice_ids=sorted(ids[group]), **summed)
            for group, summed in sums(notices, **keys).items()}
    for (*group, slug), n in topic_sums(notices, **keys).items():
        rows[tuple(group)].problem_topics[slug] = n
    for (*group, span, days), n in day_counts(notices, **keys).items():
        rows[tuple(group)].days.setdefault(span, {})[str(days)] = n
    return list(rows.values())
