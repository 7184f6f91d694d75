"""Identity and refusal rules of pipelines/discover, on made-up pages (names of no real department)."""
from __future__ import annotations

import pytest

from pipelines.discover.content import part_of, refusal
from pipelines.discover.identity import department_name, identify
from pipelines.read.model import RawDocument, RawTable, SourceRef, TextLine


def _doc(*lines: str, tables: int = 0) -> RawDocument:
    ref = SourceRef("made-up.pdf", page=1)
    return RawDocument(
        source_files=["made-up.pdf"], text_lines=[TextLine(text, ref) for text in lines],
        tables=[RawTable("income_expenditure_summary", "收支预算总表", "元", ["项目", "预算数"], [], [], ref)] * tables)


def _identity(*lines: str, tables: int = 0) -> tuple:
    identity = identify(_doc(*lines, tables=tables))
    return identity.department, identity.year, identity.kind, identity.scope


# ------------------------------------------------------------------------------------------------ names

@pytest.mark.parametrize("cover", [
    ("东川市医疗保障局部门 2026 年度部门预算", "信息公开", "目 录"),  # the name's 部门 word before the year
    ("东川市医疗保障局部门", "2026 年度部门预算信息公开", "目 录"),  # the same over two lines
    ("东川市医疗保障局", "2026 年度部门预算信息公开", "目 录"),
])
def test_a_cover_names_its_department_whatever_the_line_breaks_and_suffix_words(cover):
    assert _identity(*cover, "第一部分 2026 年度部门预算情况说明") == ("东川市医疗保障局", 2026, "预算", "部门")


def test_a_second_name_in_brackets_is_part_of_the_name():
    name = "东川市财务会计管理中心（东川市财政科学研究所）"
    assert department_name(name) == name
    assert department_name("东川市审计局（盖章）") is None
    assert _identity("东川市2026年市级单位预算", f"预算单位：{name}", "目 录") == (name, 2026, "预算", "单位")


def test_without_a_cover_the_duties_sentence_names_the_department():
    lines = ("第一部分 2026 年度部门预算情况说明", "一、部门情况说明", "二、收入预算情况说明", "（一）本部门职责情况",
             "东川市人民政府办公厅主要职责包括：", "1.协助市政府领导同志处理日常工作。")
    assert _identity(*lines) == ("东川市人民政府办公厅", 2026, "预算", "部门")


def test_a_form_printing_its_year_as_2026_in_brackets():
    lines = ("预算表12年度项目支出绩效表", "金额单位：万元", "预算13表部门整体支出绩效目标表", "2026（年度）",
             "部门名称：东川市信访办公室")
    assert _identity(*lines, tables=1) == ("东川市信访办公室", 2026, "预算", "部门")


# ------------------------------------------------------------------------------------------------ target forms

@pytest.mark.parametrize("lines, part", [
    (("东川市生态环境局2026年部门整体预算绩效目标申报表", "部门名称东川市生态环境局"), "department_targets"),
    (("部门整体预算绩效目标申报表", "部门名称东川市生态环境局", "完成2026年度监测任务", "2026年全年运行"),
     "department_targets"),
    (("项目支出绩效目标表（含转移支付项目）", "部门名称：东川市生态环境局单位：万元", "2025—2026年运维项目",
      "完成2026年度巡查"), "project_targets"),
])
def test_target_forms_alone_are_a_part_of_the_departments_budget(lines, part):
    raw = _doc(*lines)
    identity = identify(raw)
    assert (identity.department, identity.year, identity.kind, identity.scope) == ("东川市生态环境局", 2026, "预算", "部门")
    assert part_of(raw) == part
    assert refusal(raw, identity, part) is None


def test_target_forms_naming_no_department_are_refused():
    raw = _doc("项目支出绩效目标表", "项目名称总计绩效目标", "巡查经费 12.00")
    reason = refusal(raw, identify(raw), part_of(raw))
    assert reason.startswith("只有绩效目标表（“项目支出绩效目标表”）") and "没有“部门名称”" in reason


# ------------------------------------------------------------------------------------------------ refusals

@pytest.mark.parametrize("lines, words", [
    (("东教函〔2024〕7号", "各区教育局：", "现将2024年抽查工作计划印发如下："),
     "这是文号为东教函〔2024〕7号的公文（通知或函），主送“各区教育局”"),
    (("DCGS-2022-1", "东教体〔2022〕9号", "东川市教育局关于印发《东川市体育考试", "实施意见》的通知", "各区教育局："),
     "这是东川市教育局的通知（东教体〔2022〕9号）：“东川市教育局关于印发《东川市体育考试实施意见》的通知”"),
    (("ICS 03.160", "中华人民共和国某行政行业标准", "XX/T 0001—2020", "调解工作规范"),
     "这是一项标准：“中华人民共和国某行政行业标准 XX/T0001—2020 调解工作规范”"),
    (("附件2", "国家组织药品供应清单（第一批次采购）", "序号 品种名称"), "第一页开头是“附件2 国家组织药品供应清单（第一批次采购）”"),
    # a notice that speaks of a budget is a notice all the same
    (("东财预〔2026〕3号", "东川市财政局关于做好2026年部门预算公开工作的通知"), "这是东川市财政局的通知（东财预〔2026〕3号）"),
])
def test_a_file_that_is_no_disclosure_is_refused_saying_what_it_is(lines, words):
    raw = _doc(*lines)
    reason = refusal(raw, identify(raw), part_of(raw))
    assert reason.startswith("不是预算公开文件：没有标准表格（收支总表、支出总表……），也没有“20xx年部门预算/决算”标题；")
    assert words in reason


@pytest.mark.parametrize("lines", [
    ("东川市水务局 2026 年度部门预算信息公开", "目 录", "第一部分 2026 年度部门预算情况说明"),
    ("东川市水务局", "2026 部门预算情况的说明", "一、部门情况说明"),
    ("东川市2026年市级单位预算", "预算单位：东川市水务局", "目 录"),
])
def test_a_narrative_with_its_heading_is_a_disclosure(lines):
    raw = _doc(*lines)
    assert part_of(raw) == "narrative"
    assert refusal(raw, identify(raw), "narrative") is None


def test_a_year_alone_is_no_disclosure_heading():
    raw = _doc("东川市气象局2024年双随机抽查工作计划", "一、抽查对象")
    assert identify(raw).year == 2024
    assert refusal(raw, identify(raw), part_of(raw)).endswith("；第一页开头是“东川市气象局2024年双随机抽查工作计划”")


def test_a_file_with_standard_tables_is_never_refused():
    raw = _doc("东教函〔2024〕7号", tables=1)
    assert part_of(raw) == "tables" and refusal(raw, identify(raw), "tables") is None


def test_a_narrative_citing_a_notice_on_its_first_page_is_no_notice():
    raw = _doc("东川市国资委", "2026 部门预算情况的说明", "一、部门情况说明", "根据《东川市人民政府关于机构设置的通知",
               "》（东政发〔2009〕2 号）设立。")
    assert refusal(raw, identify(raw), part_of(raw)) is None
