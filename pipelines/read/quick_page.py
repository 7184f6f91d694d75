"""A pdfplumber page that turns pdfminer's characters into dicts faster, the dicts unchanged.

pdfplumber's ``Page.process_object`` passes every attribute of every layout object through
``resolve_all`` (which only resolves PDF object references) and names the object type with a
regular expression; on a table page that is a sixth of the parse. Characters are nearly all of a
page's objects and their attributes are plain numbers, strings and tuples of them, which
``resolve_all`` returns as they are, so they are copied straight. Everything else goes through
pdfplumber's own method. tests/read/test_text_layer.py compares the dicts with pdfplumber's.
"""
from __future__ import annotations

from typing import Any
from unicodedata import normalize as normalize_unicode

from pdfminer.layout import LTChar
from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes
from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode

_PLAIN = (float, int, str, bool, type(None))


def quick_page(page: Page) -> Page:
    """The same page of the same document, as a ``QuickPage``."""
    return QuickPage(page.pdf, page.page_obj, page_number=page.page_number, initial_doctop=page.initial_doctop)


def _plain(value: Any) -> bool:
    kind = value.__class__
    return kind in _PLAIN or (kind is tuple and all(v.__class__ in _PLAIN for v in value))


class QuickPage(Page):
    def process_object(self, obj: Any) -> dict[str, Any]:
        """``Page.process_object``, with characters copied without ``resolve_all``."""
        if obj.__class__ is not LTChar:
            return super().process_object(obj)
        attr = {k: (v if _plain(v) else resolve_all(v)) for k, v in obj.__dict__.items() if k in ALL_ATTRS}
        attr["object_type"] = "char"
        attr["page_number"] = self.page_number
        for cs in ("ncs", "scs"):
            if hasattr(obj, cs):
                attr[cs] = resolve_and_decode(getattr(obj, cs).name)
        text = obj.get_text()
        attr["text"] = text if self.pdf.unicode_norm is None else normalize_unicode(self.pdf.unicode_norm, text)
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        if isinstance(attr["fontname"], bytes):
            attr["fontname"] = fix_fontname_bytes(attr["fontname"])
        mb_x0, mb_top = self.mediabox[:2]
        if "y0" in attr:
            attr["top"] = (self.height - attr["y1"]) + mb_top
            attr["bottom"] = (self.height - attr["y0"]) + mb_top
            attr["doctop"] = self.initial_doctop + attr["top"]
        if "x0" in attr and mb_x0 != 0:
            attr["x0"] = attr["x0"] + mb_x0
            attr["x1"] = attr["x1"] + mb_x0
        return attr
