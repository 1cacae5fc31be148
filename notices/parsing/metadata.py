"""Stage 4, metadata: title, issuer, agency, inspection, dates, region and level.

Every field comes from what the notice prints; when it does not say, the field is None.
Sources, in order of trust: the title, the signature, the opening sentence, the page's
disclosure block, and (for the region only, and only when the unit's name calls for it)
the place the body names most often.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import patterns as P
from .dates import parse_date_text
from .gazetteer import Region, gazetteer
from .inspection import ORGAN_LEVEL, Inspection, read_inspection
from .normalize import fold_for_matching
from .types import Metadata, NormalizedText

Text = tuple[str, str]  # (printed, folded)
SIGNATURE_LINES = 6  # the signature sits within the last lines
_DEPTH_ORDER = ("province", "city", "county")
_QUALIFIER_DEPTH = {"省": "province", "自治区": "province", "市": "city", "州": "city", "盟": "city",
                    "区": "county", "县": "county", "旗": "county"}


@dataclass(frozen=True)
class Signature:
    org: Text | None = None
    date: dt.date | None = None


def find_signature(lines: list[Text]) -> Signature:
    """The organisation and date that close the notice: "中共东营市民政局党组" / "2026年1月9日"."""
    # The signature closes the notice: never among its first lines, however short it is.
    tail = lines[max(len(lines) - SIGNATURE_LINES, min(3, len(lines) - 1)) :]
    for index in range(len(tail) - 1, -1, -1):
        printed, folded = tail[index]
        if not P.DATE_LINE.match(folded):
            continue
        org = None
        if index > 0 and _is_org_line(tail[index - 1][1]):
            org = tail[index - 1]
        return Signature(org, parse_date_text(folded))
    if tail and _is_org_line(tail[-1][1]):
        return Signature(tail[-1], None)
    return Signature()


def _is_org_line(folded: str) -> bool:
    return len(folded) <= 40 and bool(P.ORG_SUFFIX.search(folded)) and not any(c in folded for c in "。,，;；:：!！?？")


def _issuer_from_title(title: Text) -> Text | None:
    printed, folded = title
    match = P.TITLE_ISSUER.match(folded) or P.TITLE_PARTY_ORG.match(folded)
    if not match:
        return None
    org_f = match.group("org")
    if not (P.ORG_SUFFIX.search(org_f) or P.PARTY_SUFFIX.search(org_f)) or P.INSPECTION_KIND.search(org_f):
        return None
    return printed[: len(org_f)], org_f


def unit_of(org: Text) -> Text:
    """The unit an organisation speaks for: "中共东营市民政局党组" -> "东营市民政局"."""
    printed, folded = org
    prefix = P.PARTY_PREFIX.match(folded)
    start = prefix.end() if prefix else 0
    suffix = P.PARTY_SUFFIX.search(folded, start)
    end = suffix.start() if suffix and suffix.start() > start + 1 else len(folded)
    return printed[start:end].strip(), folded[start:end].strip()


def _opening_unit(opening: Text) -> Text | None:
    """The unit the opening says was inspected: a body's party organisation, or a whole province,
    city or county ("对云南省进行了常规巡视")."""
    printed, folded = opening
    for match in P.OPENING_UNIT.finditer(folded):
        unit_f = match.group("unit")
        if P.SELF_REFERENCE.match(unit_f) or P.INSPECTION_KIND.search(unit_f):
            continue
        unit_f = P.PARTY_PREFIX.sub("", unit_f)
        start = match.end("unit") - len(unit_f)
        return printed[start : match.end("unit")], unit_f
    for match in P.OPENING_PLACE.finditer(folded):
        place = match.group("place")
        if gazetteer().match_prefix(place)[1] == len(place):
            return printed[match.start("place") : match.end("place")], place
    return None


def _deeper(region: Region, depth: str | None) -> bool:
    """Whether the region already reaches the depth a unit's name calls for."""
    if depth is None or region.depth is None:
        return region.depth is not None
    return _DEPTH_ORDER.index(region.depth) >= _DEPTH_ORDER.index(depth)


def _merge(base: Region, extra: Region) -> Region:
    """Add extra's deeper parts to base when they agree on what both state."""
    for name in ("province", "city", "county"):
        mine, theirs = getattr(base, name), getattr(extra, name)
        if mine and theirs and mine != theirs:
            return base
    return Region(base.province or extra.province, base.city or extra.city, base.county or extra.county)


@dataclass(frozen=True)
class Agency:
    name: str | None
    region: Region
    level: str | None
    why: tuple[str, str] | None = None  # (rule, line) that gave the region
    why_level: tuple[str, str] | None = None


