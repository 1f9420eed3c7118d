"""The styles part (xl/styles.xml) of the streamed workbooks: each distinct CellStyle a writer asks
for becomes one cellXfs entry, its font, fill, border and number format shared with the others."""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
FONT_NAME, FONT_SIZE = "Calibri", 11
BORDER_COLOUR = "999999"


@dataclass(frozen=True)
class CellStyle:
    """How a cell looks; hashable, so equal styles share one index."""

    bold: bool = False
    italic: bool = False
    size: float = FONT_SIZE
    font: str = FONT_NAME
    fill: str | None = None  # RGB hex of a solid fill
    border: bool = False  # thin grey on every side
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False
    rotation: int = 0
    number_format: str | None = None


class StyleSheet:
    """Collects the styles of a workbook; `index(style)` is the `s` attribute of a cell."""

    def __init__(self) -> None:
        self._xfs: dict[CellStyle, int] = {CellStyle(): 0}
        self._fonts: dict[tuple, int] = {(False, False, FONT_SIZE, FONT_NAME): 0}
        self._fills: dict[str | None, int] = {None: 0}  # 1 is the reserved gray125 pattern
        self._formats: dict[str, int] = {}

    def index(self, style: CellStyle) -> int:
        found = self._xfs.get(style)
        if found is None:
            found = self._xfs[style] = len(self._xfs)
            self._fonts.setdefault((style.bold, style.italic, style.size, style.font), len(self._fonts))
            if style.fill is not None:
                self._fills.setdefault(style.fill, len(self._fills) + 1)
            if style.number_format:
                self._formats.setdefault(style.number_format, 164 + len(self._formats))
        return found

    def _xf(self, style: CellStyle) -> str:
        font = self._fonts[(style.bold, style.italic, style.size, style.font)]
        fill = self._fills[style.fill] if style.fill is not None else 0
        number = self._formats[style.number_format] if style.number_format else 0
        attrs = (f'numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{int(style.border)}" '
                 f'xfId="0" applyNumberFormat="{int(bool(number))}" applyFont="1" applyFill="1" '
                 f'applyBorder="1"')
        align = []
        if style.horizontal:
            align.append(f'horizontal="{style.horizontal}"')
        if style.vertical:
            align.append(f'vertical="{style.vertical}"')
        if style.wrap:
            align.append('wrapText="1"')
        if style.rotation:
            align.append(f'textRotation="{style.rotation}"')
        if not align:
            return f"<xf {attrs}/>"
        return f'<xf {attrs} applyAlignment="1"><alignment {" ".join(align)}/></xf>'

    def xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{n}" formatCode={quoteattr(code)}/>'
                          for code, n in self._formats.items())
        fonts = "".join(
            f"<font>{'<b/>' if bold else ''}{'<i/>' if italic else ''}<sz val=\"{size:g}\"/>"
            f"<name val={quoteattr(name)}/></font>" for (bold, italic, size, name) in self._fonts)
        fills = ('<fill><patternFill patternType="none"/></fill>'
                 '<fill><patternFill patternType="gray125"/></fill>')
        fills += "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{escape(colour)}"/>'
                         f'<bgColor indexed="64"/></patternFill></fill>' for colour in self._fills if colour)
        side = f'style="thin"><color rgb="FF{BORDER_COLOUR}"/>'
        borders = ("<border><left/><right/><top/><bottom/><diagonal/></border>"
                   f"<border><left {side}</left><right {side}</right><top {side}</top>"
                   f"<bottom {side}</bottom><diagonal/></border>")
        xfs = "".join(self._xf(style) for style in self._xfs)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + (f'<numFmts count="{len(self._formats)}">{formats}</numFmts>' if formats else "")
                + f'<fonts count="{len(self._fonts)}">{fonts}</fonts>'
                f'<fills count="{len(self._fills) + 1}">{fills}</fills>'
                f'<borders count="2">{borders}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(self._xfs)}">{xfs}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                '</styleSheet>')
