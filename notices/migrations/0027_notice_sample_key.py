"""A fixed pseudo-random order of the notices (a hash of the id): the candidates of a broad word
whose key is below a bound are a uniform sample of them that PostgreSQL reads without reading the
rest (search.candidates). Built from the ids alone: about a second at 100,000 notices."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0026_drop_words_gin'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(models.Func(models.F('id'), function='hashint8', output_field=models.IntegerField()), name='notice_sample_key'),
        ),
    ]
