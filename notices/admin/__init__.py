"""The archivists' admin, in Chinese: upload and preview (upload.py), the notice list and page
(notice.py), the problem -> measure tree (tree.py), background jobs (jobs.py). Every write goes through ingest.py or
corrections.py."""
from django.contrib import admin

from . import harvest, jobs, notice, tree, upload  # noqa: F401  (register the model admins)

admin.site.site_header = "巡视巡察整改通报库 · 管理"
admin.site.site_title = "通报库管理"
admin.site.index_title = "档案管理"
