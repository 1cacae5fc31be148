"""The engines a deployer might pick instead of ours, on the same notices and queries (for bench_search).

- SQLite FTS5 with the trigram tokenizer (stdlib sqlite3; Datasette's route): a full-text
  index of every trigram. It answers words of three characters and more; shorter ones
  match nothing, silently.
- PostgreSQL's pg_trgm with a GIN trigram index (the route django.contrib.postgres offers):
  LIKE '%…%' that the index narrows for words of three characters and more.

Each peer holds each notice's folded title, agency and text (the columns substring truth
is taken on), loaded once from the benchmark archive and kept while the archive is
unchanged. Each answers a query the way bench_search times ours on equal work: the ids of
every match, and the first 20 in its own order (FTS5: bm25, a relevance order; pg_trgm: newest
first, the one order it can give). Ours is timed in both: by relevance, ranked by its words,
against FTS5; newest first, as the archive's 最新 sort lists them, against pg_trgm, where the
same matches give the same first 20 (the comparison says on how many queries they did).
Fielded terms search their column; problem: and measure: search the whole text (a superset).
"""
from __future__ import annotations

import inspect
import os
import sqlite3
import time
from pathlib import Path

COLUMNS = ("fold_title", "fold_agency", "fold_text")
FIELD_COLUMNS = {"title": ("fold_title",), "agency": ("fold_agency",)}
LOAD_BATCH = 500


def _rows(connection, start: int = 0):
    """(id, publish_date, title, agency, text) of every live notice, in batches, by id."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, publish_date, fold_title, fold_agency, fold_text FROM notices_notice "
                "WHERE id > %s AND deleted_at IS NULL ORDER BY id LIMIT %s", [start, LOAD_BATCH])
            batch = cursor.fetchall()
            if not batch:
                return
            yield batch
            start = batch[-1][0]


def backend_cpu(connection):
    """A function giving the CPU seconds that `connection`'s database backend has used so far (user
    and system, in the kernel's ticks: sum many queries), or 0.0 where it cannot be read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")

    def used() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a database on another machine
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return used


def archive_state(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id), max(updated_at) FROM notices_notice WHERE deleted_at IS NULL")
        return "|".join(str(v) for v in cursor.fetchone())


class Fts5:
    name = "FTS5 trigram"
    order = "relevance"

    def __init__(self, path: Path):
        self.path = path

    def cpu(self) -> float:
        """CPU seconds used so far by what answers: this process (SQLite runs inside it)."""
        return time.process_time()

    def load(self, connection, log) -> None:
        state = archive_state(connection)
        if self.path.exists():
            db = sqlite3.connect(self.path)
            try:
                if db.execute("SELECT value FROM meta WHERE key = 'state'").fetchone() == (state,):
                    self.db = db
                    return
            except sqlite3.Error:
                pass
            db.close()
            self.path.unlink()
        began = time.perf_counter()
        db = sqlite3.connect(self.path)
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE notice (id INTEGER PRIMARY KEY, day TEXT)")
        db.execute("CREATE VIRTUAL TABLE text USING fts5(title, agency, body, tokenize='trigram')")
        for batch in _rows(connection):
            db.executemany("INSERT INTO notice VALUES (?, ?)", [(r[0], str(r[1] or "")) for r in batch])
            db.executemany("INSERT INTO text (rowid, title, agency, body) VALUES (?, ?, ?, ?)",
                           [(r[0], r[2], r[3], r[4]) for r in batch])
        db.execute("INSERT INTO meta VALUES ('state', ?)", [state])
        db.commit()
        db.execute("VACUUM")
        self.db = db
        log(f"{self.name}: loaded in {time.perf_counter() - began:.0f} s, {self.path.stat().st_size / 1e6:.0f} MB")

    @staticmethod
    def expression(query) -> str | None:
        """The query in FTS5's syntax: each term a quoted phrase, in its column when fielded."""
        def term(t) -> str:
            phrase = '"' + t.folded.replace('"', '""') + '"'
            columns = {"title": "title", "agency": "agency"}.get(t.field or "")
            return f"{columns} : {phrase}" if columns else phrase

        clauses = ["(" + " OR ".join(term(t) for t in clause) + ")" for clause in query.clauses]
        if not clauses:
            return None
        return " AND ".join(clauses) + "".join(f" NOT {term(t)}" for t in query.excluded)

    def answer(self, query) -> tuple[set[int], list[int]]:
        expression = self.expression(query)
        if expression is None:
            return set(), []
        every = {row[0] for row in self.db.execute("SELECT rowid FROM text WHERE text MATCH ?", [expression])}
        first = [row[0] for row in self.db.execute(
            "SELECT rowid FROM text WHERE text MATCH ? ORDER BY rank LIMIT 20", [expression])]
        return every, first