def _match_unit(name: str) -> tuple[Region, int]:
    """The region a unit's name starts with, after 中共 or a mass organisation's prefix
    ("来源:中共某县委宣传部", "共青团汉中市委员会")."""
    g = gazetteer()
    region, consumed = g.match_prefix(name)
    if not consumed and (prefix := P.PARTY_PREFIX.match(name) or P.MASS_ORG_PREFIX.match(name)):
        region, consumed = g.match_prefix(name[prefix.end() :])
        consumed = prefix.end() + consumed if consumed else 0
    return region, consumed


def resolve_agency(
    unit: Text | None, others: list[tuple[str, Text]], inspection: Inspection, body: str, head: Text
) -> Agency:
    """The inspected unit's canonical name, region and level, and which rule and line gave the region.

    others: (rule, line) pairs naming the unit elsewhere (signature, opening, the page's source
    line, a cited document), tried in order when the unit's name states no region. head: the
    title, byline and opening, where a place named alone at the wanted depth is the unit's.
    """
    g = gazetteer()
    region, consumed, qualifier, why = Region(), 0, None, None
    if unit:
        region, consumed = _match_unit(unit[1])
        why = ("the unit's name", unit[0]) if consumed else None
        if not consumed and (q := P.UNIT_QUALIFIER.match(unit[1])):
            qualifier = q.group("q")
    need = _QUALIFIER_DEPTH.get(qualifier) if qualifier else None
    organ_level = ORGAN_LEVEL.get(inspection.organ or "")
    if region.depth is None:
        for rule, other in others:
            found, used = _match_unit(other[1])
            if used:
                region, why = found, (rule, other[0])
                break
    if not _deeper(region, need):
        wanted = need or (organ_level if unit is None or not consumed else None)
        if wanted in _DEPTH_ORDER:
            for rule, found in (
                ("the one place the title, byline and opening name", g.only_mentioned(head[1], wanted)),
                ("the place the text names most often", g.most_mentioned(body, wanted)),
            ):
                merged = _merge(region, found)
                if merged != region:
                    region, why = merged, (rule, _line_naming(found, head[0] + "\n" + body))
                    break
    level, level_rule = _level(unit, consumed, region, organ_level)
    region = _trim(region, level, stated_in_name=bool(consumed))
    name = _canonical_name(unit, consumed, qualifier, region)
    return Agency(name, region, level, why if region.depth else None, (level_rule, name or inspection.inspector or ""))


def _line_naming(region: Region, text: str) -> str:
    """The first line of text that names the region's deepest part."""
    name = region.county or region.city or region.province or ""
    return next((line for line in text.splitlines() if name and name in line), name)


def _level(unit: Text | None, consumed: int, region: Region, organ_level: str | None) -> tuple[str | None, str]:
    """The agency's level and the rule that gave it."""
    rest = unit[1][consumed:] if unit else ""
    if unit and P.TOWNSHIP_UNIT.match(rest) and region.depth != "province":
        return "township", "a township's name after the region"
    if unit and region.depth in ("province", "city") and P.DEVELOPMENT_ZONE.match(rest):
        return "county", "a development zone (and its 工委) is run at county level"
    if region.depth is None:
        return organ_level, "the level the inspecting organ inspects"
    if region.province in P.MUNICIPALITIES and region.county is None:
        return "province", "a body of Beijing, Tianjin, Shanghai or Chongqing is province level"
    explicit = bool(unit) and any(
        name and unit[1].startswith(name) for name in (region.province, region.city, region.county)
    )
    if organ_level in ("central", "province") and not explicit and region.depth != "province":
        return ("province" if organ_level == "province" else "central"), "the level the inspecting organ inspects"
    return region.depth, "the depth of the agency's region"


def _trim(region: Region, level: str | None, stated_in_name: bool) -> Region:
    """Keep the region down to the agency's level. A central unit keeps a province only when its
    name states one (中山大学), never one read from the body (a ministry names many)."""
    if level == "central":
        return Region(region.province) if stated_in_name else Region()
    if level == "province":
        return Region(region.province)
    if level == "city":
        return Region(region.province, region.city)
    return region


def _canonical_name(unit: Text | None, consumed: int, qualifier: str | None, region: Region) -> str | None:
    if unit is None or not unit[0]:
        return None
    if consumed or not qualifier:
        return unit[0]
    depth = _QUALIFIER_DEPTH[qualifier]
    county_city = region.county if region.county and region.county.endswith("市") else None  # 邳州市
    prefix = {
        "province": region.province,
        "city": county_city or region.city,
        "county": (region.city or "") + region.county if region.county else None,
    }[depth]
    return prefix + unit[0][len(qualifier) :] if prefix else unit[0]


def _publish_date(signature: Signature, norm: NormalizedText) -> tuple[dt.date | None, tuple[str, str] | None]:
    for rule, text in (
        ("the signature's date", signature.date and signature.date.isoformat()),
        ("the date printed with the title", norm.title_date),
        ("the page's 成文日期", norm.page_fields.get("written_date")),
        ("the page's publication date (labelled, or a date line in the head)", norm.page_fields.get("publish_date")),
    ):
        if (candidate := parse_date_text(text)) is not None:
            return candidate, (rule, text)
    return None, None


