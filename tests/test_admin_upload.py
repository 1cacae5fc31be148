"""The admin upload workflow, driven through the real admin: upload -> preview -> save, duplicates,
bad files, permissions and the recycle bin."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse

from notices import ingest
from notices.models import Notice, PendingUpload
from notices.search import parse_query, search

from .admin_helpers import make_user, new_notice_bytes, page_messages, stored_counts, upload
from .conftest import SEED_FILES

pytestmark = pytest.mark.django_db


def _preview_url(pending: PendingUpload) -> str:
    return reverse("admin:notices_pendingupload_change", args=[pending.pk])


# --- upload -> preview -> save ------------------------------------------------------------

def test_one_upload_shows_its_parse_and_stores_nothing_until_saved(client, archivist):
    before = stored_counts()
    response = upload(client, ("new-notice.txt", new_notice_bytes(), "text/plain"))
    pending = PendingUpload.objects.get(owner=archivist)
    assert response.redirect_chain[-1][0] == _preview_url(pending)
    page = response.content.decode()
    assert "核对解析结果" in page and "new-notice.txt" in page and "尚未保存" in page
    assert pending.preview["title"] and pending.preview["title"] in page
    assert "条问题" in page and "保存并校对" in page
    assert stored_counts()[:4] == before[:4]  # the archive itself is untouched


def test_saving_a_preview_stores_the_notice_through_the_ingest_path(client, archivist):
    data = new_notice_bytes()
    upload(client, ("new-notice.txt", data, "text/plain"))
    pending = PendingUpload.objects.get(owner=archivist)
    response = client.post(_preview_url(pending), {"_save": "1"}, follow=True)
    notice = Notice.objects.get(source__sha256=ingest.sha256_of(data))
    assert bytes(notice.source.data) == data
    assert notice.issues.exists() == bool(pending.preview["issues"])
    assert any("已保存「new-notice.txt」" in m for m in page_messages(response))
    assert not PendingUpload.objects.exists()


def test_save_and_correct_opens_the_new_notice_for_editing(client, archivist):
    upload(client, ("new-notice.txt", new_notice_bytes(), "text/plain"))
    pending = PendingUpload.objects.get(owner=archivist)
    response = client.post(_preview_url(pending), {"_saveandcorrect": "1"})
    notice = Notice.objects.get(source__sha256=pending.sha256)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:notices_notice_change", args=[notice.pk])


def test_discarding_a_preview_stores_nothing(client, archivist):
    before = stored_counts()
    upload(client, ("new-notice.txt", new_notice_bytes(), "text/plain"))
    pending = PendingUpload.objects.get(owner=archivist)
    response = client.post(_preview_url(pending), {"_discard": "1"}, follow=True)
    assert any("已放弃" in m for m in page_messages(response))
    assert stored_counts() == before


def test_many_files_at_once_wait_in_the_review_list(client, archivist):
    from notices.jobs.tasks import execute
    from notices.models import Job

    upload(client, ("a.txt", new_notice_bytes(0)), ("b.txt", new_notice_bytes(2)), ("c.txt", b""))
    execute(Job.objects.get().pk)  # what a worker does (tests/jobs/ has the whole path)
    page = client.get(reverse("admin:notices_pendingupload_changelist")).content.decode()
    assert "a.txt" in page and "b.txt" in page
    assert PendingUpload.objects.filter(owner=archivist).count() == 2
    # saving one leads straight to the next waiting for review
    first = PendingUpload.objects.order_by("pk").first()
    response = client.post(_preview_url(first), {"_save": "1"})
    assert response["Location"] == _preview_url(PendingUpload.objects.get())


def test_the_uploaded_bytes_survive_between_preview_and_save(client, archivist):
    data = new_notice_bytes()
    upload(client, ("new-notice.txt", data))
    client.logout()
    client.force_login(archivist)  # a new session: nothing lives in the old one
    pending = PendingUpload.objects.get(owner=archivist)
    assert bytes(pending.data) == data
    client.post(_preview_url(pending), {"_save": "1"})
    assert bytes(Notice.objects.get(source__sha256=pending.sha256).source.data) == data


def test_a_preview_is_refreshed_not_saved_when_the_parser_changed_since(client, archivist):
    upload(client, ("new-notice.txt", new_notice_bytes()))
    pending = PendingUpload.objects.get(owner=archivist)
    PendingUpload.objects.filter(pk=pending.pk).update(parser_version="0.0-old")
    response = client.post(_preview_url(pending), {"_save": "1"}, follow=True)
    assert any("解析程序在你预览之后更新了" in m for m in page_messages(response))
    assert not Notice.objects.filter(source__sha256=pending.sha256).exists()
    assert PendingUpload.objects.get(pk=pending.pk).parser_version != "0.0-old"


def test_a_pending_upload_belongs_to_its_uploader(client, archivist):
    upload(client, ("new-notice.txt", new_notice_bytes()))
    pending = PendingUpload.objects.get(owner=archivist)
    client.force_login(make_user("colleague"))
    assert client.get(_preview_url(pending)).status_code == 404
    assert client.post(_preview_url(pending), {"_save": "1"}).status_code == 404
    assert PendingUpload.objects.filter(pk=pending.pk).exists()


def test_expired_uploads_are_purged(client, archivist):
    from django.utils import timezone

    upload(client, ("new-notice.txt", new_notice_bytes()))
    PendingUpload.objects.update(expires_at=timezone.now())
    client.get(reverse("admin:notices_notice_upload"))
    assert not PendingUpload.objects.exists()


# --- duplicates ---------------------------------------------------------------------------

def test_a_file_already_in_the_archive_says_so_and_links_to_it(client, archivist):
    before = stored_counts()
    seed = Notice.objects.get(source__filename=SEED_FILES[0].name)
    response = upload(client, ("renamed-copy.txt", SEED_FILES[0].read_bytes()))
    [message] = page_messages(response)
    assert "已在档案中" in message and "没有重复保存" in message
    assert reverse("admin:notices_notice_change", args=[seed.pk]) in message
    assert stored_counts() == before


def test_a_file_saved_by_someone_else_meanwhile_is_not_stored_twice(client, archivist):
    data = new_notice_bytes()
    upload(client, ("new-notice.txt", data))
    pending = PendingUpload.objects.get(owner=archivist)
    ingest.ingest_bytes(data, "from-the-command-line.txt", "text/plain")
    response = client.post(_preview_url(pending), {"_save": "1"}, follow=True)
    assert any("已在档案中" in m for m in page_messages(response))
    assert Notice.objects.filter(source__sha256=pending.sha256).count() == 1


# --- bad uploads --------------------------------------------------------------------------

def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * 8_000_000)
    return buffer.getvalue()


BAD_FILES = [
    ("empty.txt", b"", "空文件"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "不是可以读取的图片"),
    ("slides.pptx", b"PK\x03\x04" + b"ppt/presentation.xml" + bytes(100), "演示文稿"),
    ("bomb.docx", _zip_bomb(), "压缩炸弹"),
    ("fake.pdf", "这其实是一段文字，不是PDF。".encode() * 20, "不是PDF 文件"),
    ("garbage.txt", bytes(range(256)) * 40, ""),
    ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".doc"),
]


@pytest.mark.parametrize("name, data, reason", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_upload_gives_a_clear_message_and_stores_nothing(client, archivist, name, data, reason):
    before = stored_counts()
    response = upload(client, (name, data))
    assert response.status_code == 200
    [message] = page_messages(response)
    assert f"「{name}」无法解析，未保存" in message
    assert reason in message
    assert "Traceback" not in response.content.decode()
    assert stored_counts() == before
    assert client.get(reverse("admin:notices_notice_changelist")).status_code == 200  # still serving


@override_settings(ARCHIVE_MAX_UPLOAD_BYTES=10_000)
def test_a_file_over_the_size_limit_is_refused_while_it_is_read(client, archivist):
    before = stored_counts()
    response = upload(client, ("huge.txt", b"x" * 50_000), ("new-notice.txt", new_notice_bytes()[:9_000]))
    messages = page_messages(response)
    assert any("「huge.txt」超过了上传上限" in m for m in messages)
    assert stored_counts()[:4] == before[:4]
    assert not PendingUpload.objects.filter(filename="huge.txt").exists()


@override_settings(ARCHIVE_MAX_UPLOAD_BYTES=10_000)
def test_the_size_limit_drops_a_file_while_the_request_is_read():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    from notices.uploads import LimitedUploadHandler

    request = RequestFactory().post("/admin/notices/notice/upload/", {
        "files": [SimpleUploadedFile("huge.txt", b"x" * 200_000), SimpleUploadedFile("small.txt", b"y" * 5_000)],
    })
    handler = LimitedUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    assert [f.name for f in request.FILES.getlist("files")] == ["small.txt"]
    assert handler.refused == ["huge.txt"]


def test_a_parser_crash_is_a_message_not_a_server_error(client, archivist, monkeypatch):
    from notices import uploads

    def crash(*args, **kwargs):
        raise RuntimeError("a bug in the parser")

    monkeypatch.setattr(uploads, "parse", crash)
    before = stored_counts()
    response = upload(client, ("new-notice.txt", new_notice_bytes()))
    assert response.status_code == 200
    assert any("internal error" in m for m in page_messages(response))
    assert stored_counts() == before


def test_an_upload_without_files_asks_for_one(client, archivist):
    response = client.post(reverse("admin:notices_notice_upload"), {}, follow=True)
    assert any("请先选择要上传的文件" in m for m in page_messages(response))


# --- who may do what ----------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:notices_notice_upload"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_staff_without_the_upload_permission_cannot_upload(client):
    client.force_login(make_user("reader", group=None, perms=("notices.view_notice",)))
    before = stored_counts()
    assert client.get(reverse("admin:notices_notice_upload")).status_code == 403
    assert upload(client, ("new-notice.txt", new_notice_bytes()), follow=False).status_code == 403
    assert stored_counts() == before


def test_staff_who_may_only_view_cannot_edit_reparse_or_delete(client):
    client.force_login(make_user("reader", group=None, perms=("notices.view_notice",)))
    notice = Notice.objects.order_by("pk").first()
    change = reverse("admin:notices_notice_change", args=[notice.pk])
    page = client.get(change)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.post(change, {"title": "改掉", "_save": "1"}).status_code == 403
    assert client.post(reverse("admin:notices_notice_reparse", args=[notice.pk])).status_code == 403
    assert client.post(reverse("admin:notices_notice_delete", args=[notice.pk]), {"post": "yes"}).status_code == 403
    assert Notice.objects.get(pk=notice.pk).title == notice.title


def test_a_non_staff_user_with_permissions_still_cannot_enter(client):
    client.force_login(make_user("outsider", staff=False))
    assert client.get(reverse("admin:notices_notice_changelist")).status_code == 302


def test_the_archivist_group_holds_the_custom_permissions(archivist):
    assert archivist.has_perm("notices.upload_notice")
    assert archivist.has_perm("notices.reparse_notice")
    assert archivist.has_perm("notices.change_notice")
    assert not archivist.has_perm("auth.change_user")


# --- the recycle bin ----------------------------------------------------------------------

def test_deleting_moves_a_notice_to_the_recycle_bin_hidden_from_the_public(client, archivist):
    notice = Notice.objects.get(source__filename=SEED_FILES[0].name)
    confirm = client.get(reverse("admin:notices_notice_delete", args=[notice.pk]))
    assert "移入回收站" in confirm.content.decode()
    client.post(reverse("admin:notices_notice_delete", args=[notice.pk]), {"post": "yes"})
    stored = Notice.all_objects.get(pk=notice.pk)
    assert stored.is_deleted and stored.deleted_by == archivist
    assert stored.issues.exists()  # nothing was thrown away
    assert not Notice.objects.filter(pk=notice.pk).exists()
    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 404
    outcome = search(Notice.objects.all(), parse_query("东营"))
    assert notice.pk not in {hit.notice.pk for hit in outcome.hits}
    listed = client.get(reverse("admin:notices_notice_changelist"))
    assert notice.pk not in {n.pk for n in listed.context["cl"].result_list}
    binned = client.get(reverse("admin:notices_notice_changelist") + "?bin=deleted")
    assert [n.pk for n in binned.context["cl"].result_list] == [notice.pk]


def test_a_deleted_notice_can_be_restored(client, archivist):
    notice = Notice.objects.order_by("pk").first()
    client.post(reverse("admin:notices_notice_delete", args=[notice.pk]), {"post": "yes"})
    page = client.get(reverse("admin:notices_notice_change", args=[notice.pk]))
    assert "这份通报在回收站中" in page.content.decode() and not page.context["has_change_permission"]
    response = client.post(reverse("admin:notices_notice_restore", args=[notice.pk]), follow=True)
    assert any("已恢复" in m for m in page_messages(response))
    assert Notice.objects.filter(pk=notice.pk).exists()


def test_the_recycle_bin_actions_work_on_a_selection(client, archivist):
    pks = list(Notice.objects.order_by("pk").values_list("pk", flat=True)[:2])
    url = reverse("admin:notices_notice_changelist")
    client.post(url, {"action": "move_to_recycle_bin", "_selected_action": pks})
    assert Notice.all_objects.filter(pk__in=pks, deleted_at__isnull=False).count() == 2
    client.post(url + "?bin=deleted", {"action": "restore_selected", "_selected_action": pks})
    assert Notice.objects.filter(pk__in=pks).count() == 2


def test_a_deleted_notices_file_gives_a_clear_message_when_uploaded_or_ingested_again(client, archivist):
    notice = Notice.objects.get(source__filename=SEED_FILES[2].name)
    client.post(reverse("admin:notices_notice_delete", args=[notice.pk]), {"post": "yes"})
    before = stored_counts()
    response = upload(client, ("again.txt", SEED_FILES[2].read_bytes()))
    [message] = [m for m in page_messages(response) if "again.txt" in m]
    assert "在回收站中" in message and reverse("admin:notices_notice_change", args=[notice.pk]) in message
    result = ingest.ingest_bytes(SEED_FILES[2].read_bytes(), "again.txt", "text/plain")
    assert result.outcome == "failed" and "recycle bin" in result.message and result.notice_id == notice.pk
    assert stored_counts() == before


# --- the notice list ----------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "", "q=东营", "level__exact=city", "year=2025", "warnings=yes", "warnings=no", "corrected=yes", "corrected=no",
    "bin=all", "o=6",
])
def test_the_notice_list_searches_and_filters(client, archivist, query):
    response = client.get(reverse("admin:notices_notice_changelist") + "?" + query)
    assert response.status_code == 200  # an unknown filter would redirect to ?e=1
    assert response.context["cl"].result_count >= 0


def test_the_notice_list_search_finds_a_notice_by_agency(client, archivist):
    notice = Notice.objects.exclude(agency_name=None).order_by("pk").first()
    response = client.get(reverse("admin:notices_notice_changelist"), {"q": notice.agency_name})
    assert notice.pk in {n.pk for n in response.context["cl"].result_list}


def test_the_admin_speaks_chinese(client, archivist):
    page = client.get(reverse("admin:notices_notice_changelist")).content.decode()
    assert "上传通报" in page and "人工校对" in page and "回收站" in page and "过滤器" in page
