"""Evidence for the report: a crop of each page a contradiction's figures are printed on, the cells outlined.

    images = render_evidence(con, raw_dir, out_dir, finding_ids)   # finding id → [Evidence, …]

The figures of a finding and of its consequences come from ``v_finding_cell`` (file, page and cell box as
pdfplumber read them); each page is rendered with pypdfium2 (installed with pdfplumber), cropped to the band
of the page that holds the cells (the row labels included), and the cells outlined: the figure that is off
in red, the others in blue. Images are PNG files beside the report: no network, no JavaScript.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb

SCALE = 2  # pixels per PDF point: legible Chinese at 7-9 pt type
MARGIN = 28  # points of page kept above and below the outlined cells
CULPRIT_COLOR = (200, 30, 30)
OTHER_COLOR = (30, 90, 200)


@dataclass(frozen=True)
class Evidence:
    image: str  # path relative to the report folder
    source_file: str
    page: int
    cells: int


def _cells(con: duckdb.DuckDBPyConnection, finding_ids: list[str]) -> list[tuple]:
    """(finding id of the group, source file, page, box, is culprit) of every figure of the findings and their
    consequences, printed in a PDF."""
    if not finding_ids:
        return []
    return con.execute("""
        with wanted as (select unnest(?::varchar[]) as group_id),
        members as (
            select w.group_id, r.finding_id from wanted as w
            join v_check_result as r on r.group_id = w.group_id or r.finding_id = w.group_id
        )
        select distinct m.group_id, c.source_file, c.source_page, c.source_bbox, c.is_culprit, d.source_files
        from members as m
        join v_finding_cell as c using (finding_id)
        join v_check_result as r on r.finding_id = m.finding_id
        join dim_document as d on d.document_id = r.document_id
        where c.source_bbox is not null and c.source_page is not null
        order by m.group_id, c.source_file, c.source_page""", [finding_ids]).fetchall()


def _locate(raw_dir: Path, source_file: str, source_files: str) -> Path | None:
    """The PDF a cell was read from: the document's file whose name the cell's reference gives."""
    for name in (s.strip() for s in str(source_files).split(";")):
        if name and (name == source_file or Path(name).name == source_file):
            path = raw_dir / name
            return path if path.is_file() else None
    return None


def render_evidence(con: duckdb.DuckDBPyConnection, raw_dir: Path | None, out_dir: Path,
                    finding_ids: list[str]) -> dict[str, list[Evidence]]:
    """Crops of the pages holding each finding's figures, written under ``out_dir/evidence/``."""
    if raw_dir is None:
        return {}
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    pages: dict[tuple[str, Path, int], list[tuple[list[float], bool]]] = defaultdict(list)
    for group_id, source_file, page, box, culprit, source_files in _cells(con, finding_ids):
        path = _locate(Path(raw_dir), source_file, source_files)
        if path is not None:
            pages[(group_id, path, page)].append((list(box), bool(culprit)))
    out: dict[str, list[Evidence]] = defaultdict(list)
    folder = Path(out_dir) / "evidence"
    documents: dict[Path, object] = {}
    try:
        for (group_id, path, page_no), boxes in pages.items():
            if path not in documents:
                documents[path] = pdfium.PdfDocument(str(path))
            pdf = documents[path]
            if not 1 <= page_no <= len(pdf):
                continue
            page = pdf[page_no - 1]
            width, height = page.get_size()
            image = page.render(scale=SCALE).to_pil().convert("RGB")
            draw = ImageDraw.Draw(image)
            for (x0, top, x1, bottom), culprit in sorted(boxes, key=lambda b: b[1]):  # the culprit drawn last
                draw.rectangle([x0 * SCALE - 2, top * SCALE - 2, x1 * SCALE + 2, bottom * SCALE + 2],
                               outline=CULPRIT_COLOR if culprit else OTHER_COLOR, width=4 if culprit else 3)
            upper = max(0, min(b[0][1] for b in boxes) - MARGIN)
            lower = min(height, max(b[0][3] for b in boxes) + MARGIN)
            crop = image.crop((0, int(upper * SCALE), int(width * SCALE), int(lower * SCALE)))
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{re.sub(r'[^0-9A-Za-z_-]', '_', group_id)}-{len(out[group_id]) + 1}.png"
            crop.save(folder / name, compress_level=6)
            out[group_id].append(Evidence(f"evidence/{name}", path.name, page_no, len(boxes)))
    finally:
        for pdf in documents.values():
            pdf.close()
    return dict(out)
