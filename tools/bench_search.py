"""Search latency, recall and precision at archive scale.

    .venv/bin/python tools/bench_search.py --notices N [--repeat 3] [--workers 2] [--rebuild]
                                           [--no-peers] [--peer-database postgres://...]

Builds (once) a synthetic archive of N notices (tools/synthetic.py) in its own database
(archive_bench by default, on the same server), then runs a fixed set of queries through
the real search path (first page, facet counts, snippets) and, in the same run, through a
plain ILIKE '%…%' baseline. Reports p50/p95 latency, the ratio to the baseline, and recall
and precision against substring truth. Then, on equal work (every match's id and the first
20), the engines a deployer might pick instead (tools/search_peers.py): SQLite FTS5 with
the trigram tokenizer, and pg_trgm with --peer-database URL (a PostgreSQL server that has
the extension; skipped otherwise), loaded with the same notices. Ours answers FTS5 by
relevance and pg_trgm newest first, each in the kind of order the peer gives. Numbers belong
in notes, never in tests.
"""
from __future__ import annotations

import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection, connections
from django.db.models import Exists, OuterRef, Q
from django.db.models.lookups import Lookup
from django.db.models import TextField
from django.http import QueryDict

QUERIES = [
    # single words, common to rare
    "整改", "工作", "巡察", "低保", "养老", "殡葬", "儿童", "资金", "彩票", "公墓", "社会组织",
    # phrases
    '"第一议题"', "三重一大", "一岗双责", "低保动态管理", "困境儿童", "民主生活会", "过紧日子", "“两个维护”",
    # two words, exclusions, OR
    "低保 动态", "养老 机构", "殡葬 改革", "党建 社会组织", "殡葬 -公墓", "养老 -机构", "低保 OR 特困",
    # agencies and fields
    "民政局", "人民法院", "agency:卫生健康委员会", "title:巡察组", "problem:低保", "measure:台账",
    # rare
    "僵尸站点", "快乐吧主题店", "红白理事会", "乡村振兴衔接资金", "山盟海誓品牌",
]


class ILike(Lookup):
    lookup_name = "bench_ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", lhs_params + rhs_params


TextField.register_lookup(ILike)


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def baseline_condition(query, level: str) -> Q:
    """The same query as plain ILIKE tests on the folded text: the substring truth."""
    from notices.models import Issue, Measure

    def term_q(term, unit_level):
        field = term.field or unit_level
        if field == "title":
            return Q(fold_title__bench_ilike=_like(term.folded))
        if field == "agency":
            return Q(fold_agency__bench_ilike=_like(term.folded))
        if field in ("problem", "measure"):
            model = Issue if field == "problem" else Measure
            return Q(Exists(model.objects.filter(notice=OuterRef("pk"), fold_text__bench_ilike=_like(term.folded))))
        return (Q(fold_text__bench_ilike=_like(term.folded)) | Q(fold_title__bench_ilike=_like(term.folded))
                | Q(fold_agency__bench_ilike=_like(term.folded)))

    condition = Q()
    for clause in query.clauses:
        either = Q()
        for term in clause:
            either |= term_q(term, None if level == "notice" else level)
        condition &= either
    for term in query.excluded:
        condition &= ~term_q(term, None if level == "notice" else level)
    return condition


def _ingest_worker(args):
    """Store a slice of the synthetic corpus through the archive's bulk write path, as `ingest` does."""
    start, count, sample_dir = args
    from notices.ingest import BATCH_SIZE, NewFile, bulk_loading, store_new_files
    from synthetic import generate  # tools/synthetic.py, next to this file

    close_old_connections()
    size, batch = 0, []
    with bulk_loading():
        for index, (name, data, parsed) in enumerate(generate(start + count, Path(sample_dir))):
            if index < start:
                continue
            batch.append(NewFile(data, name, "text/plain", parsed))
            size += len(data)
            if len(batch) == BATCH_SIZE:
                store_new_files(batch)
                batch = []
        if batch:
            store_new_files(batch)
    connections.close_all()
    return size


