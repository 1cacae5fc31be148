"""Keep notice rows narrow: long values (text, folded text, vectors) go to TOAST storage.

Facet counts and candidate lists read a few short columns of many notices; with the
default threshold (about 2 kB) compressed word vectors and figures stay inline and every
such scan reads several times more pages than it needs.
"""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notices", "0003_drop_unit_gram_vectors")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE notices_notice SET (toast_tuple_target = 128)",
            "ALTER TABLE notices_notice RESET (toast_tuple_target)",
        ),
    ]
