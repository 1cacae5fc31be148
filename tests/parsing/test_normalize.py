"""Stage 2: what normalisation keeps, drops, joins, splits and reads."""
from __future__ import annotations

import pytest

from notices.parsing.normalize import fold_for_matching, normalize
from notices.parsing.types import DecodedDocument


def _norm(text: str, **page_metadata):
    return normalize(DecodedDocument(text=text, format="text", page_metadata=page_metadata))


def test_folding_for_matching_keeps_every_index_of_the_printed_line():
    printed = "中共文化和旅遊部黨組關於巡視整改進展情況的通報,向部黨組回饋了巡視意見"
    folded = fold_for_matching(printed)
    assert len(folded) == len(printed)
    assert folded.startswith("中共文化和旅游部党组关于巡视整改进展情况的通报")
    assert folded.endswith("反馈了巡视意见")  # 回饋 is the mainland 反馈, not 回馈


def test_traditional_text_stays_traditional_in_the_output():
    norm = _norm("中共文化和旅遊部黨組關於巡視整改進展情況的通報\n根據中央統一部署,現將整改情況予以公佈。")
    assert norm.title == "中共文化和旅遊部黨組關於巡視整改進展情況的通報"
    assert norm.lines[0].startswith("根據中央")


def test_romanisation_a_mirror_inserted_is_stripped_but_brackets_stay():
    norm = _norm("根據(jù)区委统一部署,制定《办法(试行)》(2023年)。(一)关(guān)于问题")
    assert norm.lines[0] == "根據区委统一部署,制定《办法(试行)》(2023年)。(一)关于问题"


def test_circled_numbers_survive_compatibility_folding():
    norm = _norm("整改措施:\n①制定学习计划。\n②开展专题研讨。")
    assert norm.lines[1].startswith("①")


def test_web_page_chrome_is_dropped():
    text = (
        "长者助手 登录\n您当前的位置: > >图片新闻\n中共某某局党组关于巡察整改情况的通报\n"
        "字号:【大 中 小】\n【打印本页】【关闭窗口】\n分享:\n朗读\n根据区委统一部署,现将整改情况予以公布。\n"
        "扫一扫在手机打开当前页\n鲁ICP备05003233号 网站标识码:3700000068\n— 3 —"
    )
    norm = _norm(text)
    assert norm.title == "中共某某局党组关于巡察整改情况的通报"
    assert norm.lines == ("根据区委统一部署,现将整改情况予以公布。",)


def test_disclosure_lines_are_read_into_page_fields_not_kept_as_text():
    text = (
        "• 信息索引号:\n113307020501239658/2023-46395\n• 文件名称:\n中共某某局党组关于巡察整改情况的通报\n"
        "• 发布机构:\n某某局\n• 成文日期:\n2023-05-04\n• 公开方式:\n主动公开\n"
        "日期:2023-05-05 08:46:31 来源:区文旅体局 浏览量:\n根据区委统一部署,现将整改情况予以公布。"
    )
    norm = _norm(text)
    assert norm.page_fields["index_number"] == "113307020501239658/2023-46395"
    assert norm.page_fields["written_date"] == "2023-05-04"
    assert norm.page_fields["publish_date"] == "2023-05-05 08:46:31"
    assert norm.page_fields["publisher"] == "某某局"
    assert norm.title == "中共某某局党组关于巡察整改情况的通报"
    assert norm.lines == ("根据区委统一部署,现将整改情况予以公布。",)


def test_spaced_out_disclosure_keys_are_read():
    norm = _norm("• 索 引 号:370403/2025-02427\n• 发文时间:2025年09月29日\n根据区委统一部署,现将情况予以公布。")
    assert norm.page_fields == {"index_number": "370403/2025-02427", "publish_date": "2025年09月29日"}


def test_the_decoders_page_metadata_wins_over_text_it_repeats():
    norm = _norm("发布日期: 2024-10-25\n根据省委统一部署,现将情况予以公布。", publish_date="2024-10-26")
    assert norm.page_fields["publish_date"] == "2024-10-26"


def test_a_title_split_over_two_lines_is_joined():
    norm = _norm("中共湘潭市雨湖区民政局党组关于巡察整改\n进展情况的通报\n根据区委统一部署,现将整改进展情况予以公布。")
    assert norm.title == "中共湘潭市雨湖区民政局党组关于巡察整改进展情况的通报"


