"""National reference lists the documents rely on without printing the codes."""
from __future__ import annotations

import re

# 支出功能分类科目, 类 level (2022 edition), as 收支总表 prints them without codes.
FUNCTION_CLASSES: dict[str, str] = {
    "一般公共服务支出": "201", "外交支出": "202", "国防支出": "203", "公共安全支出": "204",
    "教育支出": "205", "科学技术支出": "206", "文化旅游体育与传媒支出": "207",
    "文化体育与传媒支出": "207", "社会保障和就业支出": "208", "卫生健康支出": "210",
    "医疗卫生与计划生育支出": "210", "节能环保支出": "211", "城乡社区支出": "212",
    "农林水支出": "213", "交通运输支出": "214", "资源勘探工业信息等支出": "215",
    "资源勘探信息等支出": "215", "商业服务业等支出": "216", "金融支出": "217",
    "援助其他地区支出": "219", "自然资源海洋气象等支出": "220", "国土海洋气象等支出": "220",
    "住房保障支出": "221", "粮油物资储备支出": "222", "国有资本经营预算支出": "223",
    "灾害防治及应急管理支出": "224", "预备费": "227", "其他支出": "229", "转移性支出": "230",
    "债务还本支出": "231", "债务付息支出": "232", "债务发行费用支出": "233",
    "抗疫特别国债安排的支出": "234",
}

# 部门预算支出经济分类科目, 类 level, for tables that print the names without codes.
ECONOMIC_CLASSES: dict[str, str] = {
    "工资福利支出": "301", "商品和服务支出": "302", "对个人和家庭的补助": "303", "债务利息及费用支出": "307",
    "资本性支出（基本建设）": "309", "资本性支出": "310", "对企业补助（基本建设）": "311", "对企业补助": "312",
    "对社会保障基金补助": "313", "其他支出": "399",
}

_ENUMERATOR = re.compile(r"^[（(]?[一二三四五六七八九十廿]+[)）、.．]\s*")
_ARABIC_ENUMERATOR = re.compile(r"^[（(]?\d{1,2}[)）]|^\d{1,2}\s*[.．、](?!\d)\s*")


def strip_enumerator(label: str) -> str:
    """"（十二）资源勘探工业信息等支出" → "资源勘探工业信息等支出"; "1. 一般公共预算" → "一般公共预算"."""
    return _ARABIC_ENUMERATOR.sub("", _ENUMERATOR.sub("", label)).strip()


def enumerator_level(label: str) -> int | None:
    """1 for 一、, 2 for （一）, 3 for 1. / 1、 / (1), None when the label has no enumerator."""
    m = _ENUMERATOR.match(label)
    if not m:
        return 3 if _ARABIC_ENUMERATOR.match(label) else None
    return 2 if m.group(0).lstrip().startswith(("（", "(")) else 1


def subject_level(code: str) -> str | None:
    return {3: "类", 5: "款", 7: "项"}.get(len(code))