class PgTrgm:
    name = "pg_trgm GIN"
    order = "date"

    def __init__(self, url: str):
        self.url = url

    def load(self, connection, log) -> None:
        import psycopg

        self.db = psycopg.connect(self.url, autocommit=True)
        self.backend = backend_cpu(self.db)
        self.db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        self.db.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        state = archive_state(connection)
        if self.db.execute("SELECT value FROM bench_meta WHERE key = 'state'").fetchone() == (state,):
            return
        began = time.perf_counter()
        self.db.execute("DROP TABLE IF EXISTS bench_notice")
        self.db.execute("CREATE TABLE bench_notice (id bigint PRIMARY KEY, publish_date date, "
                        "fold_title text, fold_agency text, fold_text text)")
        with self.db.cursor() as cursor, cursor.copy("COPY bench_notice FROM STDIN") as copy:
            for batch in _rows(connection):
                for row in batch:
                    copy.write_row(row)
        for column in COLUMNS:
            self.db.execute(f"CREATE INDEX ON bench_notice USING gin ({column} gin_trgm_ops)")
        self.db.execute("CREATE INDEX ON bench_notice (publish_date DESC, id DESC)")
        self.db.execute("VACUUM ANALYZE bench_notice")
        self.db.execute("INSERT INTO bench_meta VALUES ('state', %s) ON CONFLICT (key) DO UPDATE SET value = %s",
                        [state, state])
        size = self.db.execute("SELECT pg_size_pretty(pg_total_relation_size('bench_notice'))").fetchone()[0]
        log(f"{self.name}: loaded and indexed in {time.perf_counter() - began:.0f} s, {size}")

    def cpu(self) -> float:
        """CPU seconds used so far by this process and its database backend."""
        return time.process_time() + self.backend()

    @staticmethod
    def condition(query) -> tuple[str, list[str]]:
        def term(t) -> tuple[str, list[str]]:
            like = "%" + t.folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            columns = FIELD_COLUMNS.get(t.field or "", COLUMNS)
            return "(" + " OR ".join(f"{c} LIKE %s" for c in columns) + ")", [like] * len(columns)

        parts, params = [], []
        for clause in query.clauses:
            either = [term(t) for t in clause]
            parts.append("(" + " OR ".join(sql for sql, _ in either) + ")")
            params += [p for _, ps in either for p in ps]
        for t in query.excluded:
            sql, ps = term(t)
            parts.append(f"NOT {sql}")
            params += ps
        return " AND ".join(parts) or "true", params

    def answer(self, query) -> tuple[set[int], list[int]]:
        where, params = self.condition(query)
        every = {row[0] for row in self.db.execute(f"SELECT id FROM bench_notice WHERE {where}", params)}
        first = [row[0] for row in self.db.execute(
            f"SELECT id FROM bench_notice WHERE {where} ORDER BY publish_date DESC NULLS LAST, id DESC LIMIT 20",
            params)]
        return every, first


# --- the comparison ---------------------------------------------------------------------------

