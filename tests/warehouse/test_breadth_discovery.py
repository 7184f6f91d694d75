"""Discovery on the breadth corpus (../shared/breadth, 159 files of 9 cities as a scraper saved them):
each file's identity checked by hand against its cover or heading, its merges, and the refusal of every
file that is no disclosure.

The expectations were read off the files (their first pages rendered and read, pdftotext for the rest),
never from the pipeline's output. A run over the whole corpus takes minutes, so the files named here
are copied into a folder of their own and run once per session (the merges need all files of a
disclosure, so each merged disclosure is copied whole). ``python -m pipelines.file_outcomes WAREHOUSE``
lists every file of a full run.
"""
from __future__ import annotations

import shutil

import duckdb
import pytest

from pipelines.file_outcomes import file_outcomes
from tests.conftest import REPO, run_pipeline

BREADTH = REPO.parent / "shared" / "breadth"

pytestmark = pytest.mark.skipif(not BREADTH.is_dir(), reason=f"breadth corpus not available at {BREADTH}")

BUDGET, DEPARTMENT, UNIT = "预算", "部门", "单位"

# file → (department, year, kind, scope), as its cover or heading prints it.
IDENTITIES = {
    # 上海: every file is one unit's 单位预算 ("上海市2026年市级单位预算 / 预算单位：X"), whatever its name says
    "上海/2026年上海市统计局_部门预算.pdf": ("上海市统计和大数据研究院（上海市统计数据管理中心）", 2026, BUDGET, UNIT),
    "上海/2026年上海市财政局_部门预算.pdf": ("上海市财务会计综合管理事务中心（上海市财政科学研究所）", 2026, BUDGET, UNIT),
    "上海/2026年上海市审计局_部门预算.pdf": ("上海市审计局", 2026, BUDGET, UNIT),
    "上海/2026年上海市交通运输局_部门预算.pdf": ("上海交通职业技术学院", 2026, BUDGET, UNIT),
    # 北京: narrative (情况说明) and tables (报表) published as two files
    "北京/2026年北京市人民政府办公厅部门预算.pdf": ("北京市人民政府办公厅", 2026, BUDGET, DEPARTMENT),  # no cover
    "北京/2026年北京市信访办公室部门预算.pdf": ("北京市信访办公室", 2026, BUDGET, DEPARTMENT),  # "X部门 2026年度部门预算"
    "北京/政府办公厅_附件2：北京市信访办公室2026年度部门预算报表.pdf": ("北京市信访办公室", 2026, BUDGET, DEPARTMENT),
    "北京/2026年北京市医疗保障局部门预算.pdf": ("北京市医疗保障局", 2026, BUDGET, DEPARTMENT),
    "北京/医疗保障局_2026年部门预算.pdf": ("北京市医疗保障局", 2026, BUDGET, DEPARTMENT),
    "北京/政府办公厅_附件1：中共北京市委军民融合发展委员会办公室2026年度部门预算情况说明.pdf":
        ("中共北京市委军民融合发展委员会办公室", 2026, BUDGET, DEPARTMENT),
    "北京/政府办公厅_附件2：中共北京市委军民融合发展委员会办公室2026年度部门预算报表.pdf":  # year printed 2026（年度）
        ("中共北京市委军民融合发展委员会办公室", 2026, BUDGET, DEPARTMENT),
    "北京/政府办公厅_2026年部门预算.pdf": ("首都绿化委员会办公室", 2026, BUDGET, DEPARTMENT),  # its 部门名称 field
    "北京/政府办公厅_附件1：首都绿化委员会办公室2026年度部门预算情况说明.pdf": ("首都绿化委员会办公室", 2026, BUDGET, DEPARTMENT),
    "北京/2026年北京市城市管理综合行政执法局部门预算.pdf": ("北京市城市管理综合行政执法局", 2026, BUDGET, DEPARTMENT),
    # 广州: one file each, and target forms published beside it
    "广州/2026年广州市人民政府办公厅部门预算.pdf": ("广州市人民政府办公厅", 2026, BUDGET, DEPARTMENT),
    "广州/2026年广州市宣传部部门预算.pdf": ("中国共产党广州市委员会宣传部", 2026, BUDGET, DEPARTMENT),
    "广州/国有资产监督管理委员会_2026年部门预算.pdf": ("广州市人民政府国有资产监督管理委员会", 2026, BUDGET, DEPARTMENT),
    "广州/2026年广州市政务服务和数据管理局部门预算.pdf": ("广州市政务服务和数据管理局", 2026, BUDGET, DEPARTMENT),
    "广州/政务服务和数据管理局_广州市政务服务和数据局2026年部门整体预算绩效目标申报表.pdf":
        ("广州市政务服务和数据管理局", 2026, BUDGET, DEPARTMENT),
    "广州/政务服务和数据管理局_广州市政务服务和数据管理局2026年项目支出绩效目标表（含转移支付项目）.pdf":
        ("广州市政务服务和数据管理局", 2026, BUDGET, DEPARTMENT),
    # 无锡: a 2025 budget saved under a 2026 name; 单位预算 of the bureau's own level
    "无锡/信访局_2026年部门预算.pdf": ("无锡市信访局", 2025, BUDGET, DEPARTMENT),
    "无锡/2026年无锡市教育局部门预算.pdf": ("无锡市教育局", 2026, BUDGET, UNIT),  # 无锡市教育局（本级）单位预算公开
    "无锡/城市管理和综合执法局_2026年部门预算.pdf": ("无锡市应急管理综合行政执法监督局", 2026, BUDGET, UNIT),
    # 泉州
    "泉州/2026年泉州市人民政府办公室部门预算.pdf": ("泉州市人民政府办公室", 2026, BUDGET, DEPARTMENT),
    "泉州/政府办公厅_2026年度泉州市人民政府办公室（本级）单位预算.pdf": ("泉州市人民政府办公室", 2026, BUDGET, UNIT),
    # 深圳: covers wrapped anywhere ("2026 年深圳市公安局交通管理局（本 / 级）部门预算")
    "深圳/2026年深圳市公安局交通管理局部门预算.pdf": ("深圳市公安局交通管理局", 2026, BUDGET, DEPARTMENT),
    "深圳/2026年深圳市宣传部部门预算.pdf": ("中共深圳市委宣传部", 2026, BUDGET, DEPARTMENT),
    "深圳/规划和自然资源局_2026年部门预算.pdf": ("深圳市规划和自然资源局大鹏管理局", 2026, BUDGET, DEPARTMENT),
    # 苏州
    "苏州/2026年苏州市科技创新局部门预算.pdf": ("苏州市科学技术局", 2026, BUDGET, UNIT),
    "苏州/规划和自然资源局_苏州市自然资源和规划局（本级）2026年度单位预算公开.pdf": ("苏州市自然资源和规划局", 2026, BUDGET, UNIT),
    # 重庆
    "重庆/2026年重庆市人民政府办公厅部门预算.pdf": ("重庆市人民政府办公厅", 2026, BUDGET, DEPARTMENT),
    "重庆/2026年重庆市水利局部门预算.pdf": ("重庆市水利局", 2026, BUDGET, DEPARTMENT),
}

