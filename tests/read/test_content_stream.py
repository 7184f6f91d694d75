"""content_objects reads a content stream into exactly the objects pdfminer's parser gives.

Each case is compared with pdfminer's own ``PDFContentParser`` on the same bytes (objects and
their types: 1 and 1.0 differ), so the expected values are pdfminer's, not ours. Streams outside
the ordinary grammar must be declined (None) so pdfminer reads them. On the real documents every
content stream of every page and form XObject is read both ways.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1, stream_value
from pdfminer.psparser import KWD, LIT, PSEOF

from pipelines.read.content_stream import BUFSIZ, content_objects
from tests.conftest import REAL_DOCS
from tests.read.readings import needs_real, real_pdfs


def pdfminer_objects(streams: list[PDFStream]) -> list:
    try:
        parser = PDFContentParser(streams)
    except PSEOF:
        return []
    out = []
    while True:
        try:
            out.append(parser.nextobject()[1])
        except PSEOF:
            return out


def _typed(objects: list) -> list:
    """Objects with their types, into arrays and dictionaries (1 == 1.0 == True in Python)."""
    def typed(o):
        if isinstance(o, list):
            return ("list", [typed(x) for x in o])
        if isinstance(o, dict):
            return ("dict", {k: typed(v) for k, v in o.items()})
        return (type(o).__name__, o)
    return [typed(o) for o in objects]


def same_as_pdfminer(*datas: bytes) -> list:
    ours = content_objects(list(datas))
    assert ours is not None, "declined an ordinary stream"
    theirs = pdfminer_objects([PDFStream({}, d) for d in datas])
    assert _typed(ours) == _typed(theirs)
    return ours


def test_a_text_object() -> None:
    ours = same_as_pdfminer(b"BT /F1 9.5 Tf 1 0 0 1 72 700.25 Tm [(Ab)-250(c)]TJ (x) Tj ET")
    assert ours[:4] == [KWD(b"BT"), LIT("F1"), 9.5, KWD(b"Tf")]
    assert ours[11] == [b"Ab", -250, b"c"]


@pytest.mark.parametrize("data", [
    b"1 -2 +3 .5 -.5 5. 1.2.3 - + . 007 -0",  # lone signs and points are dropped
    b"12abc 3/Name 4(s)5<41>6[7]",  # a number ends at the first byte that is not a digit
    b"true false truex nul null",
    b"T* ' \" f* b* W* n re scn SCN d0 d1",
    b"/A /B#20C /D#4 /E# /#41 /\xe4\xb8\xad /\xff /",  # name escapes, UTF-8 and not
    b"(a\\(b\\)c) (nest (ed) ok) (\\101\\60\\0061) (\\n\\r\\t\\b\\f\\\\) (\\q\\\n) (\\\r\nx) (\\\rx)",
    b"(\\1234) (\\8) (\x00\xff)",
    b"<48656C6C6F> <4 8 6> <414> <> <E4B8AD>",  # odd last digit, spaces, empty
    b"<< /Type /X /N 1 /A [1 2] /D << /E (f) >> >> BDC EMC",
    b"[1 [2 [3]] <</K 0>>] [] << >>",
    b"% comment\n1 2 % another\r3\x00 4\x00\x00 m%end",
    b"q 1 0 0 1 0 0 cm > ) # Q",  # stray bytes: pdfminer's one-byte operators, a lone > skipped
    b"\xe4\xb8\xad 1 \x80",
    b"",
    b"   \n  ",
])
def test_the_grammar_as_pdfminer_reads_it(data: bytes) -> None:
    same_as_pdfminer(data)


def test_streams_are_read_one_after_the_other() -> None:
    same_as_pdfminer(b"q 1 0 0 1 0 0 cm", b"BT /F1 12 Tf", b"(x) Tj ET Q")
    same_as_pdfminer(b"0 0 m 10", b"10 l S")  # a stream's end ends its last token


def test_an_escaped_line_break_across_pdfminers_4k_buffer() -> None:
    """pdfminer looks for the \\n of an escaped \\r\\n only in the 4 KiB buffer it holds."""
    for pad in (BUFSIZ - 3, BUFSIZ - 4, BUFSIZ - 2):
        same_as_pdfminer(b" " * pad + b"(\\\r\nz) Tj")


@pytest.mark.parametrize("data", [
    b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI",  # inline image
    b"[1 2",  # array left open
    b"1 2]",  # array never opened
    b"<< /A >>",  # odd dictionary
    b"<< /A 1 ]",
    b"{ 1 } pop",  # PostScript procedure
    b"(unterminated",
    b"(\\777) Tj",  # octal escape over 255: pdfminer asserts
    b"<4142",  # hex string cut off
    b"1 <",
])
def test_streams_outside_the_ordinary_grammar_are_declined(data: bytes) -> None:
    assert content_objects([data]) is None


def test_a_stream_declined_declines_the_page() -> None:
    assert content_objects([b"q Q", b"(open"]) is None


def _forms(resources: object, seen: set[int]):
    """The form XObjects drawn from these resources, and theirs, each once."""
    xobjects = resolve1((resolve1(resources) or {}).get("XObject")) or {}
    for ref in xobjects.values():
        stream = resolve1(ref)
        if isinstance(stream, PDFStream) and getattr(stream.get("Subtype"), "name", None) == "Form" \
                and stream.objid not in seen:
            seen.add(stream.objid)
            yield [stream]
            yield from _forms(stream.get("Resources"), seen)


def _content_streams(path: Path):
    with open(path, "rb") as handle:
        document = PDFDocument(PDFParser(handle))
        seen: set[int] = set()
        for page in PDFPage.create_pages(document):
            yield [stream_value(s) for s in page.contents]
            yield from _forms(page.resources, seen)


@needs_real
@pytest.mark.parametrize("rel", real_pdfs() or ["(none)"])
def test_every_content_stream_of_the_real_documents(rel: str) -> None:
    for streams in _content_streams(REAL_DOCS / rel):
        ours = content_objects([s.get_data() for s in streams])
        assert ours is not None, f"{rel}: a stream declined"
        assert _typed(ours) == _typed(pdfminer_objects(streams)), rel