def ours(query, sort: str = "relevance") -> tuple[set[int], list[int]]:
    """Our engine on the same work: every match's id, and the first 20 in relevance order (or,
    with `sort` "date", newest first: every match in that order, one statement).

    The engine's own stages, composed for this work as the peers' two statements are: when the
    index counts at most RANK_LIMIT candidates, the web search's listing of them (every one
    ranked by jieba words, those the index did not confirm tested, in one statement); else the
    matches (candidates from the gram bag, verified) in the search's cheap order. The web
    search's first page (with facets and snippets) is timed by bench_search itself.
    """
    from notices.models import Notice
    from notices.search import index_scans, matching, ordered
    from notices import search
    from notices.search import candidates, rank  # where the search stops ranking by words, and what ranks
    from notices.search.plan import plan
    from notices.search.verify import verification
    from notices.search.sql import among, ids_of  # the ids as one array, as the search passes them

    with index_scans():
        if sort == "date":
            every = ids_of(ordered(matching(Notice.objects.all(), query), query, "date"))
            return set(every), every[:20]
        words = rank.ranking_terms(query) if hasattr(rank, "ranking_terms") else True  # (older checkouts)
        if words and hasattr(rank, "ranks_every") and rank.ranks_every(query, "relevance", search.candidate_count(Notice.objects.all(), query)):
            # At most RANK_LIMIT candidates, so matches, to be ranked by words
            if hasattr(candidates, "ranked_listing"):  # as the search lists them: in one statement, the unsure tested
                steps = plan(query, "notice")
                listing = candidates.ranked_listing(Notice.objects.all(), steps, query, rank.RANK_LIMIT,
                                                    verification(steps.residue, "notice"))
                if listing is not None:
                    every = [pk for pk in listing.first if pk not in listing.failed]
                    return set(every), every[:20]
            every = ids_of(matching(Notice.objects.all(), query).order_by())  # read in no order, then ranked
            return set(every), rank.ranked_ids(every, query)[:20] if len(every) > 1 else every
        every = ids_of(ordered(matching(Notice.objects.all(), query), query, "relevance", words=False))
        if 1 < len(every) <= rank.RANK_LIMIT and words and hasattr(rank, "ranked_ids"):
            every = rank.ranked_ids(every, query)
        elif 1 < len(every) <= rank.RANK_LIMIT and words:
            # (bench_first_page --vs may run this on a checkout from before `ranked`)
            known = {"ranked": len(every)} if "ranked" in inspect.signature(ordered).parameters else {}
            every = ids_of(ordered(Notice.objects.filter(among(every)), query, "relevance", **known))
    return set(every), every[:20]