# The files of one disclosure, read as one document.
MERGED = [
    {"北京/2026年北京市信访办公室部门预算.pdf", "北京/政府办公厅_附件2：北京市信访办公室2026年度部门预算报表.pdf"},
    {"北京/2026年北京市医疗保障局部门预算.pdf", "北京/医疗保障局_2026年部门预算.pdf"},
    {"北京/政府办公厅_附件1：中共北京市委军民融合发展委员会办公室2026年度部门预算情况说明.pdf",
     "北京/政府办公厅_附件2：中共北京市委军民融合发展委员会办公室2026年度部门预算报表.pdf"},
    {"北京/政府办公厅_2026年部门预算.pdf", "北京/政府办公厅_附件1：首都绿化委员会办公室2026年度部门预算情况说明.pdf"},
    {"广州/2026年广州市政务服务和数据管理局部门预算.pdf",
     "广州/政务服务和数据管理局_广州市政务服务和数据局2026年部门整体预算绩效目标申报表.pdf",
     "广州/政务服务和数据管理局_广州市政务服务和数据管理局2026年项目支出绩效目标表（含转移支付项目）.pdf"},
]

# Two revisions of one narrative, saved in the same second: the later by its PDF date (a typo fixed) is used.
SUPERSEDED = {"北京/城市管理和综合执法局_附件1：北京市城市管理综合行政执法局2026年度部门预算情况说明.pdf":
              "北京/2026年北京市城市管理综合行政执法局部门预算.pdf"}

