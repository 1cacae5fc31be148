"""Limits on work, not only on bytes: a notice's text is capped while it is decoded, a file
over the size limit is refused before it is read, and parallel ingest reads ahead a bounded
number of bytes. Peak memory is measured on real processes (their maximum resident size)."""
from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from notices.parsing import ParseError, parse_many, parse_notice
from notices.parsing.decode import MAX_BYTES, MAX_TEXT_CHARS

from ..conftest import SEED_FILES

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


def docx_with_text(chars: int, *, seed: int = 1) -> bytes:
    """A Word document of `chars` varied Chinese characters, 1,000 a paragraph (varied, so it
    compresses like real text and not like a zip bomb)."""
    rng = random.Random(seed)
    common = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    paragraphs = ["关于巡察整改进展情况的通报", "一、存在的问题"]
    while sum(map(len, paragraphs)) < chars:
        paragraphs.append("".join(rng.choices(common, k=1000)) + "。")
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {ns}><w:body>{body}</w:body></w:document>')
    return out.getvalue()


def peak_mb(code: str) -> tuple[float, str]:
    """Run `code` in a fresh Python; its peak resident memory in MB, and what it printed."""
    wrapped = f"{code}\nimport resource; print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    out = subprocess.run([sys.executable, "-c", wrapped], cwd=ROOT, capture_output=True, text=True, check=True,
                         env=dict(os.environ, DJANGO_SETTINGS_MODULE="archive.settings.test")).stdout
    peak = float(out.rsplit("PEAK", 1)[1])
    return peak, out.rsplit("PEAK", 1)[0]


def test_a_docx_past_the_text_cap_is_refused_with_a_reason_in_bounded_memory(tmp_path):
    big = tmp_path / "big.docx"
    big.write_bytes(docx_with_text(4 * MAX_TEXT_CHARS))
    small = tmp_path / "small.docx"
    small.write_bytes(docx_with_text(2000))
    parse = ("from pathlib import Path; from notices.parsing import parse_notice, ParseError\n"
             "try:\n    parse_notice(Path({!r}).read_bytes(), 'x.docx')\nexcept ParseError as e:\n    print(e)")
    base, _ = peak_mb(parse.format(str(small)))
    peak, said = peak_mb(parse.format(str(big)))
    print(f"docx of {big.stat().st_size / MB:.1f} MB, {4 * MAX_TEXT_CHARS:,} characters: peak {peak:.0f} MB "
          f"(a small one: {base:.0f} MB)")
    assert f"超过 {MAX_TEXT_CHARS:,} 字" in said
    assert peak - base < 16, (peak, base)


def test_a_text_past_the_cap_is_refused_and_the_cap_is_a_parameter():
    text = ("关于巡察整改进展情况的通报\n一、存在的问题\n" + "整改落实不到位。\n" * 2000).encode()
    assert parse_notice(text, "n.txt").issues is not None
    with pytest.raises(ParseError, match="超过 10,000 字"):
        parse_notice(text, "n.txt", max_chars=10_000)


def test_ingest_refuses_files_over_the_size_limit_before_reading_them(tmp_path):
    for i in range(20):
        (tmp_path / f"small-{i:02}.txt").write_bytes(SEED_FILES[i % 5].read_bytes() + b"\n" * (i + 3))
    for i in range(3):
        with open(tmp_path / f"huge-{i}.txt", "wb") as f:
            f.truncate(MAX_BYTES + MB)  # sparse: costs no disk
    ingest = ("import django; django.setup(); from django.core.management import call_command\n"
              "try:\n    call_command('ingest', '--dry-run', '--workers', '2', {!r})\nexcept SystemExit:\n    pass")
    peak, _ = peak_mb(ingest.format(str(tmp_path)))
    for i in range(3):
        os.remove(tmp_path / f"huge-{i}.txt")
    base, _ = peak_mb(ingest.format(str(tmp_path)))
    print(f"dry-run of 20 notices and 3 files of {(MAX_BYTES + MB) / MB:.0f} MB: peak {peak:.0f} MB "
          f"(without them: {base:.0f} MB)")
    assert peak - base < 16, (peak, base)


def test_parallel_parsing_reads_ahead_a_bounded_number_of_bytes():
    four_mb = b"\x89PNG" + bytes(4 * MB)  # an image: refused at once, so the test spends no time parsing
    taken = []

    def files():
        for i in range(40):
            taken.append(i)
            yield i, four_mb, f"{i}.png", None

    most_ahead = 0
    for key, result in parse_many(files(), processes=2, ahead=100, ahead_bytes=16 * MB):
        assert isinstance(result, ParseError)
        most_ahead = max(most_ahead, len(taken) - key)
    assert most_ahead <= 5  # 16 MB of 4 MB files, and the one just read


@pytest.mark.django_db
def test_an_upload_past_the_text_cap_gets_the_reason_and_leaves_nothing(client, archivist):
    from notices.models import Notice, PendingUpload

    from ..admin_helpers import page_messages, upload

    before = (Notice.objects.count(), PendingUpload.objects.count())
    response = upload(client, ("long.docx", docx_with_text(2 * MAX_TEXT_CHARS)))
    assert response.status_code == 200
    [message] = page_messages(response)
    assert "「long.docx」" in message and f"{MAX_TEXT_CHARS:,}" in message
    assert (Notice.objects.count(), PendingUpload.objects.count()) == before
