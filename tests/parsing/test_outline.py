"""Stage 3: the category -> issue -> sub-issue -> measure tree, read from each notice's own numbering."""
from __future__ import annotations

from notices.parsing.pipeline import TRUNCATED

from .support import parse

OPENING = "根据县委统一部署,2024年4月8日至5月30日,县委第二巡察组对县卫生健康局党组进行了巡察,并于7月2日反馈了巡察意见。\n"


def _measures(issue):
    return [(m.label, m.text) for m in issue.measures]


def test_circled_numbers_number_the_measures():
    notice = parse(
        OPENING + "一、关于“理论学习不深入”问题\n整改措施：\n①制定学习计划。\n②开展专题研讨4次。\n"
        "二、关于“财务管理不规范”问题\n整改措施：\n①修订《财务管理制度》。\n"
    )
    first, second = notice.issues
    assert (first.label, first.title) == ("一", "关于“理论学习不深入”问题")
    assert _measures(first) == [("①", "制定学习计划。"), ("②", "开展专题研讨4次。")]
    assert _measures(second) == [("①", "修订《财务管理制度》。")]


def test_four_heading_levels_give_category_issue_sub_issue_and_inline_measures():
    notice = parse(
        OPENING + "一、巡察反馈问题整改落实情况\n（一）贯彻落实党的教育方针不到位方面\n1.落实立德树人根本任务有差距\n"
        "（1）思政课建设薄弱。\n整改情况：一是配齐思政课专职教师12名。二是开展集体备课28次。\n"
        "（2）课后服务质量不高。\n整改情况：出台《课后服务管理办法》。\n"
        "（二）全面从严治党责任落实不力方面\n1.监督执纪偏软\n（1）谈话提醒流于形式。\n整改情况：建立谈话台账。\n"
        "二、下一步工作打算\n（一）持续巩固整改成果。\n"
    )
    assert [i.category for i in notice.issues] == ["贯彻落实党的教育方针不到位方面", "全面从严治党责任落实不力方面"]
    issue = notice.issues[0]
    assert (issue.label, issue.title, issue.measures) == ("1", "落实立德树人根本任务有差距", ())
    assert [(c.label, c.title) for c in issue.children] == [("1", "思政课建设薄弱"), ("2", "课后服务质量不高")]
    assert _measures(issue.children[0]) == [("一是", "配齐思政课专职教师12名。"), ("二是", "开展集体备课28次。")]
    assert _measures(issue.children[1]) == [(None, "出台《课后服务管理办法》。")]


def test_a_notice_that_starts_straight_with_the_problem_list_is_parsed():
    notice = parse(
        "1.关于理论学习不深入的问题。整改情况：一是制定学习计划。二是开展专题学习6次。\n"
        "2.关于“三重一大”决策制度落实不到位的问题。完成情况：已全部整改到位,制定议事规则。\n"
    )
    assert [i.title for i in notice.issues] == ["关于理论学习不深入的问题", "关于“三重一大”决策制度落实不到位的问题"]
    assert [i.status for i in notice.issues] == [None, "done"]
    assert _measures(notice.issues[0]) == [("一是", "制定学习计划。"), ("二是", "开展专题学习6次。")]


def test_status_comes_from_the_notices_own_words():
    notice = parse(
        OPENING + "二、整改进展情况\n（一）关于“甲”问题的整改情况。\n完成情况：一是甲。\n"
        "（二）关于“乙”问题的整改情况。\n推进情况：一是乙。\n（三）关于“丙”问题的整改情况。\n整改进展情况：一是丙。\n"
        "（四）关于“丁”问题的整改情况（已完成）\n整改情况：一是丁。\n（五）关于“戊”问题的整改情况。\n整改情况：一是戊。\n"
    )
    assert [i.status for i in notice.issues] == ["done", "in_progress", None, "done", None]
    assert notice.issues[3].title == "关于“丁”问题的整改情况"