@pytest.mark.parametrize("title", [
    "中共东营市民政局党组关于市委第六巡察组反馈意见集中整改进展情况的通报",
    "中共湖北省高级人民法院党组关于十二届省委第八轮巡视整改进展情况的通报",
    "中共文化和旅遊部黨組關於巡視整改進展情況的通報",
    "中共延津县农业农村局党组关于落实县委巡察反馈意见整改情况的报告",
])
def test_a_title_the_print_split_after_its_guanyu_is_read_whole(title):
    about = fold_for_matching(title).index("关于")
    # A cut inside the issuer's name leaves a piece that reads as a title alone: not read.
    # A cut right before 关于 leaves a letterhead (see test_metadata).
    body = "根据统一部署,现将整改进展情况予以公布。"
    # Two pieces, or three (the later two of at least two characters each).
    cuts = [(cut,) for cut in range(about + 1, len(title))]
    cuts += [(one, two) for one in range(about + 1, len(title)) for two in range(one + 2, len(title) - 1)]
    for cut in cuts:
        pieces = [title[i:j] for i, j in zip((0, *cut), (*cut, len(title)))]
        norm = _norm("\n".join([*pieces, body]))
        assert norm.title == title, pieces
        assert norm.lines == (body,)


def test_a_line_next_to_the_title_joins_it_only_as_one_of_its_pieces():
    body = "\n根据统一部署,现将整改进展情况予以公布。"
    for above in ("关于我们", "首页 > 通知公告 > 关于", "来源：关于本站"):
        assert _norm(above + "\n某某局党组巡察整改情况的通报" + body).title == "某某局党组巡察整改情况的通报", above
    # ...and a line below only as the piece that ends it.
    for below in ("公示公告", "附件：某某公告", "首页>公示公告"):
        assert _norm("关于巡察整改进展情况\n" + below + body).title == "关于巡察整改进展情况", below


def test_a_stray_space_inside_the_title_is_removed():
    norm = _norm("中共惠东县民政局党组关于县委巡察集中 整改进展情况的通报\n根据县委统一部署,现将情况予以公布。")
    assert norm.title == "中共惠东县民政局党组关于县委巡察集中整改进展情况的通报"


def test_a_title_printed_twice_is_kept_once():
    norm = _norm("学院“三重一大”决策制度落实情况的通报\n学院“三重一大”决策制度落实情况的通报\n2024年10月28日至11月10日,巡察组开展巡察。")
    assert norm.title == "学院“三重一大”决策制度落实情况的通报"
    assert norm.lines == ("2024年10月28日至11月10日,巡察组开展巡察。",)


def test_a_date_glued_on_the_title_is_taken_off_and_kept():
    norm = _norm("中共某某局党组关于巡察整改情况的通报(2024年1月9日)\n根据市委统一部署,现将情况予以公布。")
    assert norm.title == "中共某某局党组关于巡察整改情况的通报"
    assert norm.title_date == "(2024年1月9日)"


def test_a_report_is_a_title_too():
    norm = _norm("中共延津县农业农村局党组关于落实县委巡察反馈意见整改情况的报告\n根据县委统一部署,现报告如下:")
    assert norm.title == "中共延津县农业农村局党组关于落实县委巡察反馈意见整改情况的报告"


def test_a_notice_without_a_title_has_none():
    assert _norm("根据区委巡察工作统一部署,现将巡察整改进展情况予以公布。\n一、整改工作基本情况").title is None


def test_lines_a_page_break_cut_mid_sentence_are_joined():
    norm = _norm(
        "一、整改情况\n整改情况：一是修订完善《财务管理制度》。规范\n\n服务项目实施,提升规范化管理水平。\n"
        "（二）关于压紧压实全面从严治党主体责任还不够到位，重点\n\n领域廉政风险防控不足方面\n1.针对问题。"
    )
    assert norm.lines[1] == "整改情况:一是修订完善《财务管理制度》。规范服务项目实施,提升规范化管理水平。"
    assert norm.lines[2] == "(二)关于压紧压实全面从严治党主体责任还不够到位,重点领域廉政风险防控不足方面"


def test_headings_signature_and_date_are_never_joined_to_a_line_before():
    norm = _norm("一、总体情况\n局党组高度重视。\n联系方式:电话8333016;电子邮箱a@b.cn\n中共某某局党组\n2026年1月9日")
    assert norm.lines == ("一、总体情况", "局党组高度重视。", "联系方式:电话8333016;电子邮箱a@b.cn", "中共某某局党组", "2026年1月9日")


def test_a_notice_captured_on_one_line_is_split_back_into_paragraphs():
    body = "(一)统一思想认识。" + "局党组召开会议,研究部署整改工作。" * 60
    text = (
        "中共某某局党组关于巡察整改进展情况的通报根据市委统一部署,现将巡察整改进展情况予以公布。"
        f"一、整改工作基本情况{body}二、巡察反馈问题整改情况(一)关于学习不深入的问题整改情况:一是制定计划。"
        "欢迎广大干部群众进行监督。中共某某局党组2026年1月9日"
    )
    norm = _norm(text)
    assert norm.title == "中共某某局党组关于巡察整改进展情况的通报"
    assert norm.lines[0] == "根据市委统一部署,现将巡察整改进展情况予以公布。"
    assert "一、整改工作基本情况" in norm.lines
    assert norm.lines[-6:-2] == ("(一)关于学习不深入的问题", "整改情况:", "一是制定计划。", "欢迎广大干部群众进行监督。")
    assert norm.lines[-2:] == ("中共某某局党组", "2026年1月9日")
