"""The administrative format of Nghị định 30/2020/NĐ-CP shared by every .docx TDNV writes.

A4, Times New Roman, margins 20/20/30/15 mm on portrait and landscape pages alike, page numbers
from page 2 at the top centre, the header table (issuing body left, national motto right), the
place and date line, the signature block (signer in the right half of the text width) and "Nơi
nhận"; landscape sections for wide tables whose header row repeats on every page and whose column
widths come from the content; file properties of the Sở, proofing language vi-VN, Word 2013+
(not compatibility) mode. Pure: data in, python-docx objects out.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.exporters import docx_table_xml as table_xml
from app.exporters.docx_fit import fit_widths, keep_tokens

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
         (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


@dataclass
class Letterhead:
    """Who issues the document and who signs it."""

    parent_body: str = "UBND THÀNH PHỐ HẢI PHÒNG"
    body: str = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    number: str = "Số:       /BC-SGDĐT"
    place: str = "Hải Phòng"
    issued_on: date | None = None
    signer_titles: tuple[str, ...] = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    signer_name: str = ""
    # None: the document's own list (a report goes to the Bộ and the UBND, the overdue list stays inside)
    recipients: list[str] | None = None
    organisation: str = "Sở Giáo dục và Đào tạo"  # the file's author/company properties
    author: str = ""


def signer_titles(text: str) -> tuple[str, ...]:
    """ "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" (a setting) as the lines of the signature block."""
    return tuple(part.strip() for part in text.split("/") if part.strip())


def roman(number: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def place_and_date(place: str, day: date | None) -> str:
    """ "Hải Phòng, ngày 20 tháng 10 năm 2025"; days < 10 and months < 3 take a leading zero (NĐ 30)."""
    if day is None:
        return f"{place}, ngày      tháng      năm       "
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def ratio(part: int, whole: int) -> str:
    """ "09/12" as the evaluation tables write it."""
    return f"{part:02d}/{whole:02d}"


def new_document(*, landscape: bool = False) -> WordDocument:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    _vietnamese(document)
    _word_2013_mode(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    _margins(section)
    if landscape:
        _landscape(section)
    _page_numbers(section)
    return document


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")


def _vietnamese(document) -> None:
    """Proofing language vi-VN on the defaults and on Normal (the template says en-US)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_lang(rpr)
    _set_lang(document.styles["Normal"].element.get_or_add_rPr())
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "vi-VN")


def _word_2013_mode(document) -> None:
    """compatibilityMode 15: the template's 14 opens in Word as "[Compatibility Mode]"."""
    for setting in document.settings.element.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def _page_numbers(section) -> None:
    """A centred PAGE field at the top of every page but the first (NĐ 30, Phụ lục I)."""
    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = para.add_run()
        run.font.size = Pt(BODY_PT)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def _margins(section) -> None:
    """Top 20, bottom 20, left 30, right 15 mm: inside the decree's ranges in both orientations."""
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)


def usable_width_mm(document) -> float:
    section = document.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def landscape_section(document):
    """Start a landscape A4 section (for a wide table) on a new page; its page numbers continue."""
    return _landscape(_next_section(document))


def _next_section(document):
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False  # the header (page number) is linked
    return section


def _landscape(section):
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    _margins(section)
    return section


def portrait_section(document):
    section = _next_section(document)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    _margins(section)
    return section


def paragraph(container, text: str = "", *, bold=False, italic=False, size=None, align=None,
              indent_first=False, space_after=0, underline=False):
    para = container.add_paragraph()
    if text:
        run = para.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align == "center":
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "justify":
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent_first:
        para.paragraph_format.first_line_indent = Mm(12.7)
    para.paragraph_format.space_after = Pt(space_after)
    return para


def placeholder(container, text: str = "[Đơn vị bổ sung nội dung]"):
    """A clearly marked gap for the writer (the document is a draft)."""
    para = paragraph(container, text, italic=True, indent_first=True, space_after=6)
    para.runs[0].font.highlight_color = 7  # yellow
    return para


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell_lines(cell, lines, *, size=BODY_PT, align="center") -> None:
    """Fill a cell with (text, bold, italic, underline) lines."""
    first = True
    for text, bold, italic, underline in lines:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        run = para.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT


def header_block(document, head: Letterhead) -> None:
    """Issuing body (left) and national motto (right), then number and the place and date line."""
    table = document.add_table(rows=2, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    usable = usable_width_mm(document)
    widths = (round(usable * 0.42), round(usable * 0.58))
    _grid(table, widths)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    _cell_lines(table.cell(0, 0), [(head.parent_body, False, False, False)], size=12)
    body = table.cell(0, 0).add_paragraph()
    body.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = body.add_run(head.body)
    run.bold, run.underline, run.font.size = True, True, Pt(12)
    _cell_lines(table.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, False)], size=12)
    motto = table.cell(0, 1).add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = motto.add_run("Độc lập - Tự do - Hạnh phúc")
    run.bold, run.underline, run.font.size = True, True, Pt(BODY_PT + 1)
    _cell_lines(table.cell(1, 0), [(head.number, False, False, False)], size=BODY_PT)
    _cell_lines(table.cell(1, 1), [(place_and_date(head.place, head.issued_on), False, True, False)],
                size=BODY_PT)
    paragraph(document, "", space_after=6)


