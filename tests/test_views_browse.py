"""The list / search view: facet counts, chips, permalinks, hostile input and escaping, on the seeds."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from notices import tokenize
from notices.filters import NoticeFilter
from notices.models import Issue, Notice
from notices.opendata.selection import tidy
from notices.search import engine, matching, parse_query

pytestmark = pytest.mark.django_db

LIST = reverse("notices:list")
PROBLEMS = reverse("notices:problems")

STATES = [
    {},
    {"q": "低保"},
    {"q": "低保", "scope": "problem"},
    {"q": "资金", "scope": "measure"},
    {"q": "殡葬 OR 养老", "province": "广东省"},
    {"level": "county"},
    {"topic": "elderly", "kind": "巡察"},
    {"q": "巡察", "year": "2024", "province": "none"},
]


def page_for(client, path: str, params) -> object:
    encoded = params.urlencode() if isinstance(params, QueryDict) else urlencode(params, doseq=True)
    response = client.get(path + ("?" + encoded if encoded else ""))
    assert response.status_code == 200
    return response.context["page"]


def exact_total(params: QueryDict) -> int:
    """What filtering and matching give, computed without the view."""
    scope = params.get("scope", "notice")
    notices = NoticeFilter(params, queryset=Notice.objects.all()).qs
    return matching(notices, parse_query(params.get("q", "")), scope if scope in engine.SCOPES else "notice").count()


@pytest.mark.parametrize("state", STATES)
def test_every_facet_count_equals_what_choosing_that_value_alone_gives(client, state):
    page = page_for(client, LIST, state)
    assert page.total == exact_total(QueryDict(urlencode(state)))
    checked = 0
    for facet in page.facets:
        for value in facet.shown + facet.more:
            params = QueryDict(urlencode(state), mutable=True)
            params.setlist(facet.name, [value.value])  # this value instead of the facet's others
            assert value.count == exact_total(params), (state, facet.name, value.value)
            checked += 1
    assert checked


def test_following_a_facet_link_toggles_the_value_and_returns_to_the_first_page(client):
    page = page_for(client, LIST, {"q": "低保"})
    province = next(f for f in page.facets if f.name == "province")
    value = province.shown[0]
    assert not value.selected
    chosen = page_for(client, LIST, dict(parse_qsl(value.toggle_url[1:])))
    assert chosen.total == value.count
    again = next(v for f in chosen.facets if f.name == "province" for v in f.shown if v.value == value.value)
    assert again.selected
    assert QueryDict(again.toggle_url[1:]) == QueryDict("q=低保")
    assert "page=" not in value.toggle_url


def test_a_chip_link_removes_exactly_its_filter(client):
    state = {"q": "低保", "province": ["山东省", "江苏省"], "scope": "problem", "level": ["city", "province"],
             "published_after": "2020-01-01"}
    page = page_for(client, LIST, state)
    names = [(c.name, c.value) for c in page.chips]
    assert names == [("检索词", "低保"), ("范围", "问题"), ("层级", "市级"), ("层级", "省级"), ("省", "山东省"),
                     ("省", "江苏省"), ("发布日期起", "2020年1月1日")]
    assert page.total == 2  # 东营 (city, 山东) and 江苏省民政厅 (province) each have a problem naming 低保
    for chip in page.chips:
        after = page_for(client, LIST, QueryDict(chip.remove_url[1:]))
        assert (chip.name, chip.value) not in [(c.name, c.value) for c in after.chips]
        assert len(after.chips) == len(page.chips) - 1


def test_the_sentence_says_what_is_shown(client):
    page = page_for(client, LIST, {"q": "低保", "province": ["山东省", "江苏省"], "scope": "problem"})
    problems = len([i for i in Issue.objects.problems().filter(notice__province__in=["山东省", "江苏省"])
                    if "低保" in i.fold_text])
    assert page.sentence == (f"共 {problems} 个问题（出自 {page.total} 份通报）：省为山东省或江苏省，问题含“低保”，"
                             "按相关度排列。")
    assert page_for(client, LIST, {}).sentence == f"共 {Notice.objects.count()} 份通报，按发布日期从新到旧排列。"


def test_the_word_about_marks_an_estimated_total(client, monkeypatch):
    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)
    response = client.get(LIST + "?q=整改进")  # checked on each text (整改|进展: no word entry)
    assert response.context["page"].estimated
    assert "共 约 " in response.content.decode()


def test_a_permalink_gives_the_same_page_and_every_link_keeps_the_state(client):
    state = {"q": "低保", "province": "山东省", "sort": "oldest", "scope": "problem", "utm_source": "x"}
    url = LIST + "?" + urlencode(state)
    first, second = client.get(url), client.get(url)
    assert first.content == second.content
    page = first.context["page"]
    assert "utm_source" not in page.state.params  # unknown parameters do not spread into links
    for link in page.sort_links:
        kept = QueryDict(link.url[1:])
        assert kept["q"] == "低保" and kept["province"] == "山东省" and kept["scope"] == "problem"
    for facet in page.facets:
        for value in facet.shown:
            assert QueryDict(value.toggle_url[1:]).get("q") == "低保"


def test_pages_of_problems_cover_every_problem_once(client):
    seen: list[int] = []
    first = page_for(client, PROBLEMS, {})
    assert first.browsing and first.total == Issue.objects.problems().count() and first.num_pages > 1
    for number in range(1, first.num_pages + 1):
        page = page_for(client, PROBLEMS, {"page": number})
        seen += [u.url.split("?")[0] + "#" + u.url.split("#")[1] for row in page.rows for u in row.problems]
        assert page.state.page == number
    assert len(seen) == len(set(seen)) == Issue.objects.problems().count()
    last = page_for(client, PROBLEMS, {"page": first.num_pages + 5})
    assert last.past_the_end


def test_browsing_a_topic_lists_only_that_topics_problems(client):
    page = page_for(client, PROBLEMS, {"topic": "assistance"})
    assert page.total == Issue.objects.filter(topics__contains=["assistance"]).count() > 0
    assert not page.topic_choices  # already chosen


def test_results_mark_the_words_and_link_each_problem_and_measure_to_its_anchor(client):
    response = client.get(LIST + "?q=低保")
    html = response.content.decode()
    assert "<mark>低保</mark>" in html
    rows = response.context["page"].rows
    units = [u for row in rows for u in row.problems + row.measures]
    assert units
    for unit in units[:12]:
        path, anchor = unit.url.split("#")
        assert f'id="{anchor}"' in client.get(path).content.decode()
        assert "低保" in tokenize.fold(re.sub(r"<[^>]+>", "", unit.html))


def test_measure_results_name_the_problem_they_answer(client):
    page = page_for(client, LIST, {"q": "台账", "scope": "measure"})
    assert page.rows
    for row in page.rows:
        assert row.measures and all(m.problem_html and "#problem-" in m.problem_url for m in row.measures)


def test_a_date_range_filters_and_a_bad_date_is_reported_not_fatal(client):
    page = page_for(client, LIST, {"published_after": "2025-01-01"})
    assert page.total == Notice.objects.filter(publish_date__gte="2025-01-01").count()
    response = client.get(LIST + "?published_after=2025-13-45")
    assert response.status_code == 200
    assert "无法识别发布日期起" in response.content.decode()
    assert response.context["page"].total == Notice.objects.count()


def test_no_results_offer_only_suggestions_that_find_something(client):
    page = page_for(client, LIST, {"q": "低保动态管理不到位", "province": "江苏省"})
    assert page.total == 0 and page.suggestions
    for suggestion in page.suggestions:
        again = page_for(client, LIST, QueryDict(suggestion.url[1:]))
        assert again.total == suggestion.count > 0
    html = client.get(LIST + "?q=zzzzqqqq").content.decode()
    assert "没有找到相符的通报" in html and "检索提示" in html


def test_a_suggestion_counts_as_the_search_it_leads_to_an_estimate_marked(client, monkeypatch):
    """Past the search's limit a suggestion's count is the search's estimate (an exact count of a
    broad word read every candidate's text), and says so."""
    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)  # 整改进 is checked on each text (no word entry)
    response = client.get(LIST + "?" + urlencode({"q": "整改进", "province": "西藏自治区"}))
    page = response.context["page"]
    assert page.total == 0
    estimated = [s for s in page.suggestions if s.estimated]
    assert estimated
    for suggestion in page.suggestions:
        again = page_for(client, LIST, QueryDict(suggestion.url[1:]))
        assert (again.total, again.estimated) == (suggestion.count, suggestion.estimated) and again.total > 0
    assert f"（约 {estimated[0].count} 份通报）" in response.content.decode()


