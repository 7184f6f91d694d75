"""A pdfplumber page that parses its content faster and turns pdfminer's characters into dicts
faster, the layout objects and dicts unchanged.

The page's content streams are split into objects by ``content_stream.content_objects`` (one
regular-expression pass) instead of pdfminer's byte-state tokenizer, and pdfminer's own operators
run on them (``QuickInterpreter``); streams outside the ordinary grammar go through pdfminer's
parser as before.

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

from pdfminer import settings
from pdfminer.layout import LTChar, LTPage
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import PSKeyword, keyword_name
from pdfplumber.page import ALL_ATTRS, Page, PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode

from pipelines.read.content_stream import content_objects

_PLAIN = (float, int, str, bool, type(None))


def quick_page(page: Page) -> Page:
    """The same page of the same document, as a ``QuickPage``."""
    return QuickPage(page.pdf, page.page_obj, page_number=page.page_number, initial_doctop=page.initial_doctop)


_SPACE_NAMES: dict[Any, Any] = {}


def _space_name(name: Any) -> Any:
    """``resolve_and_decode`` of a colour space's name, remembered: a page has few, each on
    thousands of characters."""
    if name.__class__ not in (str, bytes):
        return resolve_and_decode(name)
    try:
        return _SPACE_NAMES[name]
    except KeyError:
        decoded = _SPACE_NAMES[name] = resolve_and_decode(name)
        return decoded


def _plain(value: Any) -> bool:
    kind = value.__class__
    return kind in _PLAIN or (kind is tuple and all(v.__class__ in _PLAIN for v in value))


class QuickInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter, running its operators on objects read by ``content_objects``."""

    _operators: dict[PSKeyword, tuple[Any, int] | None] = {}  # operator -> (do_ method, its arity)

    def execute(self, streams: Any) -> None:
        valid = [s for s in map(stream_value, streams)
                 if s.objid is not None and s.objid not in self.parent_stream_ids]
        objects = content_objects([s.get_data() for s in valid])
        if objects is None or len(valid) < len(streams):
            # outside the ordinary grammar, or streams pdfminer skips with a warning: its own way
            return super().execute(streams)
        self.stream_ids.clear()
        self.stream_ids.update(s.objid for s in valid)
        operators = self._operators
        for obj in objects:
            if obj.__class__ is not PSKeyword:
                self.argstack.append(obj)
                continue
            try:
                entry = operators[obj]
            except KeyError:
                entry = operators[obj] = self._operator(obj)
            if entry is None:
                if settings.STRICT:
                    raise PDFInterpreterError(f"Unknown operator: {keyword_name(obj)!r}")
                continue
            func, nargs = entry
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(self, *args)
            else:
                func(self)

    @classmethod
    def _operator(cls, keyword: PSKeyword) -> tuple[Any, int] | None:
        """The ``do_`` method pdfminer's ``execute`` would call for ``keyword``, and its arity."""
        name = keyword_name(keyword)
        method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
        func = getattr(cls, method, None)
        return None if func is None else (func, func.__code__.co_argcount - 1)


class QuickPage(Page):
    @property
    def layout(self) -> LTPage:
        """``Page.layout``, interpreted by ``QuickInterpreter``."""
        if hasattr(self, "_layout"):
            return self._layout
        device = PDFPageAggregatorWithMarkedContent(self.pdf.rsrcmgr, pageno=self.page_number,
                                                    laparams=self.pdf.laparams)
        interpreter = QuickInterpreter(self.pdf.rsrcmgr, device)
        try:
            interpreter.process_page(self.page_obj)
        except Exception as e:
            raise PdfminerException(e)
        self._layout: LTPage = device.get_result()
        return self._layout

    def process_object(self, obj: Any) -> dict[str, Any]:
        """``Page.process_object``, with characters copied without ``resolve_all``."""
        if obj.__class__ is not LTChar:
            return super().process_object(obj)
        attr = {k: (v if _plain(v) else resolve_all(v)) for k, v in obj.__dict__.items() if k in ALL_ATTRS}
        attr["object_type"] = "char"
        attr["page_number"] = self.page_number
        for cs in ("ncs", "scs"):
            if hasattr(obj, cs):
                attr[cs] = _space_name(getattr(obj, cs).name)
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
