"""One notice, many copies: a file whose text is (nearly) a stored notice's becomes another source of it."""
from __future__ import annotations

from notices.copies import nearest_notice, shingles, similarity
from notices.models import Notice, NoticeCopy, SourceFile
from notices.parsing import parse_notice

from .conftest import SEED_FILES
from .test_ingest import run_ingest

VARIANTS = SEED_FILES[0].parents[1] / "tests" / "data" / "variants"


def test_the_sample_plus_one_newline_is_linked_to_its_notice_not_stored_again(tmp_path, db):
    seed = Notice.objects.get(source__filename=SEED_FILES[0].name)
    copy = tmp_path / "again.txt"
    copy.write_bytes(SEED_FILES[0].read_bytes() + b"\n")
    notices = Notice.all_objects.count()

    code, _, err = run_ingest(str(copy))

    assert code == 0 and "Summary: 0 new" not in err and "1 linked" in err
    assert f"与已有通报 #{seed.pk} 相似度 100%，记为它的其他来源。" in err
    assert Notice.all_objects.count() == notices
    kept = NoticeCopy.objects.get(notice=seed)
    assert bytes(kept.source.data) == copy.read_bytes() and kept.similarity == 1.0

    code, _, err = run_ingest(str(copy))  # a second run writes nothing
    assert "1 unchanged" in err and f"another source of notice #{seed.pk}" in err
    assert NoticeCopy.objects.count() == 1


def test_a_re_encoded_copy_in_the_same_run_as_its_original_is_linked_to_it(tmp_path, db):
    Notice.all_objects.filter(source__filename=SEED_FILES[2].name).delete()  # (inside this test's transaction)
    SourceFile.objects.filter(filename=SEED_FILES[2].name).delete()
    (tmp_path / "a.txt").write_bytes(SEED_FILES[2].read_bytes())
    (tmp_path / "b.docx").write_bytes((VARIANTS / "002.docx").read_bytes())

    code, _, err = run_ingest(str(tmp_path), "--workers", "1")

    assert code == 0 and "1 new, 0 updated" not in err and "Summary: 1 new, 1 linked" in err
    notice = Notice.objects.get(source__filename="a.txt")
    assert notice.copies.get().source.filename == "b.docx"


def test_different_notices_of_one_unit_stay_apart(db):
    """A unit's notice of another year shares its opening, not its problems."""
    a, b = (path.read_text(encoding="utf-8").splitlines() for path in SEED_FILES[:2])
    other_year = "\n".join(a[: len(a) // 5] + b[len(b) // 5:]).encode()
    assert nearest_notice(parse_notice(other_year, "other-year.txt")) is None
    assert nearest_notice(parse_notice(SEED_FILES[0].read_bytes() + b"\n", "x.txt")).similarity == 1.0


def test_similarity_is_about_the_words_not_their_spacing_or_punctuation():
    assert similarity(shingles("巡察整改进展情况"), shingles("巡察整改进展情况")) == 1.0
    assert shingles("巡察整改|进展情况") == shingles("巡察整改") | shingles("进展情况")
    assert similarity(shingles("一二三四五六"), shingles("七八九十")) == 0.0