HOSTILE = [
    {"q": "\x00低保"}, {"province": "\x00"}, {"q": "a" * 5000}, {"page": "-1"}, {"page": "abc"},
    {"page": "99999999999999999999"}, {"page": "²"}, {"year": "²"}, {"year": "99999999999999999999"},
    {"year": "١٢٣٤"}, {"scope": "<script>"}, {"level": "<script>"}, {"sort": "'; DROP TABLE notices_notice; --"},
    {"published_after": "0000-00-00"}, {"published_before": "9999-99-99"}, {"published_after": "2024-02-30"},
    {"topic": "x" * 300}, {"agency": "%"}, {"city": "_"}, {"q": "低保", "scope": "problem", "page": "2"},
    {"q": '"'}, {"q": "OR OR -"}, {"q": "agency:"}, {"kind": ["巡视", "巡察", "none", "x"] * 30},
    {"q": "<script>alert(1)</script>"}, {"name": "\x00"},
]


@pytest.mark.parametrize("params", HOSTILE)
@pytest.mark.parametrize("path", [LIST, PROBLEMS, reverse("notices:statistics"), reverse("notices:agency_list"), "/"])
def test_hostile_query_strings_never_fail(client, path, params):
    response = client.get(path + "?" + urlencode(params, doseq=True))
    assert response.status_code == 200


