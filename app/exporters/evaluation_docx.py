"""The evaluation table (Phụ lục 01/02 of the Sở's year-end reports) as .docx bytes.

TT, Nội dung/Mục tiêu, Chủ trì, Phối hợp, Thời gian, Kết quả, Đánh giá, Ghi chú under group rows
numbered with Roman numerals, preceded by summary lines computed from the rows
("- Có 09/12 nhiệm vụ hoàn thành, đạt 75%;"). It is an appendix of a report ("Phụ lục 01 … (Kèm
theo Báo cáo số …)"): no letterhead or signature of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.exporters.docx_admin import (
    Letterhead,
    data_table,
    new_document,
    paragraph,
    ratio,
    roman,
    set_properties,
    to_bytes,
)
from app.exporters.report_docx import appendix_reference
from app.formatting import vn_share

DONE = "Hoàn thành"
MOSTLY_DONE = "Cơ bản hoàn thành"
IN_PROGRESS = "Đang thực hiện"
NOT_DONE = "Chưa hoàn thành"
CONTINUING = "Tiếp tục thực hiện"
STOPPED = "Dừng triển khai"

HEADERS = ["TT", "Nội dung/Mục tiêu", "Chủ trì", "Phối hợp", "Thời gian", "Kết quả", "Đánh giá", "Ghi chú"]


@dataclass
class EvaluationRow:
    ref: str
    content: str
    lead: str = ""
    cooperating: str = ""
    time: str = ""
    result: str = ""
    assessment: str = IN_PROGRESS
    note: str = ""


@dataclass
class EvaluationGroup:
    name: str
    rows: list[EvaluationRow] = field(default_factory=list)


@dataclass
class Evaluation:
    title: str
    groups: list[EvaluationGroup]
    letterhead: Letterhead = field(default_factory=Letterhead)
    appendix_label: str = "Phụ lục 01"
    reference: str = ""  # "(Kèm theo Báo cáo số … ngày … của Sở GDĐT)"; empty: from the letterhead
    intro: str = ""
    noun: str = "nhiệm vụ"


def summary_lines(groups: list[EvaluationGroup], noun: str = "nhiệm vụ") -> list[str]:
    """The lines above the table, computed from the assessments."""
    rows = [row for group in groups for row in group.rows]
    total = len(rows)
    if not total:
        return [f"- Chưa có {noun} nào để đánh giá."]
    done = sum(row.assessment == DONE for row in rows)
    mostly = sum(row.assessment == MOSTLY_DONE for row in rows)
    stopped = sum(row.assessment == STOPPED for row in rows)
    ongoing = total - done - mostly - stopped
    lines = [f"- Có {ratio(done, total)} {noun} hoàn thành, đạt {vn_share(done, total)};"]
    if mostly:
        lines.append(
            f"- Có {ratio(mostly, total)} {noun} cơ bản hoàn thành, chiếm {vn_share(mostly, total)};"
        )
    lines.append(f"- Có {ratio(ongoing, total)} {noun} đang thực hiện, chưa hoàn thành, "
                 f"chiếm {vn_share(ongoing, total)};")
    lines.append(f"- Có {ratio(stopped, total)} {noun} dừng triển khai, chiếm {vn_share(stopped, total)}.")
    return lines


def _table_rows(groups: list[EvaluationGroup], noun: str):
    for index, group in enumerate(groups, 1):
        yield ("group", roman(index), f"{group.name} ({len(group.rows):02d} {noun})")
        for row in group.rows:
            yield [row.ref, row.content, row.lead, row.cooperating, row.time, row.result,
                   row.assessment, row.note]


def evaluation_docx(evaluation: Evaluation) -> bytes:
    """The whole appendix on landscape A4 pages (the table is wide)."""
    document = new_document(landscape=True)
    paragraph(document, evaluation.appendix_label, bold=True, align="center")
    paragraph(document, evaluation.title.upper(), bold=True, align="center", size=14)
    paragraph(document, evaluation.reference or appendix_reference(evaluation.letterhead), italic=True,
              align="center", space_after=6)
    if evaluation.intro:
        paragraph(document, evaluation.intro, indent_first=True, align="justify")
    for line in summary_lines(evaluation.groups, evaluation.noun):
        paragraph(document, line, indent_first=True)
    paragraph(document, "", space_after=6)
    data_table(document, HEADERS, None, _table_rows(evaluation.groups, evaluation.noun),
               centered_columns=(0, 4, 6), keep_columns=(0, 4))
    set_properties(document, evaluation.letterhead, evaluation.title)
    return to_bytes(document)
