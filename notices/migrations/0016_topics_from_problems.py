"""Topics are recomputed by the rule of topics.py: a problem's from its heading (its category's
only when the heading names none), a notice's only those enough of its problems are about
(topics.of_notice), category headings left out. Before, a notice took every topic of every
issue's heading and category: on the five samples 10-15 topics each, two on all five.

The same computation as write.fill_tree and write.refresh_notice, over stored rows; only the
topic columns change (the search columns do not depend on topics).
"""
from django.db import migrations

BATCH = 500  # notices at a time


def recompute(apps, schema_editor):
    from notices import derive, topics

    Notice = apps.get_model("notices", "Notice")
    Issue = apps.get_model("notices", "Issue")
    Measure = apps.get_model("notices", "Measure")
    ids = list(Notice.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        issues = list(Issue.objects.filter(notice_id__in=batch)
                      .values_list("pk", "notice_id", "parent_id", "fold_text", "category", "topics"))
        with_measures = set(Measure.objects.filter(notice_id__in=batch).values_list("issue_id", flat=True))
        parents = {parent for _, _, parent, *_ in issues}
        changed, per_notice = [], {pk: [] for pk in batch}
        for pk, notice_id, _, folded, category, old in issues:
            new = topics.of_problem(folded, topics.fold_category(category))
            if new != old:
                changed.append(Issue(pk=pk, topics=new))
            if not derive.is_category_heading(pk in parents, pk in with_measures):
                per_notice[notice_id].append(new)
        Issue.objects.bulk_update(changed, ["topics"], batch_size=1000)
        notices = [Notice(pk=pk, topics=topics.of_notice(found)) for pk, found in per_notice.items()]
        Notice.objects.bulk_update(notices, ["topics"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("notices", "0015_notice_ocr")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
