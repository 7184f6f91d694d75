"""The fast text layer: a page's characters from pdfium, and whether the page needs more than its text.

pdfplumber parses a page with pdfminer, which interprets every operator in Python; pdfium does the
same in C, far faster. Narrative pages (the 说明 text, most of many documents) need only their text
lines, so ``scan_page`` reads what pdfium knows cheaply and says why a page needs the full reading,
or gives its characters shaped like pdfplumber's (text, x0, x1, top, bottom, size, matrix, upright),
so that the reader builds the very lines pdfplumber would.

A page needs the full reading (``Scan.full`` names the reason) when pdfium cannot stand in for
pdfminer there: ruling that could form a table cell, rotated or unmapped characters, text outside
the page, overprinted (fake-bold) characters, an image-only page, a rotated or offset page box.
The reader adds what only the text lines tell (a table title, a 单位 line, a table number, a row
of figures).
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as raw

MIN_RULE = 1.0  # pdfplumber drops edges shorter than this before it joins them (edge_min_length_prefilter)
_WHITE = 253  # 0.99 of 255: pdfium gives colours as 0-255 RGB


@dataclass
class Scan:
    """What pdfium tells of one page: its characters, or why the page needs the full reading."""

    chars: list[dict[str, Any]] = field(default_factory=list)
    full: str | None = None  # the reason for the full reading, None if the characters suffice


def open_document(path: Path) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(str(path))


def scan_page(doc: pdfium.PdfDocument, index: int) -> Scan:
    """The page's characters in content order, or the reason it needs pdfplumber's full reading."""
    page = doc[index]
    try:
        box = _media_box(page)
        if box is None:
            return Scan(full="rotated or offset page box")
        height = box[3]
        ruling = _ruling(page)
        if ruling:
            return Scan(full=ruling)
        textpage = page.get_textpage()
        try:
            chars, odd = _chars(page, textpage, box[2], height)
        finally:
            textpage.close()
        if odd:
            return Scan(full=odd)
        if len(chars) < 5:
            return Scan(full="almost no text (an image page?)")
        if len({(c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in chars}) < len(chars):
            return Scan(full="overprinted characters")
        return Scan(chars=chars)
    finally:
        page.close()


def _media_box(page: pdfium.PdfPage) -> tuple[float, float, float, float] | None:
    """The media box when pdfplumber's coordinates are pdfium's turned upside down (no rotation,
    origin at 0, no crop box of its own), else None."""
    if raw.FPDFPage_GetRotation(page.raw):
        return None
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not raw.FPDFPage_GetMediaBox(page.raw, left, bottom, right, top):
        return None
    media = (left.value, bottom.value, right.value, top.value)
    if media[0] or media[1]:
        return None
    if raw.FPDFPage_GetCropBox(page.raw, left, bottom, right, top):
        if (left.value, bottom.value, right.value, top.value) != media:
            return None
    return media


# ----------------------------------------------------------------------------------------------
# Ruling


def _objects(handle: Any, count: int, get: Any, matrix: tuple) -> Iterator[tuple[Any, tuple]]:
    """Every page object, form XObjects opened, with the matrix from its space to the page."""
    for i in range(count):
        obj = get(handle, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            inner = _compose(matrix, _matrix_of(obj))
            yield from _objects(obj, raw.FPDFFormObj_CountObjects(obj), raw.FPDFFormObj_GetObject, inner)
        else:
            yield obj, matrix


def _matrix_of(obj: Any) -> tuple:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(outer: tuple, inner: tuple) -> tuple:
    """inner then outer (PDF row-vector convention: p' = p · inner · outer)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _ruling(page: pdfium.PdfPage) -> str | None:
    """Why the page's paths might form a table cell, or None.

    pdfplumber's ``lines`` strategy builds cells from horizontal and vertical edges of at least
    ``MIN_RULE``; white unstroked filled rectangles are dropped first (``pdf_reader._visible``).
    When every other path is thinner than that in one direction (all horizontal rules, or all
    vertical), one of the two edge sets is empty and no cell can form. Anything else (a shading,
    a shape pdfium cannot measure) counts as ruling.
    """
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    bounds = [ctypes.c_float() for _ in range(4)]
    flat = upright = True  # every path thinner than MIN_RULE vertically / horizontally so far
    for obj, outer in _objects(page.raw, raw.FPDFPage_CountObjects(page.raw), raw.FPDFPage_GetObject, identity):
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_SHADING:
            return "shading"
        if kind != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, *bounds):
            return "an unmeasurable path"
        left, bottom, right, top = (v.value for v in bounds)
        x0, y0, x1, y1 = _box([(left, bottom), (right, top), (left, top), (right, bottom)], outer)
        if x1 - x0 >= MIN_RULE and y1 - y0 >= MIN_RULE:
            # the bounds take in the stroke width: measure the path itself
            own = _matrix_of(obj)
            shape = _path_shape(obj)
            if shape is None:
                return "an unmeasurable path"
            points, rectangle = shape
            x0, y0, x1, y1 = _box(points, _compose(outer, own))
            if x1 - x0 >= 2 and y1 - y0 >= 2 and rectangle and not own[1] and not own[2] and _is_padding(obj):
                continue
        flat = flat and y1 - y0 < MIN_RULE
        upright = upright and x1 - x0 < MIN_RULE
        if not flat and not upright:
            return "ruling"
    return None


