"""A Word table (w:tbl) written as one XML string: python-docx's cell-by-cell API costs seconds for
a province's 1.700-row tables, one pass over strings a fraction of that. The pieces here give the
look python-docx gives ("Table Grid", fixed layout, centred); text is escaped and stripped of the
control characters XML forbids. append_table parses a table into the body; the matrix, with 61.000
cells, keeps its string and writes it into the saved package instead (matrix_docx._put_tables)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.table import CT_Tbl
from docx.shared import Mm
from docx.table import Table

NARROW_MARGINS = '<w:tcMar><w:left w:w="28" w:type="dxa"/><w:right w:w="28" w:type="dxa"/></w:tcMar>'
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TABLE_PROPS = ('<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
                '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
                '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
                'w:noHBand="0" w:noVBand="1"/></w:tblPr>')


def twips(widths_mm: Sequence[float]) -> list[int]:
    return [round(Mm(width).twips) for width in widths_mm]


def runs(text: object, size: float, *, bold: bool | None) -> str:
    """One run of text (line breaks and tabs as Word's own elements, as python-docx's add_run);
    bold None leaves the weight to the style."""
    weight = "" if bold is None else ("<w:b/>" if bold else '<w:b w:val="0"/>')
    pieces = []
    for number, line in enumerate(_ILLEGAL.sub("", "" if text is None else str(text)).split("\n")):
        if number:
            pieces.append("<w:br/>")
        pieces.append("<w:tab/>".join(f'<w:t xml:space="preserve">{escape(part)}</w:t>'
                                      for part in line.split("\t")))
    return f'<w:r><w:rPr>{weight}<w:sz w:val="{round(size * 2)}"/></w:rPr>{"".join(pieces)}</w:r>'


def para(text: object, size: float, *, bold: bool | None, centre: bool, keep_next: bool = False) -> str:
    keep = "<w:keepNext/>" if keep_next else ""
    align = '<w:jc w:val="center"/>' if centre else ""
    return f'<w:p><w:pPr>{keep}<w:spacing w:after="0"/>{align}</w:pPr>{runs(text, size, bold=bold)}</w:p>'


def cell(width: int, body: str, *, shade: str | None = None, no_wrap=False, narrow=False,
         vertical=False, span: int = 1) -> str:
    """A w:tc, its properties in the schema's order (tcW, gridSpan, shd, noWrap, tcMar,
    textDirection, vAlign)."""
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if shade:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>')
    if no_wrap:
        props.append("<w:noWrap/>")
    if narrow:
        props.append(NARROW_MARGINS)
    if vertical:
        props.append('<w:textDirection w:val="btLr"/><w:vAlign w:val="center"/>')
    return f'<w:tc><w:tcPr>{"".join(props)}</w:tcPr>{body or "<w:p/>"}</w:tc>'


def row_start(*, cant_split: bool, header: bool = False, height: str = "") -> str:
    """<w:tr> with its properties (cantSplit, trHeight, tblHeader, in the schema's order)."""
    props = ('<w:cantSplit w:val="true"/>' if cant_split else "") + height
    if header:
        props += '<w:tblHeader w:val="true"/>'
    return f"<w:tr><w:trPr>{props}</w:trPr>" if props else "<w:tr>"


def table_start(widths: Sequence[int]) -> str:
    """<w:tbl>, its properties and its grid (LibreOffice and Word lay out by w:gridCol)."""
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return f"<w:tbl>{_TABLE_PROPS}<w:tblGrid>{grid}</w:tblGrid>"


def append_table(document, xml: str) -> Table:
    """Parse a w:tbl string (built without namespace declarations) and add it at the end of the
    body, before its final section properties, as document.add_table does."""
    tbl = parse_xml(xml.replace("<w:tbl>", f"<w:tbl {nsdecls('w')}>", 1))
    if not isinstance(tbl, CT_Tbl):
        raise ValueError("not a w:tbl")
    body = document.element.body
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(tbl)
    else:
        body.append(tbl)
    return Table(tbl, document._body)
