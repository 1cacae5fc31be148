"""python manage.py search QUERY : the web search's engine, in the terminal."""
from __future__ import annotations

import argparse
import json
import re

from django.core.management.base import BaseCommand

from notices.models import Notice
from notices.search import SCOPES, SORTS, highlight, parse_query, search, snippets


def _plain(marked: str, terminal: bool) -> str:
    if terminal:
        marked = marked.replace("<mark>", "\033[1;31m").replace("</mark>", "\033[0m")
    else:
        marked = marked.replace("<mark>", "【").replace("</mark>", "】")
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", marked))


class Command(BaseCommand):
    help = 'Search the archive: words, "phrases", -exclusions, OR, agency:/title:/problem:/measure: fields.'

    def run_from_argv(self, argv):
        # "-公墓" is an exclusion, not an option: move every word that is not one of the
        # command's own options behind "--" so that argparse leaves it alone.
        parser = self.create_parser(argv[0], argv[1])
        options, words, rest = [], [], iter(argv[2:])
        for arg in rest:
            name = arg.split("=", 1)[0]
            action = parser._option_string_actions.get(name)
            if action is None:
                words.append(arg)
                continue
            options.append(arg)
            if action.nargs != 0 and "=" not in arg:
                options.append(next(rest, ""))
        super().run_from_argv(argv[:2] + options + ["--"] + words)

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="+")
        parser.add_argument("--scope", choices=SCOPES, default="notice",
                            help="where all the words must occur together (default: anywhere in a notice)")
        parser.add_argument("--level", choices=SCOPES, dest="scope", help=argparse.SUPPRESS)  # its old name
        parser.add_argument("--sort", choices=SORTS, default="relevance")
        parser.add_argument("--limit", type=int, default=10, help="notices to show (default 10)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="one JSON object per notice")
        parser.add_argument("--words", action="store_true", dest="whole_words",
                            help="only matches where every term is a whole word (按词匹配)")

    def handle(self, *args, query, scope, sort, limit, as_json, whole_words, **options):
        parsed = parse_query(" ".join(query))
        outcome = search(Notice.objects.all(), parsed, scope=scope, sort=sort, per_page=max(1, min(limit, 500)),
                         whole_words=whole_words)
        terms = parsed.highlight_terms()
        terminal = self.stdout.isatty() and not as_json
        if not as_json:
            about = "about " if outcome.estimated else ""
            self.stdout.write(f"{about}{outcome.total} notices match {parsed.raw!r} in scope {scope}")
        for hit in outcome.hits:
            notice = hit.notice
            if as_json:
                self.stdout.write(json.dumps({
                    "id": notice.pk,
                    "title": notice.display_title,
                    "agency": notice.agency_name,
                    "publish_date": notice.publish_date.isoformat() if notice.publish_date else None,
                    "problems": [{"id": u.unit.pk, "label": u.unit.label, "title": u.unit.title} for u in hit.issues],
                    "measures": [{"id": u.unit.pk, "issue_id": u.unit.issue_id, "label": u.unit.label,
                                  "text": u.unit.text} for u in hit.measures],
                }, ensure_ascii=False))
                continue
            date = notice.publish_date.isoformat() if notice.publish_date else "----------"
            self.stdout.write(f"\n[{notice.pk}] {date} {_plain(highlight(notice.display_title, terms), terminal)}")
            for unit in hit.issues:
                self.stdout.write(f"   问题 {unit.unit.label or ''} {_plain(highlight(unit.unit.title, terms), terminal)}")
            for unit in hit.measures:
                self.stdout.write(f"   措施 {_plain(snippets(unit.unit.text, terms, limit=1)[0] if terms else unit.unit.text, terminal)}")
            if not hit.issues and not hit.measures and terms:
                for snippet in snippets(notice.text, terms, limit=2):
                    self.stdout.write(f"   原文 {_plain(snippet, terminal)}")
