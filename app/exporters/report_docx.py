"""The sơ kết / tổng kết report (outline of Phụ lục 1, seeds/000) as a .docx draft.

Figures and tables are filled from the data; the prose of each section is left to the writer,
marked "[Đơn vị bổ sung nội dung …]" so nobody sends the draft unfinished by mistake. A sơ kết counts
to the end of semester I and looks ahead to semester II; a tổng kết counts to the end of the school
year, adds the overall assessment and lessons, and looks ahead to the next year. The by-unit table
is "Phụ lục 01" of the report (no letterhead or signature of its own); the report goes to the Bộ
and the UBND ("Nơi nhận").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.exporters.docx_admin import (
    Letterhead,
    data_table,
    header_block,
    landscape_section,
    new_document,
    paragraph,
    placeholder,
    set_properties,
    signature_block,
    title_block,
    to_bytes,
)
from app.formatting import vn_date, vn_number, vn_share

SO_KET, TONG_KET = "so_ket", "tong_ket"

COUNT_HEADERS = ["TT", "{what}", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                 "Chưa hoàn thành trong hạn", "Chưa hoàn thành quá hạn", "Tỷ lệ hoàn thành"]


@dataclass
class CountRow:
    label: str
    done_on_time: int = 0
    done_late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0

    @property
    def total(self) -> int:
        return self.done_on_time + self.done_late + self.open_in_time + self.open_overdue

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late


@dataclass
class ReportData:
    kind: str  # "Sơ kết học kỳ I năm học 2025-2026" / "Tổng kết năm học 2025-2026"
    subject: str  # "thực hiện Kế hoạch số 1295/KH-SGDĐT ngày 20/10/2025 …"
    as_of: date
    totals: CountRow
    tasks: int = 0
    groups: int = 0
    units: int = 0
    ongoing: int = 0
    not_done: int = 0
    checkins: CountRow = field(default_factory=lambda: CountRow("Kỳ báo cáo"))
    targets_met: int = 0
    targets_not_met: int = 0
    targets_unreported: int = 0
    by_group: list[CountRow] = field(default_factory=list)
    by_unit: list[CountRow] = field(default_factory=list)
    overdue_units: list[tuple[str, int]] = field(default_factory=list)
    upcoming: list[tuple[date, str, int]] = field(default_factory=list)  # (due, task, units)
    letterhead: Letterhead = field(default_factory=Letterhead)
    period: str = SO_KET  # SO_KET (to the end of semester I) or TONG_KET (to the end of the year)


def recipients(head: Letterhead) -> list[str]:
    """A report goes up: the Bộ and the province (or city) for information, then inside the Sở."""
    province = "UBND thành phố" if head.parent_body.upper().startswith("UBND THÀNH PHỐ") else "UBND tỉnh"
    return ["Bộ GDĐT (để b/c);", f"{province} (để b/c);", "Lãnh đạo Sở;", "Lưu: VT, VP."]


def appendix_reference(head: Letterhead) -> str:
    """ "(Kèm theo Báo cáo số …/BC-SGDĐT ngày … của Sở …)": the appendix names its report."""
    number = head.number.replace("Số:", "").strip()
    number = number if number[:1].isdigit() else "…" + number.lstrip()
    day = vn_date(head.issued_on) if head.issued_on else "…"
    return f"(Kèm theo Báo cáo số {number} ngày {day} của {head.organisation})"


def _total(rows: list[CountRow]) -> CountRow:
    return CountRow("Tổng cộng", sum(r.done_on_time for r in rows), sum(r.done_late for r in rows),
                    sum(r.open_in_time for r in rows), sum(r.open_overdue for r in rows))


def _count_table(document, what: str, rows: list[CountRow], widths=None):
    headers = [h.format(what=what) for h in COUNT_HEADERS]
    rows = [*rows, _total(rows)] if rows else rows
    body = [
        [
            str(i),
            r.label,
            vn_number(r.total),
            vn_number(r.done_on_time),
            vn_number(r.done_late),
            vn_number(r.open_in_time),
            vn_number(r.open_overdue),
            vn_share(r.done, r.total) if r.total else "-",
        ]
        for i, r in enumerate(rows, 1)
    ]
    if body:
        body[-1][0] = ""
    table = data_table(document, headers, widths, body, size=11, centered_columns=(0, 2, 3, 4, 5, 6, 7))
    if body:
        for cell in table.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True


def two_by_two_lines(totals: CountRow, noun: str = "lượt nhiệm vụ") -> list[str]:
    t = totals.total
    if not t:
        return [f"- Chưa có {noun} nào đến kỳ đánh giá."]
    return [
        f"- Hoàn thành đúng hạn: {vn_number(totals.done_on_time)}/{vn_number(t)} {noun}, "
        f"chiếm {vn_share(totals.done_on_time, t)};",
        f"- Hoàn thành quá hạn: {vn_number(totals.done_late)}/{vn_number(t)}, chiếm "
        f"{vn_share(totals.done_late, t)};",
        f"- Chưa hoàn thành, trong hạn: {vn_number(totals.open_in_time)}/{vn_number(t)}, "
        f"chiếm {vn_share(totals.open_in_time, t)};",
        f"- Chưa hoàn thành, quá hạn: {vn_number(totals.open_overdue)}/{vn_number(t)}, "
        f"chiếm {vn_share(totals.open_overdue, t)}.",
    ]


def _heading(document, text: str) -> None:
    paragraph(document, text, bold=True, space_after=3)


def report_docx(data: ReportData) -> bytes:
    document = new_document()
    header_block(document, data.letterhead)
    title_block(document, "BÁO CÁO", [data.kind, data.subject])
    period = "học kỳ I" if data.period == SO_KET else "năm học"
    paragraph(document, f"(Số liệu tính đến ngày {vn_date(data.as_of)}, tổng hợp trên hệ thống TDNV theo "
              f"{period})", italic=True, align="center", space_after=6)

    _heading(document, "1. Công tác lãnh đạo, triển khai")
    paragraph(document, f"Kế hoạch gồm {vn_number(data.tasks)} nhiệm vụ thuộc {vn_number(data.groups)} nhóm "
              f"nhiệm vụ, giao cho {vn_number(data.units)} đơn vị chủ trì, phối hợp thực hiện.",
              indent_first=True, align="justify")
    placeholder(document, "[Đơn vị bổ sung nội dung: văn bản chỉ đạo, hướng dẫn, tập huấn đã ban hành]")

    _heading(document, "2. Kết quả thực hiện các nhiệm vụ, giải pháp")
    paragraph(document, f"Tính đến ngày {vn_date(data.as_of)}, tỷ lệ hoàn thành đạt "
              f"{vn_share(data.totals.done, data.totals.total)} "
              f"({vn_number(data.totals.done)}/{vn_number(data.totals.total)} lượt nhiệm vụ, tính theo "
              "thời hạn đang áp dụng), cụ thể:", indent_first=True, align="justify")
    for line in two_by_two_lines(data.totals):
        paragraph(document, line, indent_first=True)
    if data.ongoing or data.not_done:
        paragraph(document, f"- Nhiệm vụ thường xuyên (tính riêng): {vn_number(data.ongoing)} lượt giao; "
                  f"không thực hiện: {vn_number(data.not_done)} lượt.", indent_first=True)
    targeted = data.targets_met + data.targets_not_met + data.targets_unreported
    if targeted:
        paragraph(
            document,
            f"- Chỉ tiêu định lượng: {vn_number(data.targets_met)}/{vn_number(targeted)} lượt đạt, "
            f"{vn_number(data.targets_not_met)} lượt chưa đạt, {vn_number(data.targets_unreported)} "
            "lượt chưa báo cáo số liệu.",
            indent_first=True,
        )
    paragraph(document, "Bảng 1. Kết quả theo nhóm nhiệm vụ", italic=True, align="center", space_after=3)
    _count_table(document, "Nhóm nhiệm vụ", data.by_group)
    placeholder(document, "[Đơn vị bổ sung nội dung: kết quả nổi bật của từng nhóm nhiệm vụ, minh chứng]")

    _heading(document, "3. Công tác báo cáo định kỳ")
    c = data.checkins
    if c.total:
        paragraph(
            document,
            f"Các nhiệm vụ thường xuyên có {vn_number(c.total)} kỳ báo cáo đến hạn hoặc đang mở: "
            f"{vn_number(c.done_on_time)} kỳ báo cáo đúng hạn, {vn_number(c.done_late)} kỳ báo cáo muộn, "
            f"{vn_number(c.open_overdue)} kỳ quá hạn chưa báo cáo, {vn_number(c.open_in_time)} kỳ còn "
            "trong hạn.",
            indent_first=True,
            align="justify",
        )
    placeholder(document, "[Đơn vị bổ sung nội dung: việc thực hiện chế độ báo cáo định kỳ]")

    _heading(document, "4. Khó khăn, vướng mắc khi thực hiện triển khai nhiệm vụ")
    if data.overdue_units:
        paragraph(document, f"Còn {vn_number(data.totals.open_overdue)} lượt nhiệm vụ quá hạn; các đơn vị có "
                  "nhiều nhiệm vụ quá hạn nhất:", indent_first=True)
        data_table(document, ["TT", "Đơn vị", "Số nhiệm vụ quá hạn"], [12, 110, 40],
                   [[str(i), name, vn_number(n)] for i, (name, n) in enumerate(data.overdue_units, 1)],
                   centered_columns=(0, 2))
    placeholder(document, "[Đơn vị bổ sung nội dung: khó khăn, vướng mắc và nguyên nhân]")

    _looking_ahead(document, data)

    _heading(document, "6. Đề xuất, kiến nghị")
    placeholder(document)
    paragraph(document, f"Trên đây là báo cáo {data.kind[:1].lower() + data.kind[1:]} {data.subject}./.",
              indent_first=True, align="justify", space_after=6)
    signature_block(document, data.letterhead, recipients(data.letterhead))

    if data.by_unit:
        landscape_section(document)
        paragraph(document, "Phụ lục 01", bold=True, align="center")
        paragraph(document, "KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ", bold=True, align="center", size=14)
        paragraph(document, appendix_reference(data.letterhead), italic=True, align="center")
        paragraph(document, f"(Số liệu tính đến ngày {vn_date(data.as_of)}; {vn_number(len(data.by_unit))} "
                  "đơn vị, xếp theo tên)", italic=True, align="center", space_after=6)
        _count_table(document, "Đơn vị", data.by_unit)
    set_properties(document, data.letterhead, f"Báo cáo {data.kind[:1].lower() + data.kind[1:]}")
    return to_bytes(document)


def _looking_ahead(document, data: ReportData) -> None:
    """Sơ kết: semester II's priorities. Tổng kết: the year's assessment, lessons, next year."""
    if data.period == TONG_KET:
        _heading(document, "5. Đánh giá chung, bài học kinh nghiệm và phương hướng nhiệm vụ trọng tâm năm "
                 "học tiếp theo")
        total = data.totals
        paragraph(document, "Đến hết năm học, đã hoàn thành "
                  f"{vn_number(total.done)}/{vn_number(total.total)} lượt nhiệm vụ "
                  f"({vn_share(total.done, total.total)}); còn {vn_number(total.open_overdue)} "
                  "lượt chưa hoàn thành quá hạn chuyển sang năm học tiếp theo.", indent_first=True,
                  align="justify")
        placeholder(document, "[Đơn vị bổ sung nội dung: đánh giá chung, bài học kinh nghiệm]")
        placeholder(document, "[Đơn vị bổ sung nội dung: nhiệm vụ trọng tâm năm học tiếp theo]")
        return
    _heading(document, "5. Phương hướng nhiệm vụ trọng tâm học kỳ II")
    for due, task, units in data.upcoming:
        paragraph(document, f"- {task} (hạn {vn_date(due)}, {vn_number(units)} đơn vị);", indent_first=True)
    placeholder(document, "[Đơn vị bổ sung nội dung: nhiệm vụ trọng tâm học kỳ II]")
