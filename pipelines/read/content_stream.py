"""A page content stream split into pdfminer's objects in one regular-expression pass.

pdfminer reads a content stream a byte state at a time (``PSBaseParser``) and stacks arrays and
dictionaries a token at a time (``PSStackParser``); on a table page, whose grid is drawn as
thousands of path operators, that is half the page's parse. ``content_objects`` gives the same
objects in the same order (numbers, strings, names as ``PSLiteral``, operators as ``PSKeyword``,
arrays as lists, dictionaries as dicts), built as pdfminer's own rules build them: the same token
boundaries, string escapes, hex pairs, name escapes and ``true``/``false``. Anything outside the
ordinary grammar (an inline image, an unbalanced array or dictionary, a procedure, a token cut
off at the end of a stream, an octal escape over 255) returns None: pdfminer's parser then reads
the page as before. tests/read/test_content_stream.py compares both on every content stream of
the real documents.
"""
from __future__ import annotations

import re
from typing import Any

from pdfminer.psparser import (
    HEX_PAIR,
    PSLiteral,
    KWD,
    LIT,
    PSBaseParser,
    SPC,
    choplist,
    literal_name,
)

# One token per match, after any whitespace, NUL bytes and comments (which pdfminer skips; the
# group is atomic, so a token is never found inside them). The groups follow pdfminer's dispatch
# on a token's first byte (PSBaseParser._parse_main).
_TOKEN = re.compile(
    rb"(?>(?:[\s\x00]|%[^\r\n]*)*)"
    rb"(?:"
    rb"(?P<number>[-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*)"
    rb"|/(?P<name>[^/%\[\]()<>{}\s]*)"
    rb"|(?P<keyword>[A-Za-z][^#/%\[\]()<>{}\s]*)"
    rb"|\((?P<plain>[^()\\]*)\)"
    rb"|(?P<string>\()"
    rb"|(?P<dict_begin><<)"
    rb"|<(?P<hex>[0-9A-Fa-f\s]*)(?=[^0-9A-Fa-f\s])"
    rb"|(?P<open><)"
    rb"|(?P<dict_end>>>)"
    rb"|(?P<close>>)"
    rb"|(?P<other>[^\s\x00%])"
    rb")",
    re.DOTALL,
)
_END = re.compile(rb"(?>(?:[\s\x00]|%[^\r\n]*)*)\Z")
_STRING_PART = re.compile(rb"[()\\]")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{0,2})")
_ESCAPES = {ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("f"): 12, ord("r"): 13,
            ord("("): 40, ord(")"): 41, ord("\\"): 92}
_OCTAL = frozenset(b"01234567")
BUFSIZ = PSBaseParser.BUFSIZ

ARRAY_BEGIN, ARRAY_END = KWD(b"["), KWD(b"]")
PROC_BEGIN, PROC_END = KWD(b"{"), KWD(b"}")
INLINE_IMAGE = frozenset({KWD(b"BI"), KWD(b"ID")})
_TRUE_FALSE = {b"true": True, b"false": False}


class _Decline(Exception):
    """The stream leaves the ordinary grammar: pdfminer's parser reads it."""


def _number(text: bytes) -> int | float | None:
    try:
        return float(text) if b"." in text else int(text)
    except ValueError:  # a lone sign or point: pdfminer drops it too
        return None


def _name(raw: bytes) -> PSLiteral:
    if b"#" in raw:
        raw = _NAME_ESCAPE.sub(lambda m: bytes((int(m[1], 16),)) if m[1] else b"", raw)
    try:
        return LIT(str(raw, "utf-8"))
    except UnicodeDecodeError:
        return LIT(raw)


