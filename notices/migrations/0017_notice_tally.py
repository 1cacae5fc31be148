"""Each notice keeps its counts (derive.Tally: problems, measures, problems by status and by topic)
and the figures it states as numbers (derive.Stated), so the reading room's pages sum notice
columns instead of grouping every problem and measure or reading every notice's figures JSON;
an index on agency_name for comparing agencies, and one on live notices' ids so that the
archive's fingerprint (on every page) counts them from the index instead of scanning the table.
The tally is the same computation as write.refresh_notice, over stored rows; only the new
columns are written.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count

BATCH = 500  # notices at a time
TALLY = ("problems_total", "measures_total", "problems_done", "problems_in_progress", "problem_topics",
         "stated_problems_reported", "stated_measures_planned", "stated_regulations_made",
         "stated_money_recovered_yuan", "stated_accountable")


def fill(apps, schema_editor):
    from notices import derive

    Notice = apps.get_model("notices", "Notice")
    Issue = apps.get_model("notices", "Issue")
    Measure = apps.get_model("notices", "Measure")
    figures = dict(Notice._base_manager.order_by("pk").values_list("pk", "figures"))
    ids = list(figures)
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        issues = list(Issue.objects.filter(notice_id__in=batch).values_list("pk", "notice_id", "parent_id", "topics",
                                                                            "status"))
        measures = dict(Measure.objects.filter(notice_id__in=batch).values_list("issue_id").annotate(n=Count("pk"))
                        .order_by())
        parents = {parent for _, _, parent, *_ in issues}
        problems, measure_counts = {pk: [] for pk in batch}, dict.fromkeys(batch, 0)
        for pk, notice_id, _, topics, status in issues:
            heading = derive.is_category_heading(pk in parents, pk in measures)
            problems[notice_id].append(derive.StoredProblem("", topics, status, not heading))
            measure_counts[notice_id] += measures.get(pk, 0)
        notices = [Notice(pk=pk, **derive.tally(problems[pk], measure_counts[pk])._asdict(),
                          **derive.stated(figures[pk] or {})._asdict()) for pk in batch]
        Notice._base_manager.bulk_update(notices, TALLY, batch_size=BATCH)



class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0016_topics_from_problems'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='notice',
            name='measures_total',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='整改措施数'),
        ),
        migrations.AddField(
            model_name='notice',
            name='problems_total',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='问题数'),
        ),
        migrations.AddField(
            model_name='notice',
            name='problem_topics',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name='notice',
            name='problems_done',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='notice',
            name='problems_in_progress',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(fields=['agency_name'], name='notices_not_agency__d29584_idx'),
        ),
        migrations.AddField(
            model_name='notice',
            name='stated_problems_reported',
            field=models.IntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='notice',
            name='stated_measures_planned',
            field=models.IntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='notice',
            name='stated_regulations_made',
            field=models.IntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='notice',
            name='stated_money_recovered_yuan',
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='notice',
            name='stated_accountable',
            field=models.IntegerField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['id'], name='notice_live_ids'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
