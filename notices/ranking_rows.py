"""What a search ranks a notice by, in a narrow table of its own (search/rank.py, ranked_ids).

A search ranks up to 2,000 matches by their title, agency, date and jieba word vector. In the
notice table those vectors (about 1.9 KB a notice) are kept out of line with its long texts, so
reading one costs a visit to the TOAST table besides the notice's own wide row: ranking the 1,537
notices holding 人民法院 read 10,500 buffers. Here the same five columns fit in a row of about
2 KB, vectors inline and uncompressed (they do not compress): 3 buffers a notice (migration 0025;
46 MB at 20,000 notices).

PostgreSQL keeps this table in step: triggers on the notice table (migration 0025) copy the
five columns whenever a notice is inserted, or updated with any of them changed, and drop the
row when the notice is deleted or the table truncated. That covers every path that writes
notices, write.py's and the batch COPY's as well as anyone's own SQL, in the same statement.
The rows are derived: export leaves them out, and import rebuilds them with the notices.
"""
from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class RankingRow(models.Model):
    """A notice's columns that ranking reads (the same names as the notice's: rank.relevance)."""

    # No foreign key constraint: the triggers, not Django's deletion, remove the row with its notice.
    notice = models.OneToOneField("notices.Notice", primary_key=True, on_delete=models.DO_NOTHING,
                                  db_constraint=False, related_name="+")
    publish_date = models.DateField(null=True)
    fold_title = models.TextField()
    fold_agency = models.TextField()
    words = SearchVectorField(null=True)

    class Meta:
        db_table = "notices_ranking_row"
