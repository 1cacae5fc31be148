"""Drop the single-column indexes on issue.notice and measure.issue.

The unique (notice, position) and (issue, position) indexes start with the same column
and serve every lookup by it; the extra indexes only cost two index insertions per
problem and measure stored.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0008_notice_text_uncompressed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='issue',
            name='notice',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='issues', to='notices.notice'),
        ),
        migrations.AlterField(
            model_name='measure',
            name='issue',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='measures', to='notices.issue'),
        ),
    ]
