"""The GIN index over the notices' word vectors (0023) goes: ranking reads every vector of its
matches from the ranking rows (0025), where reading them costs less than asking the index which
hold the words (search/rank.py, ranked_ids). 6 MB less, and one index less to keep on ingest."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0025_ranking_rows'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='notice',
            name='notice_words_gin',
        ),
    ]
