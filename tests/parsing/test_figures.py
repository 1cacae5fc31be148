"""The figures a notice states about itself."""
from __future__ import annotations

from .support import parse

OVERVIEW = (
    "根据区委统一部署,现将巡察整改情况予以公布。\n"
    "截至目前,巡察反馈25个问题,已完成整改19个、正在整改6个。研究提出91条整改措施。在巡察整改工作中,给予政务处分0人;"
    "诫勉谈话3人、批评教育1人、提醒谈话8人。制定及修改完善制度12项,追缴资金7.132万元。\n"
)


def test_the_overview_counts_are_read():
    figures = parse(OVERVIEW).figures
    assert (figures.problems_reported, figures.problems_done, figures.problems_in_progress) == (25, 19, 6)
    assert (figures.measures_planned, figures.regulations_made) == (91, 12)
    assert figures.accountability == {"政务处分": 0, "诫勉谈话": 3, "批评教育": 1, "提醒谈话": 8}
    assert figures.money_recovered_yuan == 71320.0


def test_a_count_inside_one_problems_steps_is_not_the_notices_total():
    figures = parse(
        "根据县委统一部署,现将整改情况予以公布。\n一、整改落实情况\n1.针对“党员管理宽松软”问题。\n"
        "整改情况:一是开展谈心谈话,查找出的19个问题已全部整改完毕。"
    ).figures
    assert figures.problems_done is None


def test_single_cases_are_summed_when_the_notice_gives_no_total():
    figures = parse(
        "根据区委统一部署,现将整改情况予以公布。\n二、巡察反馈问题的整改情况\n1.关于作风不实的问题\n"
        "整改情况:一是对1名干部进行诫勉谈话。二是追回违规领取的低保金3200元。\n2.关于管理缺位的问题\n"
        "整改情况:一是对2名干部进行诫勉谈话,对1名干部进行提醒谈话。"
    ).figures
    assert figures.accountability == {"诫勉谈话": 3, "提醒谈话": 1}
    assert figures.money_recovered_yuan == 3200.0


def test_a_notice_that_states_no_figures_has_none():
    figures = parse("根据区委统一部署,现将整改情况予以公布。").figures
    assert figures.problems_reported is None and figures.accountability == {} and figures.money_recovered_yuan is None
