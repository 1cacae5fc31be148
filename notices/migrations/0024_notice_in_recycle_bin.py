"""The notices in the recycle bin by id (a handful): a search's candidate listing leaves them out
by their id instead of testing deleted_at, the 36th column of each candidate's row
(search.candidates.live_by_id). Instant to build."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0023_words_gin'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(condition=models.Q(('deleted_at__isnull', False)), fields=['id'], name='notice_in_recycle_bin'),
        ),
    ]