def _opening(paragraphs: tuple[Text, ...]) -> tuple[Text, ...]:
    """The opening sentence's paragraph (the first naming the inspection) and the one after it."""
    for index, (_, folded) in enumerate(paragraphs):
        if P.INSPECTION_KIND.search(folded) or P.OPENING_START.match(folded):
            return paragraphs[index : index + 2]
    return paragraphs[:2]


def _first_sentence(text: str) -> str:
    end = text.find("。")
    return text[: end + 1] if end >= 0 else text


def _page_org(norm: NormalizedText, key: str) -> Text | None:
    """The page's source or publisher when it names a body ("来源:南京市江宁区财政局"), not a site."""
    value = (norm.page_fields.get(key) or "").strip()
    folded = fold_for_matching(value)
    return (value, folded) if value and len(folded) <= 30 and P.ORG_SUFFIX.search(folded) else None


def _cited_orgs(opening: Text) -> list[Text]:
    """Bodies whose documents the opening cites: "按照《中共武义县桃溪镇委员会关于印发…的通知》"."""
    printed, folded = opening
    return [(printed[m.start("org") : m.end("org")], m.group("org")) for m in P.CITED_ISSUER.finditer(folded)]


def _own_unit(cited: list[Text]) -> Text | None:
    """A cited document's issuer that is a unit of its own (a party committee of a body, not a
    region's committee or inspection office): the notice's own body when it names no other."""
    for org in cited:
        if P.PARTY_SUFFIX.search(org[1]) and not P.REGION_BODY.search(org[1]):
            return unit_of(org)
    return None


def read_metadata(norm: NormalizedText, opening_lines: tuple[Text, ...]) -> Metadata:
    lines = list(zip(norm.lines, norm.folded))
    title = (norm.title, norm.title_folded) if norm.title and norm.title_folded else None
    opening = _opening(opening_lines) or tuple(lines[:1])
    opening_text = ("".join(p for p, _ in opening), "".join(f for _, f in opening))
    signature = find_signature(lines)
    publish, why_publish = _publish_date(signature, norm)
    letterhead = (norm.letterhead, fold_for_matching(norm.letterhead)) if norm.letterhead else None
    from_title = _issuer_from_title(title) if title else None
    issuer = from_title or letterhead or signature.org
    why_issuer = ("the title, before 关于" if from_title else "the letterhead above the title" if letterhead
                  else "the signature")
    inspection = read_inspection(opening_text, title, lines, publish)
    cited = _cited_orgs(opening_text)
    unit, why_unit = (unit_of(issuer), why_issuer) if issuer else (_opening_unit(opening_text), "the opening sentence")
    if unit is None and (unit := _own_unit(cited)):
        why_unit = "a document the opening cites"
    others = [("the signature", unit_of(signature.org))] if signature.org else []
    if (found := _opening_unit(opening_text)) is not None:
        others.append(("the opening sentence", found))
    others += [(f"the page's {key}", org) for key in ("source", "publisher") if (org := _page_org(norm, key))]
    others += [("a document the opening cites", org) for org in cited]
    head_lines = [title] if title else []
    head_lines += [(v, fold_for_matching(v)) for k in ("source", "publisher") if (v := norm.page_fields.get(k))]
    head = ("\n".join(p for p, _ in head_lines + [opening_text]), "\n".join(f for _, f in head_lines + [opening_text]))
    agency = resolve_agency(unit, others, inspection, "\n".join(norm.folded), head)
    why: dict[str, tuple[str, str]] = {}
    if norm.title:
        why["title"] = ("the title line", norm.title)
    if issuer:
        why["issuer"] = (why_issuer, issuer[0])
    if unit and agency.name:
        why["agency"] = (why_unit, unit[0])
    if why_publish:
        why["publish_date"] = why_publish
    for name, value in (("inspection_kind", inspection.kind), ("inspector", inspection.inspector),
                        ("inspection_start", inspection.start), ("inspection_end", inspection.end),
                        ("feedback_date", inspection.feedback)):
        if value:
            why[name] = ("the opening sentence, then the title and body", _first_sentence(opening_text[0]))
    if agency.why:
        for name in ("province", "city", "county"):
            if getattr(agency.region, name):
                why[name] = agency.why
    if agency.level and agency.why_level:
        why["level"] = agency.why_level
    return Metadata(
        title=norm.title,
        issuer=issuer[0] if issuer else None,
        agency=agency.name,
        inspection_kind=inspection.kind,
        inspection_form=inspection.form,
        inspection_round=inspection.round,
        inspector=inspection.inspector,
        inspection_start=inspection.start,
        inspection_end=inspection.end,
        feedback_date=inspection.feedback,
        publish_date=publish,
        province=agency.region.province,
        city=agency.region.city,
        county=agency.region.county,
        level=agency.level,
        explain=why,
    )