def test_problems_in_quotes_name_the_issue_as_printed():
    notice = parse(
        OPENING + "一、整改工作基本情况\n局党组高度重视,成立整改工作领导小组。\n二、反馈问题整改情况\n"
        "（一）针对“学习贯彻习近平新时代中国特色社会主义思想不够深入”问题\n1.建立“第一议题”制度,全年学习42次。\n"
        "2.开展专题读书班2期。\n（二）在“落实全面从严治党主体责任”方面\n1.召开党风廉政建设专题会议4次。\n三、下一步工作打算\n持续巩固。\n"
    )
    assert [i.title for i in notice.issues] == [
        "针对“学习贯彻习近平新时代中国特色社会主义思想不够深入”问题",
        "在“落实全面从严治党主体责任”方面",
    ]
    assert _measures(notice.issues[0]) == [("1", "建立“第一议题”制度,全年学习42次。"), ("2", "开展专题读书班2期。")]


def test_a_full_stop_inside_quotes_does_not_end_the_title():
    notice = parse(OPENING + "（一）关于“党建工作存在短板弱项。对社会组织党建工作重视不足”问题的整改情况。\n推进情况：一是召开推进会。\n")
    assert notice.issues[0].title == "关于“党建工作存在短板弱项。对社会组织党建工作重视不足”问题的整改情况"


def test_numbering_that_restarts_in_another_style_stays_at_the_same_level():
    notice = parse(
        OPENING + "三、基层党组织软弱涣散问题整改情况\n（一）执行民主集中制不够坚决有力。\n整改情况：一是按要求召开党组会议。\n"
        "2.表率作用发挥不到位。\n整改情况：一是完善内部管理制度。\n3.借用编外人员数量过多。\n整改情况：一是及时补充空编。\n"
    )
    assert [(i.label, i.title) for i in notice.issues] == [
        ("一", "执行民主集中制不够坚决有力"),
        ("2", "表率作用发挥不到位"),
        ("3", "借用编外人员数量过多"),
    ]
    assert {i.category for i in notice.issues} == {"基层党组织软弱涣散问题整改情况"}


def test_sections_that_are_not_findings_give_no_issues():
    notice = parse(
        OPENING + "一、整改工作基本情况\n（一）统一思想认识,提高政治站位。局党组召开会议。\n"
        "二、巡察反馈问题的整改情况\n1.关于理论学习不深入的问题\n整改情况：一是集中学习。\n"
        "三、巡察反馈问题的处理情况\n对11名相关责任人作出处理。\n四、下一步工作打算\n（一）进一步扛牢整改责任。\n"
        "欢迎广大干部群众对巡察整改落实情况进行监督。联系方式:电话8333016\n中共某某县卫生健康局党组\n2024年10月15日"
    )
    assert [i.title for i in notice.issues] == ["关于理论学习不深入的问题"]
    assert _measures(notice.issues[0]) == [("一是", "集中学习。")]


def test_measures_one_per_paragraph_and_continuation_paragraphs():
    notice = parse(
        OPENING + "二、整改情况\n（一）学习不深入。\n整改情况：\n制定学习计划。\n开展专题研讨。\n"
        "（二）制度执行不严。\n整改情况：一是修订制度。\n制度已印发执行。\n二是开展检查。\n"
    )
    assert _measures(notice.issues[0]) == [(None, "制定学习计划。"), (None, "开展专题研讨。")]
    assert _measures(notice.issues[1]) == [("一是", "修订制度。\n制度已印发执行。"), ("二是", "开展检查。")]


def test_numbering_that_carries_on_after_a_line_break_starts_new_measures():
    notice = parse(OPENING + "（一）学习不深入。\n整改情况：一是制定学习计划。二是开展研讨,\n完成研讨3次。三是纳入考核。\n")
    assert [m.label for m in notice.issues[0].measures] == ["一是", "二是", "三是"]


def test_a_repeated_inline_label_is_kept_as_printed():
    notice = parse(OPENING + "（一）政策创制能力不足。\n推进情况：一是修订指引。二是加强宣贯。三是推动落实。三是推动立法。\n")
    assert [m.label for m in notice.issues[0].measures] == ["一是", "二是", "三是", "三是"]


def test_a_second_marker_starts_new_measures_and_attribute_lines_are_not_measures():
    notice = parse(
        OPENING + "（一）关于“监督管理不严”问题的整改情况\n问题表现：部分社会组织年检不及时。\n责任单位：社会组织管理局\n"
        "整改措施：一是开展年检专项行动。二是约谈负责人8人。\n整改成效：年检率提升至98%。\n"
    )
    assert _measures(notice.issues[0]) == [
        ("一是", "开展年检专项行动。"), ("二是", "约谈负责人8人。"), (None, "年检率提升至98%。"),
    ]