def title_block(document, title: str, subtitle_lines: Sequence[str] = ()) -> None:
    paragraph(document, title, bold=True, align="center", size=14)
    for line in subtitle_lines:
        paragraph(document, line, bold=True, align="center", size=14)
    paragraph(document, "", space_after=6)


def signature_block(document, head: Letterhead, recipients: Sequence[str] = ()) -> None:
    """ "Nơi nhận" on the left, the signer's titles and name in a column (90 mm, at most half) at the
    right edge of the text (a borderless table as wide as the text: landscape pages sign at the right)."""
    paragraph(document, "", space_after=6)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    usable = usable_width_mm(document)
    widths = (usable - min(90, usable / 2), min(90, usable / 2))
    _grid(table, widths)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.width, right.width = Mm(widths[0]), Mm(widths[1])
    _keep_row_together(table.rows[0])
    _cell_lines(left, [("Nơi nhận:", True, True, False)], size=12, align="left")
    for recipient in head.recipients if head.recipients is not None else recipients:
        para = left.add_paragraph()
        run = para.add_run(f"- {recipient}")
        run.font.size = Pt(11)
    _cell_lines(right, [(t, True, False, False) for t in head.signer_titles], size=BODY_PT)
    for _ in range(4):
        right.add_paragraph()
    if head.signer_name:
        para = right.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(head.signer_name).bold = True


def _keep_row_together(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _grid(table, widths_mm) -> None:
    """Column widths in the table grid too: LibreOffice and Word lay out by w:gridCol."""
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)


def _is_group(values) -> bool:
    return bool(values) and values[0] == "group"


def data_table(document, headers: Sequence[str], widths_mm: Sequence[float] | None, rows, *, size=TABLE_PT,
               centered_columns=(0,), keep_rows=True, keep_columns=()):
    """A bordered table with a repeating header row. Rows are lists of cells, or
    ("group", label, text) for a bold full-width group row (e.g. "I  Nhóm nhiệm vụ …").

    widths_mm None: chosen from the content over the text width (no cell breaks inside a token);
    keep_columns hold refs, dates and ranges whose hyphens become non-breaking. Built as one XML
    string and parsed once (docx_table_xml): cell by cell, 1.700 units took ~7 s."""
    rows = [
        values if _is_group(values) else
        [keep_tokens(str(v)) if i in keep_columns and v is not None else v for i, v in enumerate(values)]
        for values in rows
    ]
    if widths_mm is None:
        measured = [[values[1]] + [""] * (len(headers) - 1) if _is_group(values) else values
                    for values in rows]
        widths_mm = fit_widths(headers, measured, usable_width_mm(document), size=size,
                               bold_rows=[_is_group(values) for values in rows])
    widths = table_xml.twips(widths_mm)
    parts = [table_xml.table_start(widths), table_xml.row_start(cant_split=False, header=True)]
    parts += [table_xml.cell(width, table_xml.para(text, size, bold=True, centre=True), shade="E7E6E6")
              for text, width in zip(headers, widths, strict=True)]
    parts.append("</w:tr>")
    parts += [_group_row(values, widths, size) if _is_group(values) else
              _body_row(values, widths, size, centered_columns, keep_rows) for values in rows]
    parts.append("</w:tbl>")
    return table_xml.append_table(document, "".join(parts))


def _group_row(values, widths: list[int], size: float) -> str:
    """Label and text in bold, the text over all other columns; never ends a page alone."""
    _, label, text = values
    return (table_xml.row_start(cant_split=True)
            + table_xml.cell(widths[0], table_xml.para(label, size, bold=True, centre=True, keep_next=True))
            + table_xml.cell(sum(widths[1:]), table_xml.para(text, size, bold=True, centre=False,
                                                             keep_next=True), span=len(widths) - 1)
            + "</w:tr>")


def _body_row(values, widths: list[int], size: float, centered_columns, keep_rows: bool) -> str:
    cells = "".join(
        table_xml.cell(width, table_xml.para(value, size, bold=False, centre=index in centered_columns))
        for index, (width, value) in enumerate(zip(widths, values, strict=True)))
    return f"{table_xml.row_start(cant_split=keep_rows)}{cells}</w:tr>"


def set_properties(document, head: Letterhead, title: str) -> None:
    """Author and company of the Sở, created now, Vietnamese (File > Properties)."""
    props = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.author = head.author or head.organisation
    props.last_modified_by = head.author or head.organisation
    props.title = title
    props.language = "vi-VN"
    props.created = props.modified = now
    props.revision = 1
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            _set_company(part, head.organisation)


def _set_company(part, company: str) -> None:
    from xml.sax.saxutils import escape

    text = part.blob.decode("utf-8")
    text = text.replace("<Company/>", "<Company></Company>")
    start, end = text.find("<Company>"), text.find("</Company>")
    if start >= 0 and end > start:
        text = text[:start] + f"<Company>{escape(company)}" + text[end:]
    text = text.replace("<Application>Microsoft Macintosh Word</Application>",
                        "<Application>TDNV</Application>")
    part._blob = text.encode("utf-8")


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