class Command(BaseCommand):
    help = "Benchmark search on a synthetic archive against a plain ILIKE baseline."

    def add_arguments(self, parser):
        parser.add_argument("--notices", type=int, default=2000)
        parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query")
        parser.add_argument("--workers", type=int, default=2, help="processes building the corpus")
        parser.add_argument("--database-name", default="archive_bench")
        parser.add_argument("--rebuild", action="store_true", help="drop the synthetic notices and build anew")
        parser.add_argument("--no-peers", action="store_true", help="skip the other engines (tools/search_peers.py)")
        parser.add_argument("--no-ilike", action="store_true",
                            help="skip timing ILIKE (substring truth is still taken, once per query)")
        parser.add_argument("--peer-database", help="postgres://... of a server with pg_trgm, for that peer")

    def handle(self, *args, notices, repeat, workers, database_name, rebuild, no_peers, peer_database, no_ilike,
               **options):
        self.use_database(database_name)
        from notices.models import Notice

        if rebuild:
            self.stdout.write("Dropping the old synthetic archive ...")
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE notices_measure, notices_issue, notices_notice, notices_sourcefile, "
                               "notices_agency RESTART IDENTITY CASCADE")
        have = Notice.objects.count()
        if have < notices:
            self.build(have, notices - have, workers)
        elif have > notices:
            self.stdout.write(f"The bench database holds {have} notices (more than {notices}); use --rebuild to resize.")
        self.report_sizes()
        truths = self.run_queries(repeat, ilike=not no_ilike)
        if not no_peers:
            self.run_peers(truths, repeat, database_name, peer_database)

    def run_peers(self, truths: dict, repeat: int, database_name: str, peer_database: str | None) -> None:
        """The same queries through SQLite FTS5 trigram and pg_trgm, loaded with the same notices."""
        import search_peers

        folder = Path(settings.BASE_DIR) / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        engines = [search_peers.Ours(), search_peers.Fts5(folder / f"fts5-{database_name}.sqlite3")]
        if peer_database:  # (compared with ours newest first: the order pg_trgm gives)
            engines[1:1] = [search_peers.Ours("date")]
            engines.append(search_peers.PgTrgm(peer_database))
        else:
            self.stdout.write("pg_trgm peer skipped: give --peer-database postgres://... (a server with pg_trgm, "
                              "such as Debian's postgresql package).")
        for engine in engines:
            if not isinstance(engine, search_peers.Ours):
                engine.load(connection, self.stdout.write)
        search_peers.compare(self.stdout.write, engines, QUERIES, truths, repeat)

    def use_database(self, name: str) -> None:
        connections.close_all()
        settings.DATABASES["default"]["NAME"] = name
        connections["default"].settings_dict["NAME"] = name
        if settings.DATABASES["default"]["ENGINE"] != "archive.embedded_postgres":
            import psycopg
            from psycopg import sql

            params = connections["default"].get_connection_params()
            params["dbname"] = "postgres"
            with psycopg.connect(**params, autocommit=True) as conn:
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        call_command("migrate", verbosity=0)
        self.stdout.write(f"Using database {name!r}.")

    def build(self, start: int, count: int, workers: int) -> None:
        sample_dir = str(Path(settings.BASE_DIR) / "samples")
        workers = max(1, workers)
        share = -(-count // workers)
        jobs = [(start + i * share, min(share, count - i * share), sample_dir) for i in range(workers) if count - i * share > 0]
        self.stdout.write(f"Building {count} synthetic notices with {len(jobs)} processes ...")
        connections.close_all()
        began = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
            sizes = pool.map(_ingest_worker, jobs)
        elapsed = time.perf_counter() - began
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        total = sum(sizes)
        self.stdout.write(f"Ingested {count} notices, {total / 1e6:.1f} MB of text in {elapsed:.1f} s: "
                          f"{total / 1e6 / elapsed:.2f} MB/s (tokenize + store + index)")

    def report_sizes(self) -> None:
        from notices.models import Issue, Measure, Notice

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
        self.stdout.write(f"Archive: {Notice.objects.count()} notices, {Issue.objects.count()} problems, "
                          f"{Measure.objects.count()} measures; database {size}")

    def run_queries(self, repeat: int, ilike: bool = True) -> dict[str, set[int]]:
        from notices.facets import facets
        from notices.filters import NoticeFilter
        from notices.models import Notice
        from notices.search import highlight, matching, parse_query, search, snippets

        def first_page(query, level):
            outcome = search(Notice.objects.all(), query, scope=level, per_page=20)
            facets(NoticeFilter, QueryDict(), Notice.objects.all(), outcome.restrict)
            terms = query.highlight_terms()
            for hit in outcome.hits:
                highlight(hit.notice.display_title, terms)
                for unit in hit.issues:
                    highlight(unit.unit.title, terms)
                for unit in hit.measures:
                    snippets(unit.unit.text, terms, limit=1)
                if not hit.issues and not hit.measures:  # as the result page does
                    snippets(hit.notice.text, terms, limit=2)
            return outcome

        def baseline_page(query, level):
            qs = Notice.objects.filter(baseline_condition(query, level)).only("id", "title", "publish_date")
            list(qs.order_by("-publish_date", "-id")[:20])
            qs.count()
            facets(NoticeFilter, QueryDict(), Notice.objects.all(),
                   lambda base, searched: (base.filter(baseline_condition(query, level)), 1.0, False))

        def timed(fn, *args):
            began = time.perf_counter()
            fn(*args)
            return (time.perf_counter() - began) * 1000

        rows, all_ours, all_base = [], [], []
        truths: dict[str, set[int]] = {}
        found = truth_total = correct = 0
        for raw in QUERIES:
            query = parse_query(raw)
            level = "notice"
            first_page(query, level)  # warm
            ours = [timed(first_page, query, level) for _ in range(repeat)]
            base = [timed(baseline_page, query, level) for _ in range(repeat)] if ilike else [float("nan")]
            truth = set(Notice.objects.filter(baseline_condition(query, level)).values_list("pk", flat=True))
            truths[raw] = truth
            got = set(matching(Notice.objects.all(), query, level).values_list("pk", flat=True))
            outcome = search(Notice.objects.all(), query, scope=level, per_page=20, with_hits=False)
            found += len(got)
            truth_total += len(truth)
            correct += len(got & truth)
            all_ours += ours
            all_base += base
            rows.append((raw, len(truth), outcome.total, outcome.estimated, statistics.median(ours), max(ours),
                         statistics.median(base), len(got & truth) / len(truth) if truth else 1.0,
                         len(got & truth) / len(got) if got else 1.0))
        self.stdout.write(f"\n{'query':<22}{'truth':>7}{'shown':>8}{'p50 ms':>9}{'max ms':>9}{'ILIKE ms':>10}{'×':>7}"
                          f"{'recall':>8}{'prec':>7}")
        for raw, truth_n, shown, est, p50, worst, base, recall, precision in rows:
            shown_s = f"~{shown}" if est else str(shown)
            self.stdout.write(f"{raw:<22}{truth_n:>7}{shown_s:>8}{p50:>9.1f}{worst:>9.1f}{base:>10.1f}"
                              f"{base / p50:>7.1f}{recall:>8.3f}{precision:>7.3f}")

        def pct(values, q):
            values = sorted(values)
            return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]

        p50, p95 = pct(all_ours, 0.5), pct(all_ours, 0.95)
        b50, b95 = pct(all_base, 0.5), pct(all_base, 0.95)
        recall = correct / truth_total if truth_total else 1.0
        precision = correct / found if found else 1.0
        self.stdout.write(
            f"\nsummary: notices={Notice.objects.count()} queries={len(QUERIES)} runs={repeat} "
            f"p50={p50:.1f}ms p95={p95:.1f}ms ilike_p50={b50:.1f}ms ilike_p95={b95:.1f}ms "
            f"speedup_p50={b50 / p50:.1f}x speedup_p95={b95 / p95:.1f}x recall={recall:.4f} precision={precision:.4f}"
        )
        return truths


def main() -> None:
    sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # the checkout this file is in
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")
    import django

    django.setup()
    Command().run_from_argv([sys.argv[0], "bench_search", *sys.argv[1:]])


if __name__ == "__main__":
    main()