def test_a_truncated_notice_parses_what_is_there_and_says_it_looks_truncated():
    notice = parse(
        OPENING + "二、巡察反馈问题整改情况\n（一）关于“党委领导作用发挥不充分”问题的整改情况。\n"
        "推进情况：一是修订党委会议事规则。二是规范“三重一大”决策程序，"
    )
    assert _measures(notice.issues[0]) == [("一是", "修订党委会议事规则。"), ("二是", "规范“三重一大”决策程序,")]
    assert TRUNCATED in notice.warnings


def test_a_complete_notice_has_no_truncation_warning():
    notice = parse(OPENING + "（一）学习不深入。\n整改情况：一是制定计划。\n中共某某县卫生健康局党组\n2024年10月15日")
    assert notice.warnings == ()


def test_a_traditional_notice_gives_the_same_tree_in_its_own_characters():
    notice = parse(
        "根據縣委統一部署,縣委第一巡察組對縣民政局黨組開展了巡察。\n一、關於“政治理論學習不深入”問題的整改情況\n"
        "完成情況：一是制定學習計劃。二是開展專題研討3次。\n二、關於“資金監管存在漏洞”問題的整改情況\n推進情況：一是建立資金臺賬。\n"
    )
    assert [(i.title, i.status) for i in notice.issues] == [
        ("關於“政治理論學習不深入”問題的整改情況", "done"),
        ("關於“資金監管存在漏洞”問題的整改情況", "in_progress"),
    ]
    assert _measures(notice.issues[0]) == [("一是", "制定學習計劃。"), ("二是", "開展專題研討3次。")]


def test_a_text_without_headings_has_no_issues_and_says_so():
    notice = parse("根据区委统一部署,现将巡察整改进展情况予以公布。局党组高度重视,认真整改。")
    assert notice.issues == ()
    assert any("没有找到问题清单" in warning for warning in notice.warnings)


def test_an_intro_section_that_names_no_problem_is_not_a_finding():
    notice = parse(
        OPENING + "一、坚持高位推动,压紧压实整改责任\n（一）加强组织领导。成立领导小组。\n（二）坚持问题导向,逐项整改到位。建立台账。\n"
        "二、聚焦巡察反馈问题,逐项抓好整改落实\n（一）关于党的建设方面\n1.理论学习不深入。\n整改情况:一是集中学习。\n"
    )
    assert [(i.category, i.title) for i in notice.issues] == [("关于党的建设方面", "理论学习不深入")]


def test_a_problem_prefix_is_not_part_of_the_title_and_a_progress_line_states_the_status():
    notice = parse(
        OPENING + "二、反馈问题整改情况\n（一）反馈问题：理论学习不深入。\n整改措施：一是制定学习计划。\n整改进展：已完成。\n"
        "（二）反馈问题：制度执行不严。\n整改措施：修订制度。\n整改进展：持续推进。\n"
    )
    assert [(i.title, i.status) for i in notice.issues] == [("理论学习不深入", "done"), ("制度执行不严", "in_progress")]
    assert _measures(notice.issues[0]) == [("一是", "制定学习计划。")]


def test_a_findings_section_named_for_its_results_still_holds_the_problems():
    notice = parse(
        OPENING + "一、整改工作基本情况\n局党组高度重视。\n二、巡视反馈问题整改的主要成效\n"
        "（一）关于学习贯彻不深入的问题\n（二）关于制度执行不严格的问题\n三、下一步打算\n持续整改。"
    )
    assert [i.title for i in notice.issues] == ["关于学习贯彻不深入的问题", "关于制度执行不严格的问题"]


def test_a_problem_list_glued_to_the_opening_that_announces_it_starts_there():
    for first, second in (("1.", "2."), ("（一）", "（二）")):
        notice = parse(
            "中共临泉县统计局党组关于县委巡察整改情况的通报\n根据县委统一部署，县委第二巡察组对县统计局党组开展了巡察。"
            f"现将整改情况通报如下：{first}统计数据质量管控不够严格。整改情况：建立数据审核制度。\n"
            f"{second}统计执法检查不够有力。整改情况：开展执法检查。\n"
        )
        assert [issue.title for issue in notice.issues] == ["统计数据质量管控不够严格", "统计执法检查不够有力"]
        assert notice.metadata.inspector == "县委第二巡察组"
