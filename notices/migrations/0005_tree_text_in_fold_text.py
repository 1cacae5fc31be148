"""fold_text now ends with any problem or measure text that hand edits moved away from the
notice's text, so that the substring check sees what the gram bag sees and short words can
be decided by the bag alone (see search/engine.py, bag_decides). Only notices with hand
corrections can have such text.
"""
from django.db import migrations
from django.db.models import Q


def fill(apps, schema_editor):
    from notices import tokenize
    from notices.derive import with_tree_text

    Notice = apps.get_model("notices", "Notice")
    Issue = apps.get_model("notices", "Issue")
    Measure = apps.get_model("notices", "Measure")
    edited = Q(tree_corrected=True) | Q(issues__corrected_fields__len__gt=0) | Q(measures__corrected_fields__len__gt=0)
    for pk in Notice.objects.filter(edited).values_list("pk", flat=True).distinct():
        text = Notice.objects.values_list("text", flat=True).get(pk=pk)
        tree = [*Issue.objects.filter(notice_id=pk).values_list("fold_text", flat=True),
                *Measure.objects.filter(notice_id=pk).values_list("fold_text", flat=True)]
        Notice.objects.filter(pk=pk).update(fold_text=with_tree_text(tokenize.fold(text), tree))


class Migration(migrations.Migration):
    dependencies = [("notices", "0004_narrow_notice_rows")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
