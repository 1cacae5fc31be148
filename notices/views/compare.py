"""Compare two to six agencies, provinces, levels or years side by side, as a page and as CSV."""
from __future__ import annotations

from django.db.models import Count, F
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import counts
from ..counts import GroupTally
from ..models import Level, Notice
from ..opendata.caching import while_archive_unchanged
from ..opendata.csv_download import csv_chunks
from ..presentation.compare import DIMENSIONS, MAX_SIDES, CompareError, build_comparison, chosen_sides, csv_rows

CHOICES_SHOWN = 40  # per dimension on the chooser, most notices first


def _choices() -> list[tuple[str, str, list[tuple[str, str, int]]]]:
    """(parameter, what, [(value, label, notices)]) for the chooser form."""
    labels = dict(Level.choices)
    out = []
    for name in ("province", "level", "year", "agency"):
        if name == "agency":  # thousands of them: the most frequent chosen by the database, from an index alone
            rows = list(Notice.objects.order_by().exclude(agency_name=None).values_list("agency_name")
                        .annotate(n=Count("*")).order_by("-n", "agency_name")[:CHOICES_SHOWN])
        else:  # from the sums the write side keeps per year, province and level
            counted = counts.sums(GroupTally.objects.exclude(**{name: None}), value=F(name))
            rows = sorted(((value, s["notices"]) for (value,), s in counted.items()), key=lambda r: (-r[1], r[0]))
            rows = rows[:CHOICES_SHOWN]
        top = sorted(rows, key=lambda r: (-r[1], str(r[0])))
        if name in ("year", "level"):
            order = list(labels) if name == "level" else None
            top.sort(key=lambda r: order.index(r[0]) if order else -r[0])
        values = [(str(v), labels.get(v, f"{v}年" if name == "year" else str(v)), n) for v, n in top]
        out.append((name, DIMENSIONS[name], values))
    return out


@require_GET
def compare(request: HttpRequest):
    context = {"max_sides": MAX_SIDES}
    try:
        chosen = chosen_sides(request.GET)
    except CompareError as exc:
        chosen, context["error"] = None, str(exc)
    if chosen is not None:
        name, values = chosen
        context["comparison"] = while_archive_unchanged(f"compare?{name}={'|'.join(values)}",
                                                        lambda: build_comparison(name, values))
        context["csv_query"] = request.GET.urlencode()
    else:
        context["choices"] = _choices()
    return render(request, "notices/compare.html", context, status=400 if "error" in context else 200)


@require_GET
def compare_csv(request: HttpRequest):
    try:
        chosen = chosen_sides(request.GET)
    except CompareError as exc:
        return render(request, "notices/compare.html", {"error": str(exc), "choices": _choices()}, status=400)
    if chosen is None:
        return render(request, "notices/compare.html", {"error": "请先选择要比较的对象。", "choices": _choices()},
                      status=400)
    name, values = chosen
    header, *rows = csv_rows(while_archive_unchanged(f"compare?{name}={'|'.join(values)}",
                                                     lambda: build_comparison(name, values)))
    response = StreamingHttpResponse(csv_chunks(header, iter(rows)), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="compare-{chosen[0]}-{stamp}.csv"'
    return response
