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
    printed, folded = opening
    for match in P.OPENING_UNIT.finditer(folded):
        unit_f = match.group("unit")
        if P.SELF_REFERENCE.match(unit_f) or P.INSPECTION_KIND.search(unit_f):
            continue
        unit_f = P.PARTY_PREFIX.sub("", unit_f)
        start = match.end("unit") - len(unit_f)
        return printed[start : match.end("unit")], unit_f
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


def resolve_agency(unit: Text | None, others: list[Text], inspection: Inspection, body: str) -> Agency:
    """The inspected unit's canonical name, region and level."""
    g = gazetteer()
    region, consumed, qualifier = Region(), 0, None
    if unit:
        region, consumed = g.match_prefix(unit[1])
        if not consumed and (q := P.UNIT_QUALIFIER.match(unit[1])):
            qualifier = q.group("q")
    need = _QUALIFIER_DEPTH.get(qualifier) if qualifier else None
    organ_level = ORGAN_LEVEL.get(inspection.organ or "")
    if region.depth is None:
        for other in others:
            found, used = g.match_prefix(other[1])
            if used:
                region = found
                break
    if not _deeper(region, need):
        wanted = need or (organ_level if unit is None or not consumed else None)
        if wanted in _DEPTH_ORDER:
            region = _merge(region, g.most_mentioned(body, wanted))
    level = _level(unit, consumed, region, organ_level)
    region = _trim(region, level, stated_in_name=bool(consumed))
    return Agency(_canonical_name(unit, consumed, qualifier, region), region, level)


def _level(unit: Text | None, consumed: int, region: Region, organ_level: str | None) -> str | None:
    if unit and P.TOWNSHIP_UNIT.match(unit[1][consumed:]) and region.depth != "province":
        return "township"
    if region.depth is None:
        return organ_level
    explicit = bool(unit) and any(
        name and unit[1].startswith(name) for name in (region.province, region.city, region.county)
    )
    if organ_level in ("central", "province") and not explicit and region.depth != "province":
        return "province" if organ_level == "province" else "central"
    return region.depth


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
    prefix = {
        "province": region.province,
        "city": region.city,
        "county": (region.city or "") + region.county if region.county else None,
    }[depth]
    return prefix + unit[0][len(qualifier) :] if prefix else unit[0]


def _publish_date(signature: Signature, norm: NormalizedText) -> dt.date | None:
    for candidate in (
        signature.date,
        parse_date_text(norm.title_date),
        parse_date_text(norm.page_fields.get("written_date")),
        parse_date_text(norm.page_fields.get("publish_date")),
    ):
        if candidate is not None:
            return candidate
    return None


def _opening(paragraphs: tuple[Text, ...]) -> tuple[Text, ...]:
    """The opening sentence's paragraph (the first naming the inspection) and the one after it."""
    for index, (_, folded) in enumerate(paragraphs):
        if P.INSPECTION_KIND.search(folded) or P.OPENING_START.match(folded):
            return paragraphs[index : index + 2]
    return paragraphs[:2]


def read_metadata(norm: NormalizedText, opening_lines: tuple[Text, ...]) -> Metadata:
    lines = list(zip(norm.lines, norm.folded))
    title = (norm.title, norm.title_folded) if norm.title and norm.title_folded else None
    opening = _opening(opening_lines) or tuple(lines[:1])
    opening_text = ("".join(p for p, _ in opening), "".join(f for _, f in opening))
    signature = find_signature(lines)
    publish = _publish_date(signature, norm)
    letterhead = (norm.letterhead, fold_for_matching(norm.letterhead)) if norm.letterhead else None
    issuer = (_issuer_from_title(title) if title else None) or letterhead or signature.org
    inspection = read_inspection(opening_text, title, lines, publish)
    unit = unit_of(issuer) if issuer else _opening_unit(opening_text)
    others = [unit_of(signature.org)] if signature.org else []
    if (found := _opening_unit(opening_text)) is not None:
        others.append(found)
    agency = resolve_agency(unit, others, inspection, "\n".join(norm.folded))
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
    )