@pytest.mark.parametrize("query_string", ["q=%00", "q=%ED%A0%80", "q=%FF%FE", "q=" + "%E4" * 50, "page=%00", "=&&=="])
def test_broken_encodings_never_fail(client, query_string):
    notice = Notice.objects.first()
    for path in (LIST, PROBLEMS, notice.get_absolute_url()):
        assert client.get(path + "?" + query_string).status_code == 200


def test_user_input_is_escaped_everywhere_it_is_shown(client):
    evil = '<script>alert("x")</script>'
    for path in (LIST, PROBLEMS, Notice.objects.first().get_absolute_url()):
        html = client.get(path + "?" + urlencode({"q": evil, "province": evil})).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    html = client.get(reverse("notices:agency_list") + "?" + urlencode({"name": evil})).content.decode()
    assert "<script>alert" not in html


def test_highlighting_a_word_inside_markup_like_text_does_not_open_a_hole(client):
    notice = Notice.objects.first()
    html = client.get(notice.get_absolute_url() + "?" + urlencode({"q": "script <b>"})).content.decode()
    assert "<b>" not in html.split("<main", 1)[1]


def test_tidy_keeps_known_keys_and_bounds_everything():
    raw = QueryDict("q=a&q=b&province=x&province=x&province=&evil=1&page=2&page=3&topic=" + "y" * 500, mutable=True)
    cleaned = tidy(raw)
    assert cleaned.getlist("q") == ["a"] and cleaned.getlist("province") == ["x"]
    assert "evil" not in cleaned and cleaned.getlist("page") == ["2"]
    assert len(cleaned["topic"]) == 200


def test_the_search_form_keeps_the_filters_for_a_new_search(client):
    html = client.get(LIST + "?" + urlencode({"q": "低保", "province": "山东省", "sort": "oldest"})).content.decode()
    form = html[html.index('class="search-form'):html.index("</form>")]
    assert 'name="province" value="山东省"' in form and 'name="sort" value="oldest"' in form
    assert 'value="低保"' in form


def test_results_link_to_the_statistics_of_the_same_filters(client):
    page = page_for(client, LIST, {"province": "山东省", "q": "低保"})
    url = urlsplit(page.statistics_url)
    assert url.path == reverse("notices:statistics") and dict(parse_qsl(url.query)) == {"province": "山东省"}
    assert page_for(client, LIST, {"q": "低保"}).statistics_url is None
    stats = client.get(page.statistics_url).content.decode()
    assert 'class="chip-name">省</span> 山东省' in stats


def test_a_near_miss_of_an_agency_name_suggests_the_name(client):
    page = page_for(client, LIST, {"q": "东营市民政厅"})
    assert page.total == 0
    assert [s.text for s in page.suggestions if "东营市民政局" in s.text] == ["您是不是要找：东营市民政局"]


def test_results_offer_the_same_selection_as_csv_and_atom(client):
    html = client.get(LIST + "?" + urlencode({"q": "低保", "province": "山东省", "page": "1"})).content.decode()
    exports = re.findall(r'href="(/(?:export|feeds)/[^"]+)"', html.split('<footer')[0])  # the footer links everything
    assert len(set(exports)) == 3
    for href in exports:
        assert QueryDict(urlsplit(unescape(href)).query) == QueryDict("q=低保&province=山东省")


def test_a_facet_with_choices_offers_to_clear_just_that_facet(client):
    page = page_for(client, LIST, {"q": "低保", "province": ["山东省", "江苏省"], "level": "city"})
    by_name = {f.name: f for f in page.facets}
    assert by_name["topic"].clear_url is None
    assert QueryDict(by_name["province"].clear_url[1:]) == QueryDict("q=低保&level=city")