def _path_shape(obj: Any) -> tuple[list[tuple[float, float]], bool] | None:
    """A path's points in its own space (control points included, as pdfminer keeps them) and
    whether it is an axis-parallel rectangle (what pdfminer calls a ``rect``)."""
    n = raw.FPDFPath_CountSegments(obj)
    if n <= 0:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    points = []
    curved = False
    for i in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        if not seg or not raw.FPDFPathSegment_GetPoint(seg, x, y):
            return None
        curved = curved or raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_BEZIERTO
        points.append((x.value, y.value))
    corners = set(points)
    rectangle = (not curved and n in (4, 5) and len(corners) == 4
                 and len({p[0] for p in corners}) == 2 and len({p[1] for p in corners}) == 2)
    return points, rectangle


def _box(points: list[tuple[float, float]], matrix: tuple) -> tuple[float, float, float, float]:
    a, b, c, d, e, f = matrix
    xs = [a * px + c * py + e for px, py in points]
    ys = [b * px + d * py + f for px, py in points]
    return min(xs), min(ys), max(xs), max(ys)


def _is_padding(obj: Any) -> bool:
    """White, filled and not stroked: cell padding or a page background, no rule."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill, stroke) or stroke.value or not fill.value:
        return False
    r, g, b, alpha = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, alpha):
        return False
    return min(r.value, g.value, b.value) >= _WHITE


# ----------------------------------------------------------------------------------------------
# Characters


@dataclass
class _TextObject:
    order: int  # place in the content stream
    handle: Any
    matrix: tuple  # form matrices (none: identity) from the object's space to the page
    blank: bool  # no extent: pdfium's text page skips it (a run of spaces)


def _text_objects(page: pdfium.PdfPage) -> tuple[list[_TextObject], str | None]:
    """The page's text objects in content order, or why pdfium's text page cannot stand in for pdfminer."""
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    out = []
    for obj, outer in _objects(page.raw, raw.FPDFPage_CountObjects(page.raw), raw.FPDFPage_GetObject, identity):
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_TEXT:
            continue
        if _has_actual_text(obj):
            return [], "text replaced by marked content (ActualText)"
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            return [], "a text object without bounds"
        out.append(_TextObject(len(out), obj, outer, abs(right.value - left.value) < 0.01))
    return out, None


def _has_actual_text(obj: Any) -> bool:
    """pdfium prints a marked-content ActualText instead of the glyphs; pdfminer prints the glyphs."""
    for i in range(raw.FPDFPageObj_CountMarks(obj)):
        mark = raw.FPDFPageObj_GetMark(obj, i)
        if mark and raw.FPDFPageObjMark_GetParamValueType(mark, b"ActualText") != raw.FPDF_OBJECT_UNKNOWN:
            return True
    return False


def _address(handle: Any) -> int:
    return ctypes.c_void_p.from_buffer(handle).value or 0


def _chars(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, width: float, height: float
           ) -> tuple[list[dict[str, Any]], str | None]:
    """The page's characters as pdfplumber shapes them, in content order, or why pdfium's cannot
    stand in for them.

    pdfminer boxes a glyph from its origin: its advance across, from the font's descent below the
    baseline to one font size above that. pdfium's loose box gives the same left, right and bottom;
    the size is the font size times the text matrix scale. pdfium's text page orders runs by
    position, skips runs of spaces (they have no extent), drops runs it takes for overprints and
    infers spaces at wide gaps; pdfminer keeps every glyph in content order. So characters are put
    back in content order, a skipped run becomes one space where it starts (pdfplumber splits words
    there), a dropped run sends the page to the full reading, and so does an inferred space at a
    gap narrow enough that only a real space would split the word there.
    """
    objects, odd = _text_objects(page)
    if odd:
        return [], odd
    order = {_address(o.handle): o.order for o in objects}
    tp = textpage.raw
    rect = raw.FS_RECTF()
    m = raw.FS_MATRIX()
    keyed: list[tuple[int, int, dict[str, Any]]] = []
    inferred: list[int] = []  # positions in ``keyed`` of the characters right after an inferred space
    for i in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(tp, i)
        if code in (0x20, 0x0D, 0x0A) and raw.FPDFText_IsGenerated(tp, i):
            if code == 0x20:
                inferred.append(len(keyed))
            continue  # pdfminer has no inferred characters (pdfium infers only these three)
        if raw.FPDFText_HasUnicodeMapError(tp, i) or code in (0, 0xFFFD, 0xFFFE, 0xFFFF) or code < 0x20:
            return [], "characters without a Unicode mapping"
        if not raw.FPDFText_GetMatrix(tp, i, m) or m.b or m.c or m.a <= 0 or m.d <= 0:
            return [], "rotated or mirrored text"
        if not raw.FPDFText_GetLooseCharBox(tp, i, rect):
            return [], "a character without a box"
        place = order.get(_address(raw.FPDFText_GetTextObject(tp, i)))
        if place is None:
            return [], "a character of no text object"
        if keyed and keyed[-1][0] == place and rect.left <= keyed[-1][2]["x0"] + 0.01:
            return [], "a run not written left to right (vertical writing?)"
        size = raw.FPDFText_GetFontSize(tp, i) * m.d
        char = _char(chr(code), rect.left, rect.right, rect.bottom, size, (m.a, m.b, m.c, m.d, m.e, m.f), height)
        if rect.left < 0 or rect.right > width or char["y0"] < 0 or char["y1"] > height:
            return [], "text outside the page"
        keyed.append((place, i, char))
    if any(_narrow_gap(keyed, k) for k in inferred):
        return [], "a space pdfium inferred where only a printed one would split the word"
    present = {place for place, _, _ in keyed}
    for obj in objects:
        if obj.blank:
            space = _blank(obj, height)
            if space is None:
                return [], "a blank run off the baseline"
            keyed.append((obj.order, -1, space))
        elif obj.order not in present:
            return [], "a text run pdfium dropped (an overprint?)"
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [c for _, _, c in keyed], None


def _char(text: str, x0: float, x1: float, y0: float, size: float, matrix: tuple, height: float) -> dict[str, Any]:
    y1 = y0 + size
    top = height - y1
    return {"text": text, "x0": x0, "x1": x1, "y0": y0, "y1": y1, "top": top, "bottom": top + size,
            "doctop": top, "width": x1 - x0, "height": size, "size": size, "upright": True, "matrix": matrix}


def _narrow_gap(keyed: list, k: int) -> bool:
    """An inferred space between two characters of one line closer than the x tolerance (2 pt)."""
    if k == 0 or k >= len(keyed):
        return False
    a, b = keyed[k - 1][2], keyed[k][2]
    return abs(a["top"] - b["top"]) <= 3.5 and b["x0"] - a["x1"] <= 2.05


def _blank(obj: _TextObject, height: float) -> dict[str, Any] | None:
    """The space a blank run prints for pdfminer, at the run's origin."""
    a, b, c, d, e, f = _compose(obj.matrix, _matrix_of(obj.handle))
    size = ctypes.c_float()
    if b or c or a <= 0 or d <= 0 or not raw.FPDFTextObj_GetFontSize(obj.handle, size):
        return None
    font = raw.FPDFTextObj_GetFont(obj.handle)
    descent = ctypes.c_float()
    scaled = size.value * d
    if not font or not raw.FPDFFont_GetDescent(font, scaled, descent):
        return None
    return _char(" ", e, e, f + descent.value, scaled, (a, b, c, d, e, f), height)