def _string(data: bytes, pos: int) -> tuple[bytes, int]:
    """A literal string starting after its "(" at ``pos``: its bytes and the position after its
    ")", by PSBaseParser._parse_string's rules (nested parentheses kept, escapes resolved, a
    backslash before any other byte drops both)."""
    out = bytearray()
    depth = 1
    n = len(data)
    while True:
        m = _STRING_PART.search(data, pos)
        if m is None:
            raise _Decline  # unterminated
        j = m.start()
        out += data[pos:j]
        c = data[j]
        if c == 0x28:  # (
            depth += 1
            out.append(c)
            pos = j + 1
        elif c == 0x29:  # )
            depth -= 1
            if depth == 0:
                return bytes(out), j + 1
            out.append(c)
            pos = j + 1
        else:  # backslash
            i = j + 1
            if i >= n:
                raise _Decline
            c = data[i]
            if c in _OCTAL:
                k = i
                while k < n and k - i < 3 and data[k] in _OCTAL:
                    k += 1
                if k >= n:
                    raise _Decline  # pdfminer would finish the escape past the stream's end
                code = int(data[i:k], 8)
                if code > 255:
                    raise _Decline  # pdfminer asserts
                out.append(code)
                pos = k
            elif c in _ESCAPES:
                out.append(_ESCAPES[c])
                pos = i + 1
            elif c == 0x0D and data[i + 1:i + 2] == b"\n" and (i + 1) % BUFSIZ:
                # pdfminer looks for the \n of an escaped \r\n only in the 4 KiB it holds
                pos = i + 2
            else:
                pos = i + 1


def _hex(text: bytes) -> bytes:
    """PSBaseParser._parse_hexstring's bytes: pairs of digits, a last odd digit a byte of its own."""
    return HEX_PAIR.sub(lambda m: bytes((int(m.group(0), 16),)), SPC.sub(b"", text))


def stream_objects(data: bytes) -> list[Any]:
    """The top-level objects of one content stream, or raise _Decline."""
    out: list[Any] = []
    stack: list[tuple[str, list[Any]]] = []  # open arrays and dictionaries, innermost last
    current = out
    pos = 0
    n = len(data)
    match = _TOKEN.match
    while pos < n:
        m = match(data, pos)
        if m is None:
            if _END.match(data, pos):  # only whitespace or a comment left
                break
            raise _Decline
        kind = m.lastgroup
        pos = m.end()
        if kind == "number":
            value = _number(m.group(kind))
            if value is not None:
                current.append(value)
        elif kind == "keyword":
            word = m.group(kind)
            if word in _TRUE_FALSE:
                current.append(_TRUE_FALSE[word])
            else:
                key = KWD(word)
                if key in INLINE_IMAGE:
                    raise _Decline
                current.append(key)
        elif kind == "name":
            current.append(_name(m.group(kind)))
        elif kind == "plain":
            current.append(m.group(kind))
        elif kind == "string":
            value, pos = _string(data, pos)
            current.append(value)
        elif kind == "hex":
            current.append(_hex(m.group(kind)))
        elif kind == "dict_begin":
            stack.append(("d", current))
            current = []
        elif kind == "dict_end":
            if not stack or stack[-1][0] != "d" or len(current) % 2:
                raise _Decline
            d = {literal_name(k): v for (k, v) in choplist(2, current) if v is not None}
            current = stack.pop()[1]
            current.append(d)
        elif kind == "open":
            raise _Decline  # a hex string cut off by the stream's end
        elif kind == "close":
            pass  # a lone ">": pdfminer skips it
        else:
            key = KWD(m.group(kind))
            if key is ARRAY_BEGIN:
                stack.append(("a", current))
                current = []
            elif key is ARRAY_END:
                if not stack or stack[-1][0] != "a":
                    raise _Decline
                value = current
                current = stack.pop()[1]
                current.append(value)
            elif key is PROC_BEGIN or key is PROC_END:
                raise _Decline
            else:
                current.append(key)
    if stack:
        raise _Decline  # an array or dictionary left open (it may go on in the next stream)
    return out


def content_objects(streams: list[bytes]) -> list[Any] | None:
    """The objects of a page's content streams read one after the other, as pdfminer's
    PDFContentParser returns them, or None where pdfminer's parser must read them."""
    objects: list[Any] = []
    try:
        for data in streams:
            objects += stream_objects(data)
    except _Decline:
        return None
    return objects
