"""Keep the short columns that searches and facets read for every candidate in the row.

With toast_tuple_target = 128 (0004), PostgreSQL moves any value longer than a TOAST
pointer out of the row, titles and agency names included; ranking 20,000 candidates by
a title match then fetched 20,000 TOAST values (four times slower). STORAGE MAIN keeps
these values inline (moved out only if a row could not fit its page otherwise), while
the long text, vectors and figures still go to TOAST. Applies to rows written from now
on; `VACUUM FULL notices_notice` rewrites older ones.
"""
from django.db import migrations

COLUMNS = ("fold_title", "fold_agency", "title", "agency_name", "province", "city", "county", "topics",
           "inspection_kind", "level", "progress")


def storage(kind: str) -> str:
    return "ALTER TABLE notices_notice " + ", ".join(f"ALTER COLUMN {c} SET STORAGE {kind}" for c in COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("notices", "0005_tree_text_in_fold_text")]

    operations = [migrations.RunSQL(storage("MAIN"), storage("EXTENDED"))]
