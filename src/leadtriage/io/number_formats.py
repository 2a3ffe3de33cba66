"""Numbers a workbook shows zero-padded, as the text Excel shows for them.

A US ZIP code typed as a number keeps its leading zero on screen only through its
format: 2134 with ``00000`` (Excel's "Zip Code") shows 02134, 21340123 with
``00000-0000`` shows 02134-0123, a phone stored as a number with ``0000000000`` shows
0612345678. calamine hands over the bare number; the format is found through the
cell's style (``s="3"``) in ``xl/styles.xml``: the style's ``numFmtId`` names a custom
``<numFmt formatCode="00000"/>``.

Only formats that are digit templates are applied: zero placeholders and literal
text (quoted, escaped, or one of ``- ( ) + :`` and space), at least two zeros, to
a whole number that is not negative. Anything else (thousands separators, decimals,
``#``, conditions, colours, dates) is left as read: those add no digits a person
would miss.
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import Final

import polars as pl

from leadtriage.io.sheet_extent import xml_attributes, xml_unescaped

# Elements and attributes as in styles.xml, with or without a namespace prefix.
_NUMBER_FORMAT: Final = re.compile(rb"<(?:\w+:)?numFmt\b[^>]*>")
_CELL_FORMATS: Final = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.DOTALL)
_CELL_FORMAT: Final = re.compile(rb"<(?:\w+:)?xf\b[^>]*>")
# One piece of a digit template: a quoted or escaped literal, a zero, a plain literal.
# A slash is left out: between digit places it makes a fraction (``0/0``).
_TEMPLATE_PIECE: Final = re.compile(r'"([^"]*)"|\\(.)|(0)|([-()+: ])')
_MIN_ZEROS: Final = 2
# Literal text, and None for each digit place.
Template = tuple[str | None, ...]


def padded_styles(styles: bytes) -> dict[int, Template]:
    """Cell style index (a cell's ``s``) -> its format as a digit template: literal
    text, and None for each digit place. Only styles whose format pads with zeros."""
    templates = {}
    for element in _NUMBER_FORMAT.findall(styles):
        attributes = xml_attributes(element)
        template = digit_template(xml_unescaped(attributes.get("formatCode", "")))
        if template is not None and attributes.get("numFmtId", "").isdigit():
            templates[int(attributes["numFmtId"])] = template
    if not templates:
        return {}
    block = _CELL_FORMATS.search(styles)
    if block is None:
        return {}
    padded = {}
    for index, element in enumerate(_CELL_FORMAT.findall(block.group(0))):
        format_id = xml_attributes(element).get("numFmtId", "0")
        if format_id.isdigit() and int(format_id) in templates:
            padded[index] = templates[int(format_id)]
    return padded


def digit_template(code: str) -> Template | None:
    """``00000-0000`` -> (None x5, "-", None x4); None when `code` (its first section,
    the one for positive numbers) is not a template of zeros and literal text."""
    section = code.split(";", 1)[0]
    pieces: list[str | None] = []
    position = 0
    while position < len(section):
        found = _TEMPLATE_PIECE.match(section, position)
        if found is None:
            return None
        quoted, escaped, zero, plain = found.groups()
        if zero:
            pieces.append(None)
        else:
            pieces.append(next(p for p in (quoted, escaped, plain) if p is not None))
        position = found.end()
    return tuple(pieces) if pieces.count(None) >= _MIN_ZEROS else None


def shown(numbers: pl.Expr, template: Template) -> pl.Expr:
    """The whole `numbers` (digits) laid into `template` as Excel lays them: padded
    with zeros to the places, filled from the right; digits beyond the places go
    before the first place."""
    places = template.count(None)
    digits = numbers.str.zfill(places)
    extra = digits.str.len_chars() - places
    parts: list[pl.Expr] = []
    offset = 0
    for is_place, run in groupby(template, key=lambda piece: piece is None):
        pieces = list(run)
        if not is_place:
            parts.append(pl.lit("".join(p for p in pieces if p is not None)))
            continue
        # The first run of places takes the extra digits too.
        if offset == 0:
            parts.append(digits.str.slice(0, extra + len(pieces)))
        else:
            parts.append(digits.str.slice(extra + offset, len(pieces)))
        offset += len(pieces)
    return pl.concat_str(parts)
