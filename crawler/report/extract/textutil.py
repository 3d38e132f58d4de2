"""Text helpers shared by the extractors: whitespace, joining wrapped lines, numbers."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009\u200b\ufeff]+")


def clean(text: str) -> str:
    """Collapse runs of whitespace (not the ideographic space U+3000, which indents Chinese) and strip."""
    return _SPACES.sub(" ", text).strip(" \u3000")


def _ascii_word(char: str) -> bool:
    return char.isascii() and char.isalpha()


def join_lines(lines: list[str]) -> str:
    """Join visually wrapped lines of one cell or paragraph: no separator in Chinese, a space between words."""
    out = ""
    for line in lines:
        line = clean(line)
        if not line:
            continue
        if out and _ascii_word(out[-1]) and _ascii_word(line[0]):
            out += " "
        out += line
    return out


def number_text(value: object) -> str:
    """A spreadsheet value as printed: 174.0 -> '174', None -> ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return clean(str(value))
