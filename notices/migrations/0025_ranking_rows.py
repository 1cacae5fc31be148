"""What ranking reads of each notice in a narrow table of its own (notices/ranking_rows.py), kept
in step by triggers on the notice table, and filled from the notices already stored: 46 MB and
about 10 s at 20,000 notices (2 shared cores, busy)."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

COLUMNS = ("publish_date", "fold_title", "fold_agency", "words")
CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in ("id", *COLUMNS))

KEEP = f"""
CREATE FUNCTION notices_ranking_row_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM notices_ranking_row WHERE notice_id = OLD.id;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.id <> NEW.id THEN
            DELETE FROM notices_ranking_row WHERE notice_id = OLD.id;
        END IF;
    END IF;
    INSERT INTO notices_ranking_row (notice_id, {", ".join(COLUMNS)})
    VALUES (NEW.id, {", ".join(f"NEW.{c}" for c in COLUMNS)})
    ON CONFLICT (notice_id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS)};
    RETURN NULL;
END $$;

CREATE FUNCTION notices_ranking_row_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM notices_ranking_row;  -- (TRUNCATE here would find the table in use by the TRUNCATE that fired it)
    RETURN NULL;
END $$;

CREATE TRIGGER notice_ranking_row_insert AFTER INSERT ON notices_notice
    FOR EACH ROW EXECUTE FUNCTION notices_ranking_row_keep();
-- Django's save() sets every column: only a change of the five copied makes the copy again.
CREATE TRIGGER notice_ranking_row_update AFTER UPDATE OF id, {", ".join(COLUMNS)} ON notices_notice
    FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION notices_ranking_row_keep();
CREATE TRIGGER notice_ranking_row_delete AFTER DELETE ON notices_notice
    FOR EACH ROW EXECUTE FUNCTION notices_ranking_row_keep();
CREATE TRIGGER notice_ranking_row_truncate AFTER TRUNCATE ON notices_notice
    FOR EACH STATEMENT EXECUTE FUNCTION notices_ranking_row_clear();

-- Rows of up to a page stay whole in it, vectors uncompressed (they do not compress): ranking
-- reads one row a notice, no TOAST.
ALTER TABLE notices_ranking_row ALTER COLUMN words SET STORAGE MAIN, SET (toast_tuple_target = 8160);

INSERT INTO notices_ranking_row (notice_id, {", ".join(COLUMNS)})
    SELECT id, {", ".join(COLUMNS)} FROM notices_notice;
ANALYZE notices_ranking_row;
"""

UNDO = """
DROP TRIGGER notice_ranking_row_insert ON notices_notice;
DROP TRIGGER notice_ranking_row_update ON notices_notice;
DROP TRIGGER notice_ranking_row_delete ON notices_notice;
DROP TRIGGER notice_ranking_row_truncate ON notices_notice;
DROP FUNCTION notices_ranking_row_keep();
DROP FUNCTION notices_ranking_row_clear();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0024_notice_in_recycle_bin'),
    ]

    operations = [
        migrations.CreateModel(
            name='RankingRow',
            fields=[
                ('notice', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='notices.notice')),
                ('publish_date', models.DateField(null=True)),
                ('fold_title', models.TextField()),
                ('fold_agency', models.TextField()),
                ('words', django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                'db_table': 'notices_ranking_row',
            },
        ),
        migrations.RunSQL(KEEP, UNDO),
    ]
