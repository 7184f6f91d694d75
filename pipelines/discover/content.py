"""What a read file holds: which part of a disclosure (its tables, its narrative, its performance-target
forms), or why it is none.

A scraper saves whatever a budget page links to: besides the disclosures, notices (通知, 函), standards,
statistics, price lists. A file is a disclosure's part when it prints a standard table, a
"20xx年(度)部门预算/单位预算/决算" heading, or opens with a performance-target form of a department (绩效目标表,
绩效目标申报表: the targets are published with the budget and belong to it). Anything else is refused, with
what it reads as, so nobody has to open the file to see why ("这是东川市教育局的通知（…）：“…”").
"""
from __future__ import annotations

import re

from ..read.catalogue import compact
from ..read.model import RawDocument
from .identity import Identity, target_form_title

# The parts a disclosure is published in; two files of one part of one disclosure are revisions of it.
PARTS = ("tables", "narrative", "department_targets", "project_targets")

# A heading naming a year's budget or final accounts: a year and the kind of disclosure in one line
# ("2026年度部门预算信息公开", "东川市2026年市级单位预算", "2026 部门预算情况的说明", "2025年度部门决算").
_YEAR = re.compile(r"20\d\d")
_KIND_WORD = re.compile(r"(?:部门|单位)(?:汇总)?(?:预算|决算)|(?:预算|决算)(?:公开|信息公开|情况说明|报表)")
# An official document's number standing alone: "东教函〔2024〕7号", "东政发〔2023〕12号".
_DOCUMENT_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（](?:19|20)\d\d[〕\]］)）]\d{1,4}号$")
# Its title: "东川市教育局关于印发《…》的通知", issuer before 关于.
_TITLE_START = re.compile(r"^(?!根据|按照|依据|依照)[^《》“”，。；：:、]{0,40}关于")
_TITLE_END = re.compile(r"(通知|函|意见|批复|决定|报告|公告|通报|请示)$")
_SENTENCE = re.compile(r"[，。；]")
_STANDARD = re.compile(r"(?:国家|行业|地方|团体)标准$")
_FIRST_LINES = 15

# Why a file is refused (读取问题), as the analyst reads it: what it lacks, then what it reads as.
NOT_A_DISCLOSURE = "不是预算公开文件：没有标准表格（收支总表、支出总表……），也没有“20xx年部门预算/决算”标题"


def _targets_without_department(title: str) -> str:
    return f"只有绩效目标表（“{title}”），没有印出部门（没有“部门名称”一项），无法归入哪个部门的预算公开文件"


def _official_document(issuer: str, word: str, number: str | None, title: str) -> str:
    """"这是东川市教育局的通知（东教体〔2022〕9号）：“…的通知”"."""
    return f"这是{issuer + '的' if issuer else '一份'}{word}{f'（{number}）' if number else ''}：“{title}”"


def _numbered_document(number: str, addressees: str | None) -> str:
    return f"这是文号为{number}的公文（通知或函）{f'，主送“{addressees}”' if addressees else ''}"


def _a_standard(text: str) -> str:
    return f"这是一项标准：“{text}”"


def _first_page(heading: str | None) -> str:
    return f"第一页开头是“{heading}”" if heading else "文件里没有文字"


def part_of(raw: RawDocument) -> str:
    """Which part of a disclosure the file holds: its standard tables, only performance-target forms (of
    the whole department, 部门整体支出绩效目标表, or of its projects, 项目支出绩效目标表), or its narrative. A file
    with both tables and narrative is its tables part (a revision of it replaces it whole)."""
    if raw.tables:
        return "tables"
    title = target_form_title(_lines(raw, 3))
    if title is None:
        return "narrative"
    return "project_targets" if "项目" in title else "department_targets"


def refusal(raw: RawDocument, identity: Identity, part: str) -> str | None:
    """Why a read file is no part of a disclosure (None: it is one): no standard table and neither a
    disclosure heading nor a department's target forms, or the first page of an official notice."""
    targets = part.endswith("_targets")
    if part == "tables" or (targets and identity.department):
        return None
    first = _lines(raw, _FIRST_LINES)
    if targets:
        return _targets_without_department(first[0])
    notice = _notice(first)
    if notice is None and identity.kind and _has_disclosure_heading(_lines(raw, 400)):
        return None
    what = notice or _standard(first) or _opening(first)
    return f"{NOT_A_DISCLOSURE}；{what}"


def _lines(raw: RawDocument, n: int) -> list[str]:
    return [text for line in raw.text_lines[:n] if (text := compact(line.text))]


def _has_disclosure_heading(lines: list[str]) -> bool:
    return any(_YEAR.search(text) and _KIND_WORD.search(text) for text in lines)


def _notice(lines: list[str]) -> str | None:
    """An official document's first page: its number standing alone, or a title "X关于…的通知" (issuer X)."""
    number = next((text for text in lines if _DOCUMENT_NUMBER.match(text)), None)
    title = _title(lines)
    if title is None and number is None:
        return None
    if title is None:
        return _numbered_document(number, _addressees(lines, number))
    issuer, word = title.split("关于", 1)[0], _TITLE_END.search(title).group(1)
    return _official_document(issuer, word, number, title)


def _title(lines: list[str]) -> str | None:
    """A title "X关于…的通知" (X the issuer, or none), wrapped over up to three lines; never a sentence citing
    one ("根据《X关于…的通知》，…")."""
    for i, text in enumerate(lines):
        if not _TITLE_START.match(text):
            continue
        for j in range(i, min(i + 3, len(lines))):
            joined = "".join(lines[i:j + 1])
            if _SENTENCE.search(joined):
                break
            if _TITLE_END.search(joined):
                return joined
    return None


def _addressees(lines: list[str], number: str) -> str | None:
    """"各区教育局": the salutation line after the number, when it is one."""
    after = lines[lines.index(number) + 1:lines.index(number) + 2]
    return after[0].rstrip("：:") if after and after[0].endswith(("：", ":")) else None


def _standard(lines: list[str]) -> str | None:
    for i, text in enumerate(lines):
        if _STANDARD.search(text):
            return _a_standard(" ".join(lines[i:i + 3]))
    return None


def _opening(lines: list[str]) -> str:
    """The first heading: the first lines up to 20 characters ("附件2" is no heading alone)."""
    heading = []
    for text in lines[:3]:
        heading.append(text)
        if sum(map(len, heading)) >= 20:
            break
    return _first_page(" ".join(heading)[:80] if lines else None)