# Every file that is no disclosure, and what its reason must say.
REFUSED = {
    "北京/政务服务和数据管理局_2026年部门预算.pdf": "第1页没有文字层（扫描件或图片PDF，第1–8页都是图片）：暂不能识别，需要OCR",
    "泉州/商务局_2026年部门预算.pdf": "第1页没有文字层（扫描件或图片PDF，第1–19页都是图片）",
    "广州/司法局_2026年部门预算_6fa52724.pdf": "不是预算公开文件：没有标准表格（收支总表、支出总表……），也没有"
                                        "“20xx年部门预算/决算”标题；这是一项标准",
    "泉州/2026年泉州市气象局部门预算.pdf": "这是文号为泉气函〔2024〕31号的公文（通知或函）",
    "泉州/统计局_2026年部门预算.pdf": "不是预算公开文件：没有标准表格",
    "泉州/文化广电旅游体育局_福建省财政厅_福建省文化和旅游厅关于提前下达2026年福建省文旅经济发展专项资金的通知.pdf":
        "无法打开PDF，文件已损坏或不完整",
    "珠海/2026年珠海市教育局部门预算.pdf": "这是珠海市教育局的通知（珠教体〔2022〕9号）",
    "珠海/医疗保障局_2026年部门预算.pdf": "不是预算公开文件：没有标准表格",
    "重庆/医疗保障局_2026年部门预算.pdf": "是另存为.pdf的网页",
    "重庆/医疗保障局_重庆市医疗保障事务中心2026年单位预算情况说明.pdf": "是另存为.pdf的网页",
    "重庆/财政局_重庆市财政预算绩效管理中心2026年单位预算公开.pdf": "是另存为.pdf的网页",
}
SKIPPED = {"README.md", "SOURCES.tsv"}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    raw = tmp_path_factory.mktemp("breadth")
    for name in {*IDENTITIES, *SUPERSEDED, *REFUSED, *SKIPPED}:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(BREADTH / name, raw / name)  # copy2 keeps the scraper's file times (all one second)
    path = run_pipeline(raw, tmp_path_factory.mktemp("breadth_wh"), workers=2)
    with duckdb.connect(str(path), read_only=True) as con:
        return {o.file: o for o in file_outcomes(con)}


def test_the_expectations_span_the_nine_cities():
    assert len(IDENTITIES) >= 25
    assert {name.split("/")[0] for name in {*IDENTITIES, *REFUSED}} == {
        "上海", "北京", "广州", "无锡", "泉州", "深圳", "珠海", "苏州", "重庆"}


@pytest.mark.parametrize("name", sorted(IDENTITIES))
def test_identity_as_the_cover_prints_it(outcomes, name):
    outcome = outcomes[name]
    assert outcome.status == "used", outcome.line()
    assert outcome.identity == IDENTITIES[name]


@pytest.mark.parametrize("files", MERGED, ids=lambda files: sorted(files)[0])
def test_files_of_one_disclosure_are_one_document(outcomes, files):
    for name in files:
        assert set(outcomes[name].document_files) == files, outcomes[name].line()


@pytest.mark.parametrize("name", sorted(SUPERSEDED))
def test_the_older_revision_is_superseded(outcomes, name):
    assert (outcomes[name].status, outcomes[name].replaced_by) == ("superseded", SUPERSEDED[name])


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_file_that_is_no_disclosure_is_refused_saying_why(outcomes, name):
    outcome = outcomes[name]
    assert outcome.status == "refused", outcome.line()
    assert REFUSED[name] in outcome.reason
    assert outcome.reason.startswith(name) or outcome.reason.startswith(name.split("/", 1)[1])


def test_a_scan_is_reported_as_a_scan_not_as_no_disclosure(outcomes):
    for name in ("北京/政务服务和数据管理局_2026年部门预算.pdf", "泉州/商务局_2026年部门预算.pdf"):
        assert "不是预算公开文件" not in outcomes[name].reason


def test_notes_beside_the_documents_are_skipped(outcomes):
    assert {name for name, o in outcomes.items() if o.status == "skipped"} == SKIPPED


def test_every_other_file_is_a_document_with_its_identity(outcomes):
    documents = [o for o in outcomes.values() if o.status == "used"]
    assert {o.file for o in documents} == set(IDENTITIES)
    assert all(None not in o.identity for o in documents)
