"""Notices with known metadata and trees for the open-data tests, stored through the real write path.

The seeds' parsed metadata depends on the parser of the day, so the API, CSV, feed and
export tests add these three beside them and assert on them (and on truths computed
from the database), never on the seeds' exact parse.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction

from notices.ingest import sha256_of, write_parse
from notices.models import Notice, SourceFile
from notices.parsing import ParsedIssue, ParsedMeasure, ParsedNotice
from notices.parsing.types import Metadata


def problem(title: str, *measures: str, category: str | None = None, label: str | None = None,
            status: str | None = None, children: tuple[ParsedIssue, ...] = ()) -> ParsedIssue:
    return ParsedIssue(
        category=category, label=label, title=title, status=status,
        measures=tuple(ParsedMeasure(f"{i + 1}.", text) for i, text in enumerate(measures)),
        children=children,
    )


def add_notice(text: str, issues: tuple[ParsedIssue, ...] = (), *, data: bytes | None = None,
               filename: str | None = None, content_type: str = "text/plain", **metadata) -> Notice:
    """A notice as ingest would store it, from a parse we write by hand; the tree is part of the text, as in print."""
    text = "\n".join([text.rstrip("\n"), *_printed(issues)]) + "\n"
    data = text.encode("utf-8") if data is None else data
    digest = sha256_of(data)
    with transaction.atomic():
        source = SourceFile.objects.create(
            sha256=digest, filename=filename or f"{digest[:12]}.txt", content_type=content_type,
            size=len(data), data=data,
        )
        notice = Notice(source=source)
        parsed = ParsedNotice(
            metadata=Metadata(**metadata), issues=issues, text=text, format="text", encoding="utf-8",
            parser_version="test",
        )
        write_parse(notice, parsed)
    return notice


def _printed(issues) -> list[str]:
    lines = []
    for issue in issues:
        lines.append(f"{issue.label or ''}{issue.title}。")
        lines += [f"{m.label}{m.text}" for m in issue.measures]
        lines += _printed(issue.children)
    return lines


@dataclass(frozen=True)
class World:
    luhe: Notice  # 广东省, 殡葬 and 低保 problems, formula-like measures
    zibo: Notice  # 山东省, 低保 with sub-problems, 台账 measures
    shaoguan: Notice  # 广东省, 巡视, 养老 only


@pytest.fixture
def world(db) -> World:
    luhe = add_notice(
        "中共陆河县民政局党组关于县委巡察集中整改进展情况的通报\n一、殡葬改革推进不力\n开展殡葬领域专项整治。\n",
        (
            problem("殡葬改革推进不力", "=SUM(A1)开展殡葬领域专项整治", "建立公墓台账", category="关于民生保障方面",
                    label="一", status="in_progress"),
            problem("低保动态管理不到位", "-清理不符合条件的低保对象", "+1 项制度", label="二", status="done"),
            problem("财务制度执行不严", label="三"),
        ),
        filename="陆河县民政局整改通报.txt",
        title="中共陆河县民政局党组关于县委巡察集中整改进展情况的通报", issuer="中共陆河县民政局党组",
        agency="陆河县民政局", inspection_kind="巡察", inspector="县委第三巡察组",
        inspection_start=dt.date(2025, 3, 1), inspection_end=dt.date(2025, 4, 30),
        feedback_date=dt.date(2025, 5, 20), publish_date=dt.date(2025, 9, 1),
        province="广东省", city="汕尾市", county="陆河县", level="county",
    )
    zibo = add_notice(
        "中共淄博市民政局党组关于市委巡察整改进展情况的通报\n低保扩围工作滞后。完善台账。\n",
        (
            problem("低保扩围工作滞后", category="关于社会救助方面", label="一", children=(
                problem("低保边缘家庭认定不及时", "@完善低保台账", "每季度核查一次", label="一是", status="done"),
                problem("特困人员供养不规范", "建立特困人员台账", label="二是", status="in_progress"),
            )),
        ),
        filename="zibo.txt",
        title="中共淄博市民政局党组关于市委第六巡察组反馈意见集中整改进展情况的通报", issuer="中共淄博市民政局党组",
        agency="淄博市民政局", inspection_kind="巡察", inspector="市委第六巡察组",
        feedback_date=dt.date(2025, 8, 26), publish_date=dt.date(2026, 1, 9),
        province="山东省", city="淄博市", level="city",
    )
    shaoguan = add_notice(
        "中共韶关市民政局党组关于巡视整改进展情况的通报\n养老服务监管不到位。\n",
        (problem("养老服务监管不到位", "加强养老机构检查", label="一"),),
        data="中共韶关市民政局党组关于巡视整改进展情况的通报".encode("gb18030") + bytes(range(256)),
        filename="韶关.html", content_type="text/html",
        title="中共韶关市民政局党组关于巡视整改进展情况的通报", agency="韶关市民政局", inspection_kind="巡视",
        publish_date=dt.date(2024, 3, 1), province="广东省", city="韶关市", level="city",
    )
    return World(luhe, zibo, shaoguan)