def answerable_by_trigrams(query) -> bool:
    """Whether every term has three characters or more: the words a trigram index can look up."""
    terms = [t for clause in query.clauses for t in clause] + list(query.excluded)
    return bool(terms) and all(len(t.folded) >= 3 for t in terms)


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def compare(write, engines: list, queries: list[str], truths: dict[str, set[int]], repeat: int) -> None:
    """Time `engines` (ours first) on `queries`; print per query and overall p50/p95, recall and precision."""
    from notices.search import parse_query

    results = {e.name: {} for e in engines}
    firsts = {e.name: {} for e in engines}
    cpu = {e.name: {} for e in engines}  # CPU ms a query, the mean of its runs
    for raw in queries:
        query = parse_query(raw)
        for engine in engines:
            engine.answer(query)  # warm
            times = []
            used = engine.cpu()
            for _ in range(repeat):
                began = time.perf_counter()
                every, first = engine.answer(query)
                times.append((time.perf_counter() - began) * 1000)
            cpu[engine.name][raw] = (engine.cpu() - used) * 1000 / repeat
            truth = truths[raw]
            right = len(every & truth)
            results[engine.name][raw] = (sorted(times)[len(times) // 2], times, right, len(every), len(truth))
            firsts[engine.name][raw] = (every, first)

    write("\nPeers on equal work (every match's id and the first 20; no facets, no snippets):")
    write(f"{'query':<22}{'truth':>7}" + "".join(f"{e.name[:18]:>20}" for e in engines))
    for raw in queries:
        cells = []
        for engine in engines:
            p50, _, right, got, truth = results[engine.name][raw]
            recall = right / truth if truth else 1.0
            cells.append(f"{p50:>9.1f} ms r{recall:>5.2f}  ")
        write(f"{raw:<22}{results[engines[0].name][raw][4]:>7}" + "".join(f"{c:>20}" for c in cells))
    write(f"\n{'engine':<20}{'p50 ms':>9}{'p95 ms':>9}{'recall':>8}{'prec':>7}   (all {len(queries)} queries)")
    for engine in engines:
        rows = results[engine.name].values()
        times = [t for row in rows for t in row[1]]
        right, got, truth = (sum(row[i] for row in rows) for i in (2, 3, 4))
        write(f"{engine.name:<20}{_pct(times, .5):>9.1f}{_pct(times, .95):>9.1f}"
              f"{right / truth if truth else 1:>8.3f}{right / got if got else 1:>7.3f}")
    ours_in = {e.order: e.name for e in engines if isinstance(e, Ours)}
    for engine in (e for e in engines if not isinstance(e, Ours)):
        theirs = results[engine.name]
        name = ours_in.get(engine.order, engines[0].name)  # ours in this peer's kind of order
        our = results[name]
        if isinstance(engine, Fts5):
            longer = [raw for raw in queries if answerable_by_trigrams(parse_query(raw))]
            mine = _pct([our[r][0] for r in longer], .5)
            them = _pct([theirs[r][0] for r in longer], .5)
            missed = [raw for raw in queries if theirs[raw][4] and theirs[raw][2] == 0]
            write(f"vs {engine.name}: on the {len(longer)} queries of 3+ characters, p50 {mine:.1f} ms vs "
                  f"{them:.1f} ms ({mine / them:.1f}x theirs); it finds nothing for {len(missed)} queries "
                  f"that have matches: {' '.join(missed)}")
            mine, them = (sum(cpu[n][raw] for raw in longer) / len(longer) for n in (name, engine.name))
            write(f"  CPU a query on those {len(longer)} (the mean; ours: this process and its database backend, "
                  f"what waits between the two does not count): {mine:.1f} ms vs {them:.1f} ms ({mine / them:.1f}x theirs)")
        else:
            mine = _pct([t for row in our.values() for t in row[1]], .95)
            them = _pct([t for row in theirs.values() for t in row[1]], .95)
            worst = max(queries, key=lambda raw: our[raw][0] / theirs[raw][0])
            same = [raw for raw in queries if firsts[name][raw] == firsts[engine.name][raw]]
            write(f"vs {engine.name} ({name}): p95 {mine:.1f} ms vs {them:.1f} ms ({them / mine:.1f}x faster); slowest "
                  f"relative to it: {worst} at {our[worst][0] / theirs[worst][0]:.2f}x its time; the same matches "
                  f"and first 20 on {len(same)} of {len(queries)} queries, not on: "
                  f"{' '.join(raw for raw in queries if raw not in same) or '-'}")
            if name != engines[0].name:  # ours ranked by words, which this peer does not do
                ranked = results[engines[0].name]
                worst = max(queries, key=lambda raw: ranked[raw][0] / theirs[raw][0])
                write(f"  ours ranked by words instead: p95 {_pct([t for row in ranked.values() for t in row[1]], .95):.1f} ms"
                      f"; slowest relative to it: {worst} at {ranked[worst][0] / theirs[worst][0]:.2f}x its time")


class Ours:
    """Our engine on equal work, in the order of the peers it is compared with (`order`)."""

    def __init__(self, order: str = "relevance"):
        self.order = order
        self.name = "ours" if order == "relevance" else "ours, newest first"

    def answer(self, query):
        return ours(query, self.order)

    def cpu(self) -> float:
        """CPU seconds used so far by this process and its database backend."""
        from django.db import connection

        if not hasattr(self, "backend"):
            self.backend = backend_cpu(connection)
        return time.process_time() + self.backend()
