"""Build the appendix corpus: task tables of many shapes, each with the import a reader expects.

Run: python tests/data/appendices/build.py  (writes <name>.docx/.xlsx/.csv and <name>.expected.json)

The expected values are written here by hand, from the rules of DOMAIN.md, next to the cells they
describe; they are never produced by the importer. Files whose name starts with "h" are held out:
the importer was not tuned on them (see docs/import.md for the scores).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
from docx import Document
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
FIELDS = ("ref", "group_path", "content", "time_text", "start_date", "due_date", "recurrence", "targets",
          "lead", "cooperating")


def T(ref, path, content, time_text, start, due, recurrence=None, targets=(), lead=(), coop=(), product=""):
    """One expected task; targets as (op, value, max, unit) tuples."""
    return {
        "ref": ref, "group_path": list(path), "content": content, "time_text": time_text,
        "start_date": start, "due_date": due, "recurrence": recurrence,
        "targets": [{"op": op, "value": v, "max": mx, "unit": u} for op, v, mx, u in targets],
        "lead": list(lead), "cooperating": list(coop), "_product": product,
    }


# --- docx helpers --------------------------------------------------------------------------------
def doc_with(lines: list[str]) -> Document:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    return doc


def set_text(cell, text: str, bold_first: bool = False) -> None:
    lines = text.split("\n") if text else [""]
    for paragraph in cell.paragraphs[1:]:
        paragraph._element.getparent().remove(paragraph._element)
    for run in list(cell.paragraphs[0].runs):
        run._element.getparent().remove(run._element)
    run = cell.paragraphs[0].add_run(lines[0])
    run.bold = bold_first
    for line in lines[1:]:
        cell.add_paragraph(line)


def table(doc, rows: list[list[str]], merges=(), bold_rows=()):
    width = max(len(r) for r in rows)
    t = doc.add_table(rows=len(rows), cols=width)
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            set_text(t.cell(r, c), text, bold_first=r in bold_rows)
    for top, left, bottom, right in merges:
        keep = t.cell(top, left).text
        merged = t.cell(top, left).merge(t.cell(bottom, right))
        set_text(merged, keep)
    for row in t.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(12)
    return t


def save_docx(doc, name: str) -> None:
    doc.save(HERE / f"{name}.docx")


def save_xlsx(wb, name: str) -> None:
    wb.save(HERE / f"{name}.xlsx")


def save_expected(name: str, source: str, tasks: list[dict]) -> None:
    out = {"source": source, "tasks": [{k: t[k] for k in FIELDS} for t in tasks]}
    (HERE / f"{name}.expected.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")


# --- d01: a People's Committee plan, Roman groups, "Nhiệm vụ/giải pháp", "Cơ quan chủ trì" ----------
def d01():
    name = "d01_ubnd_tinh_ke_hoach"
    doc = doc_with(
        [
            "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ",
            "Số: 215/KH-UBND",
            "Quảng Trị, ngày 12 tháng 3 năm 2026",
            "KẾ HOẠCH",
            "Triển khai Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, "
            "đổi mới sáng tạo và chuyển đổi số quốc gia trên địa bàn tỉnh năm 2026",
            "PHỤ LỤC",
            "NHIỆM VỤ, GIẢI PHÁP CỤ THỂ",
            "(Kèm theo Kế hoạch số 215/KH-UBND)",
        ]
    )
    g1 = "NÂNG CAO NHẬN THỨC, ĐỔI MỚI TƯ DUY"
    g2 = "Phát triển hạ tầng số và dữ liệu"
    tasks = [
        T(
            "1",
            [g1],
            "Quán triệt, tuyên truyền Nghị quyết số 57-NQ/TW đến toàn thể cán bộ, công chức, viên chức",
            "Quý II/2026",
            "2026-04-01",
            "2026-06-30",
            targets=[(">=", 100, None, "%")],
            lead=["Sở Nội vụ"],
            coop=["Sở, ban, ngành", "UBND các xã, phường, đặc khu"],
            product="100% cán bộ, công chức được quán triệt",
        ),
        T(
            "2",
            [g1],
            "Tổ chức hội nghị chuyên đề về chuyển đổi số trong các cơ quan nhà nước",
            "Thường xuyên",
            None,
            None,
            "ongoing",
            targets=[(">=", 2, None, "hội nghị chuyên đề")],
            lead=["Sở Khoa học và Công nghệ"],
            coop=["Sở, ban, ngành"],
            product="Ít nhất 02 hội nghị chuyên đề",
        ),
        T(
            "3",
            [g2],
            "Xây dựng cơ sở dữ liệu đất đai, tài nguyên và môi trường kết nối với hệ thống của tỉnh",
            "30/6/2026 (có thể điều chỉnh theo tiến độ)",
            None,
            "2026-06-30",
            lead=["Sở Nông nghiệp và Môi trường"],
            coop=["Sở Khoa học và Công nghệ", "Sở Tài chính"],
            product="Cơ sở dữ liệu được đưa vào vận hành",
        ),
        T(
            "4",
            [g2],
            "Phủ sóng di động 4G/5G tại 45 phường và các thôn, bản vùng sâu, vùng xa",
            "Năm 2026",
            "2026-01-01",
            "2026-12-31",
            lead=["Sở Khoa học và Công nghệ"],
            coop=["UBND các xã, phường, đặc khu"],
            product="Hạ tầng phủ sóng tại 45 phường",
        ),
        T(
            "5",
            [g2],
            "Số hóa hồ sơ học sinh, sổ điểm và học bạ trong các cơ sở giáo dục",
            "Quý III/2026",
            "2026-07-01",
            "2026-09-30",
            targets=[(">=", 98.5, None, "%")],
            lead=["Sở Giáo dục và Đào tạo"],
            coop=["UBND các xã, phường, đặc khu"],
            product="≥98,5% hồ sơ được số hóa",
        ),
    ]
    header = ["TT", "Nhiệm vụ/giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành",
              "Sản phẩm đầu ra"]
    rows = [header, ["I", g1, "", "", "", ""]]
    rows += [[t["ref"], t["content"], "; ".join(t["lead"]), "; ".join(t["cooperating"]), t["time_text"],
              t["_product"]] for t in tasks[:2]]
    rows += [["II", g2 + " (03 nhiệm vụ)", "", "", "", ""]]
    rows += [[t["ref"], t["content"], ", ".join(t["lead"]), "; ".join(t["cooperating"]), t["time_text"],
              t["_product"]] for t in tasks[2:]]
    table(doc, rows, bold_rows=(0, 1, 4))
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- d02: a department's Excel working copy: title rows, two-row header, date formats, hidden ------
def d02():
    name = "d02_phong_excel_theo_doi"
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    guide.append(["Hướng dẫn cập nhật: mỗi phòng cập nhật cột Ghi chú trước ngày 25 hằng tháng."])
    guide.append(["Không sửa cột STT."])
    ws = wb.create_sheet("Nhiệm vụ 2026")
    ws.append(["SỞ GIÁO DỤC VÀ ĐÀO TẠO", None, None, None, None, None, None, None])
    ws.append(["BẢNG THEO DÕI NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026", None, None, None, None, None, None, None])
    ws.append([None] * 8)
    ws.append(["STT", "Nội dung nhiệm vụ", "Mã nội bộ", "Thời gian", None, "Đơn vị", None, "Ghi chú"])
    ws.append([None, None, None, "Bắt đầu", "Hoàn thành", "Chủ trì", "Phối hợp", None])
    for ref in ("A1:H1", "A2:H2", "A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:G4", "H4:H5"):
        ws.merge_cells(ref)
    month = '"Tháng "m/yyyy'
    data = [
        (
            "1",
            "Rà soát, cập nhật dữ liệu đội ngũ trên cơ sở dữ liệu ngành",
            "NB-01",
            (dt.datetime(2026, 2, 1), month),
            (dt.datetime(2026, 3, 1), month),
            "Phòng Tổ chức cán bộ",
            "Các đơn vị trực thuộc",
            "Tháng 2/2026 - Tháng 3/2026",
            "2026-02-01",
            "2026-03-31",
        ),
        (
            "2",
            "Triển khai học bạ số cấp trung học phổ thông",
            "NB-02",
            (dt.datetime(2026, 1, 5), "dd/mm/yyyy"),
            (dt.datetime(2026, 5, 31), "dd/mm/yyyy"),
            "Phòng Giáo dục trung học",
            "Phòng Quản lý chất lượng, Các trường",
            "05/01/2026 - 31/05/2026",
            "2026-01-05",
            "2026-05-31",
        ),
        (
            "3",
            "Cập nhật kế hoạch giáo dục nhà trường lên phần mềm quản lý",
            "NB-03",
            (dt.datetime(2026, 9, 1), month),
            (dt.datetime(2026, 10, 1), month),
            "Phòng Giáo dục phổ thông",
            "Các trường",
            "Tháng 9/2026 - Tháng 10/2026",
            "2026-09-01",
            "2026-10-31",
        ),
        (
            "4",
            "Đánh giá mức độ chuyển đổi số của các cơ sở giáo dục",
            "NB-04",
            (dt.datetime(2026, 11, 1), month),
            (dt.datetime(2026, 12, 15), "dd/mm/yyyy"),
            "Văn phòng Sở",
            "Các phòng chuyên môn",
            "Tháng 11/2026 - 15/12/2026",
            "2026-11-01",
            "2026-12-15",
        ),
    ]
    hidden_row = None
    for i, (ref, content, code, start, end, lead, coop, *_ignored) in enumerate(data):
        if i == 2:
            ws.append(["x", "Nhiệm vụ đã hủy (ẩn khi lọc)", "NB-99", "Quý I/2026", None, "Văn phòng Sở", None,
                       None])
            hidden_row = ws.max_row
        ws.append([int(ref), content, code, start[0], end[0], lead, coop, None])
        row = ws.max_row
        ws.cell(row, 4).number_format = start[1]
        ws.cell(row, 5).number_format = end[1]
    ws.row_dimensions[hidden_row].hidden = True
    ws.column_dimensions["C"].hidden = True
    save_xlsx(wb, name)
    tasks = [T(ref, [], content, text, s, d, lead=[lead], coop=[c.strip() for c in coop.split(",")])
             for ref, content, _code, _s, _e, lead, coop, text, s, d in data]
    save_expected(name, name + ".xlsx", tasks)


# --- d03: a Sở letter whose appendix comes after technical tables ----------------------------------
def d03():
    name = "d03_cong_van_sau_bang_ky_thuat"
    doc = doc_with(["SỞ GIÁO DỤC VÀ ĐÀO TẠO NGHỆ AN", "Số: 1820/SGDĐT-VP",
                    "V/v hướng dẫn triển khai phòng học trực tuyến năm học 2025-2026",
                    "Nghệ An, ngày 08 tháng 10 năm 2025", "1. Yêu cầu kỹ thuật tối thiểu của thiết bị:"])
    table(
        doc,
        [
            ["STT", "Tên thiết bị", "Cấu hình tối thiểu", "Số lượng", "Đơn vị tính"],
            ["1", "Máy chủ", "CPU 16 nhân, RAM 64GB, ổ cứng SSD 2TB, nguồn dự phòng", "2", "Bộ"],
            ["2", "Màn hình tương tác", "Kích thước 75 inch, cảm ứng 20 điểm, độ phân giải 4K", "30", "Cái"],
            [
                "3",
                "Camera hội nghị",
                "Độ phân giải Full HD, góc quay 120 độ, micro khử tiếng ồn",
                "30",
                "Cái",
            ],
        ],
    )
    doc.add_paragraph("2. Yêu cầu về an toàn thông tin:")
    table(doc, [["STT", "Yêu cầu", "Mức độ"],
                ["1", "Hệ thống được phân loại và phê duyệt cấp độ an toàn thông tin", "Bắt buộc"],
                ["2", "Sao lưu dữ liệu định kỳ ra thiết bị lưu trữ độc lập", "Khuyến nghị"]])
    doc.add_paragraph("3. Phân công nhiệm vụ (Phụ lục kèm theo)")
    tasks = [
        T("1", [], "Khảo sát hiện trạng phòng học trực tuyến tại các trường trung học phổ thông",
          "Tháng 10/2025", "2025-10-01", "2025-10-31", lead=["Văn phòng Sở"], coop=[],
          product="Báo cáo khảo sát"),
        T("2", [], "Lắp đặt thiết bị và kết nối đường truyền cho phòng học trực tuyến",
          "Quý IV/2025 và quý I/2026", "2025-10-01", "2026-03-31",
          targets=[(">=", 30, None, "phòng học trực tuyến")], lead=["Phòng Kế hoạch - Tài chính"],
          product="30 phòng học trực tuyến"),
        T("3", [], "Tập huấn giáo viên sử dụng thiết bị dạy học trực tuyến", "Trước ngày 15/01/2026", None,
          "2026-01-15", targets=[(">=", 600, None, "giáo viên được tập huấn")],
          lead=["Phòng Giáo dục trung học"], product="Không ít hơn 600 giáo viên được tập huấn"),
        T("4", [], "Kiểm tra, đánh giá hiệu quả sử dụng phòng học trực tuyến", "Học kỳ II năm học 2025-2026",
          "2026-01-19", "2026-05-31", lead=["Phòng Quản lý chất lượng"], product="Báo cáo đánh giá"),
    ]
    rows = [
        [
            "STT",
            "Nội dung công việc",
            "Kết quả/sản phẩm cần đạt",
            "Thời gian thực hiện",
            "Đơn vị thực hiện",
            "Ghi chú",
        ]
    ]
    rows += [[t["ref"] + ".", t["content"], t["_product"], t["time_text"], t["lead"][0], ""] for t in tasks]
    table(doc, rows)
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- d04: nested numbering I / 1 / 1.1 / a) / -, a parent row with its own deadline --------------
def d04():
    name = "d04_danh_so_long_nhau"
    doc = doc_with(["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "PHỤ LỤC", "Nhiệm vụ trọng tâm về thống kê giáo dục năm học "
                    "2025-2026"])
    gI, g1, g11 = "Công tác thống kê", "Thống kê định kỳ", "Báo cáo đầu năm học"
    gII, g2 = "Cơ sở dữ liệu ngành", "Cập nhật dữ liệu"
    tasks = [
        T("a", [gI, g1, g11], "Thu thập số liệu thống kê đầu năm của các cơ sở giáo dục", "15/10/2025", None,
          "2025-10-15", lead=["Văn phòng Sở"], coop=["CSGD"], product="Số liệu đầu năm"),
        T("b", [gI, g1, g11], "Tổng hợp, kiểm tra và gửi báo cáo thống kê đầu năm về Bộ", "31/10/2025", None,
          "2025-10-31", lead=["Văn phòng Sở"], coop=[], product="Báo cáo thống kê đầu năm"),
        T("1.2", [gI, g1], "Báo cáo thống kê cuối năm học", "Tháng 6/2026", "2026-06-01", "2026-06-30",
          lead=["Văn phòng Sở"], coop=["Các phòng"], product="Báo cáo cuối năm"),
        T("2", [gI], "Tập huấn nghiệp vụ thống kê cho cán bộ phụ trách", "Quý IV/2025", "2025-10-01",
          "2025-12-31", targets=[(">=", 1, None, "lớp tập huấn")], lead=["Văn phòng Sở"], coop=["CSGD"],
          product="01 lớp tập huấn"),
        T("3", [gII, g2], "Cập nhật dữ liệu học sinh trên cơ sở dữ liệu ngành", "Thường xuyên", None, None,
          "ongoing", targets=[(">=", 100, None, "%")], lead=["Phòng Giáo dục trung học"], coop=["CSGD"],
          product="100% hồ sơ học sinh"),
        T("4", [gII, g2], "Cập nhật dữ liệu đội ngũ giáo viên", "Thường xuyên", None, None, "ongoing",
          lead=["Phòng Tổ chức cán bộ"], coop=["CSGD"], product="Dữ liệu đội ngũ đầy đủ"),
    ]
    rows = [["TT", "Nội dung", "Sản phẩm", "Thời gian", "Đơn vị chủ trì", "Đơn vị phối hợp"],
            ["I", gI, "", "", "", ""],
            ["1", g1, "", "Năm học 2025-2026", "Văn phòng Sở", ""],
            ["1.1", g11, "", "Tháng 10/2025", "Văn phòng Sở", "CSGD"]]
    rows += [[t["ref"] + ")", t["content"], t["_product"], t["time_text"], ", ".join(t["lead"]),
              ", ".join(t["cooperating"])] for t in tasks[:2]]
    rows += [[t["ref"], t["content"], t["_product"], t["time_text"], ", ".join(t["lead"]),
              ", ".join(t["cooperating"])] for t in tasks[2:4]]
    rows += [["II", gII, "", "", "", ""], ["", g2, "", "", "", ""]]
    rows += [[t["ref"], t["content"], t["_product"], t["time_text"], ", ".join(t["lead"]),
              ", ".join(t["cooperating"])] for t in tasks[4:]]
    table(doc, rows, merges=[(1, 1, 1, 5), (8, 1, 8, 5), (9, 1, 9, 5)])
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- d05: one appendix split over tables, repeated headers, a continuation table ---------------------
def d05():
    name = "d05_bang_tach_trang"
    doc = doc_with(["ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                    "Đà Nẵng, ngày 02 tháng 02 năm 2026", "PHỤ LỤC", "Danh mục nhiệm vụ năm 2026"])
    header = ["STT", "Nội dung nhiệm vụ", "Sản phẩm", "Thời hạn", "Chủ trì", "Phối hợp"]
    g1, g2 = "Dạy học ngoại ngữ", "Giáo dục STEM"
    tasks = [
        T("1", [g1], "Tổ chức kỳ thi học sinh giỏi tiếng Anh cấp thành phố", "Tháng 3/2026", "2026-03-01",
          "2026-03-31", lead=["Phòng Giáo dục trung học"], coop=["Các trường"], product="Kết quả kỳ thi"),
        T("2", [g1], "Bồi dưỡng năng lực ngoại ngữ cho giáo viên tiếng Anh đạt chuẩn B2, C1",
          "Quý II/2026", "2026-04-01", "2026-06-30", targets=[(">=", 70, None, "%")],
          lead=["Phòng Tổ chức cán bộ"], coop=["Phòng Giáo dục trung học"],
          product="Tối thiểu 70% giáo viên đạt chuẩn"),
        T("3", [g2], "Xây dựng mô hình trường học STEM tại các trường trung học phổ thông", "Năm 2026",
          "2026-01-01", "2026-12-31", targets=[("between", 3, 5, "trường thí điểm")],
          lead=["Phòng Giáo dục trung học"], coop=["Các trường"], product="3-5 trường thí điểm"),
        T("4", [g2], "Tổ chức ngày hội STEM cấp thành phố cho học sinh", "Tháng 11/2026", "2026-11-01",
          "2026-11-30", lead=["Phòng Giáo dục trung học"], coop=["Văn phòng Sở"], product="Ngày hội STEM"),
        T("5", [g2], "Sơ kết, đánh giá việc triển khai giáo dục STEM", "Trước ngày 20/12/2026", None,
          "2026-12-20", lead=["Văn phòng Sở"], coop=["Các phòng"], product="Báo cáo sơ kết"),
    ]

    def row(t):
        return [
            t["ref"],
            t["content"],
            t["_product"],
            t["time_text"],
            t["lead"][0],
            ", ".join(t["cooperating"]),
        ]

    first = row(tasks[1])
    first[1] = "Bồi dưỡng năng lực ngoại ngữ cho giáo viên tiếng Anh"
    rest = ["", "đạt chuẩn B2, C1", "", "", "", ""]
    table(doc, [header, ["", g1, "", "", "", ""], row(tasks[0]), first])
    doc.add_page_break()
    table(doc, [header, rest, ["", g2, "", "", "", ""], row(tasks[2])])
    table(doc, [row(tasks[3]), row(tasks[4])])
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- d06: times counted from the issue date ---------------------------------------------------------
def d06():
    name = "d06_thoi_han_tinh_tu_ngay_ky"
    doc = doc_with(["BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 120/KH-BGDĐT", "Hà Nội, ngày 15 tháng 01 năm 2026",
                    "KẾ HOẠCH", "Triển khai chuyển đổi số trong giáo dục nghề nghiệp năm 2026"])
    tasks = [
        T("1", [], "Ban hành hướng dẫn triển khai kế hoạch tới các Sở Giáo dục và Đào tạo",
          "trong 30 ngày", None, "2026-02-14", lead=["Cục Khoa học, Công nghệ và Thông tin"], coop=[],
          product="Văn bản hướng dẫn"),
        T("2", [], "Xây dựng bộ tiêu chí đánh giá chuyển đổi số cơ sở giáo dục nghề nghiệp",
          "60 ngày kể từ ngày ký", None, "2026-03-16", lead=["Cục Khoa học, Công nghệ và Thông tin"],
          coop=["Vụ Giáo dục nghề nghiệp"], product="Bộ tiêu chí"),
        T("3", [], "Theo dõi, đôn đốc việc thực hiện kế hoạch", "Kể từ khi Kế hoạch có hiệu lực",
          "2026-01-15", None, "ongoing", lead=["Văn phòng Bộ"], coop=["Các Sở Giáo dục và Đào tạo"],
          product="Báo cáo định kỳ"),
        T("4", [], "Tổng kết, đánh giá kết quả thực hiện kế hoạch", "Tháng 12/2026", "2026-12-01",
          "2026-12-31", lead=["Văn phòng Bộ"], coop=["Cục Khoa học, Công nghệ và Thông tin"],
          product="Báo cáo tổng kết"),
    ]
    rows = [["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"]]
    rows += [
        [t["ref"], t["content"], t["lead"][0], "; ".join(t["cooperating"]), t["time_text"], t["_product"]]
        for t in tasks
    ]
    table(doc, rows)
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- d07: "STT" over "TT | Chi tiết", "Bộ phận tham mưu", extras -------------------------------------
def d07():
    name = "d07_stt_hai_cot_bo_phan_tham_muu"
    doc = doc_with(["ỦY BAN NHÂN DÂN TỈNH BẮC NINH", "PHỤ LỤC",
                    "Phân công thực hiện Chương trình hành động năm 2026"])
    g1, g2 = "Cải cách hành chính", "Phát triển đội ngũ"
    tasks = [
        T(
            "a",
            [g1],
            "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực giáo dục",
            "Quý II/2026",
            "2026-04-01",
            "2026-06-30",
            lead=["Văn phòng Sở"],
            coop=["Sở Tư pháp"],
            product="Danh mục thủ tục",
        ),
        T(
            "b",
            [g1],
            "Cung cấp dịch vụ công trực tuyến toàn trình",
            "Quý III/2026",
            "2026-07-01",
            "2026-09-30",
            targets=[(">=", 80, None, "%")],
            lead=["Văn phòng Sở"],
            coop=["Sở Khoa học và Công nghệ"],
            product="Trên 80% hồ sơ trực tuyến".replace("Trên", "Tối thiểu"),
        ),
        T(
            "a",
            [g2],
            "Tuyển dụng giáo viên còn thiếu theo định mức",
            "Năm 2026",
            "2026-01-01",
            "2026-12-31",
            lead=["Phòng Tổ chức cán bộ"],
            coop=["Sở Nội vụ"],
            product="Kết quả tuyển dụng",
        ),
        T(
            "b",
            [g2],
            "Bồi dưỡng cán bộ quản lý theo chuẩn hiệu trưởng",
            "Tháng 7-8/2026",
            "2026-07-01",
            "2026-08-31",
            targets=[(">=", 120, None, "cán bộ quản lý")],
            lead=["Phòng Tổ chức cán bộ"],
            coop=["Sở Tài chính"],
            product="120 cán bộ quản lý",
        ),
    ]
    head1 = ["STT", "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Bộ phận tham mưu", "Cơ quan phối hợp", "Thời hạn",
             "Kết quả/sản phẩm", "Kinh phí (triệu đồng)", "Người đầu mối"]
    head2 = ["TT", "Chi tiết"] + head1[2:]
    rows = [head1, head2, ["1", "", g1, "", "", "", "", "", "", ""]]
    for t in tasks[:2]:
        rows.append(["", t["ref"], t["content"], "Sở Giáo dục và Đào tạo", t["lead"][0], t["cooperating"][0],
                     t["time_text"], t["_product"], "150", "Ông Nguyễn Văn An"])
    rows.append(["2", "", g2, "", "", "", "", "", "", ""])
    for t in tasks[2:]:
        coop = t["cooperating"][0] + (" (thẩm định)" if t["cooperating"][0] == "Sở Tài chính" else "")
        rows.append(["", t["ref"], t["content"], "Sở Giáo dục và Đào tạo", t["lead"][0], coop,
                     t["time_text"], t["_product"], "", "Bà Trần Thị Bình"])
    merges = [(0, 0, 0, 1)] + [(0, c, 1, c) for c in range(2, 10)]
    table(doc, rows, merges=merges)
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- d08: a CSV export with targets and numbers that are not targets ---------------------------------
def d08():
    name = "d08_csv_chi_tieu"
    tasks = [
        T(
            "1",
            [],
            "Duy trì tỷ lệ học sinh đi học đúng độ tuổi cấp tiểu học",
            "Năm học 2025-2026",
            "2025-09-05",
            "2026-05-31",
            targets=[(">=", 99.5, None, "%")],
            lead=["Phòng Giáo dục phổ thông"],
            coop=["UBND các xã, phường, đặc khu"],
            product="≥ 99,5% trẻ 6 tuổi vào lớp 1",
        ),
        T(
            "2",
            [],
            "Bảo đảm sĩ số học sinh trên lớp theo quy định",
            "Năm học 2025-2026",
            "2025-09-05",
            "2026-05-31",
            targets=[("<=", 45, None, "học sinh/lớp")],
            lead=["Phòng Giáo dục phổ thông"],
            coop=["Các trường"],
            product="Không quá 45 học sinh/lớp",
        ),
        T(
            "3",
            [],
            "Kiện toàn Tổ công tác 389 của ngành và kiểm tra liên ngành",
            "Quý I/2026",
            "2026-01-01",
            "2026-03-31",
            lead=["Thanh tra Sở"],
            coop=["Công an tỉnh"],
            product="Quyết định kiện toàn Tổ công tác 389",
        ),
        T(
            "4",
            [],
            "Thẩm định các dự án đầu tư xây dựng trường học",
            "Quý II/2026",
            "2026-04-01",
            "2026-06-30",
            lead=["Phòng Kế hoạch - Tài chính"],
            coop=["Sở Tài chính", "Sở Xây dựng"],
            product="Hồ sơ thẩm định dự án trên 5 tỷ đồng",
        ),
        T(
            "5",
            [],
            "Xây dựng trường đạt chuẩn quốc gia giai đoạn 2021-2025",
            "Hết năm 2026",
            None,
            "2026-12-31",
            targets=[(">=", 12, None, "trường đạt chuẩn quốc gia")],
            lead=["Phòng Kế hoạch - Tài chính"],
            coop=["UBND các xã, phường, đặc khu"],
            product="Không ít hơn 12 trường đạt chuẩn quốc gia",
        ),
        T(
            "6",
            [],
            "Tổ chức diễn tập ứng cứu sự cố an toàn thông tin",
            "Tháng 9/2026",
            "2026-09-01",
            "2026-09-30",
            targets=[(">=", 2, None, "cuộc diễn tập")],
            lead=["Văn phòng Sở"],
            coop=["Công an tỉnh"],
            product="≥02 cuộc diễn tập; báo cáo kết quả",
        ),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Số TT", "Mục tiêu", "Chỉ tiêu", "Tiến độ", "Chủ trì", "Phối hợp"])
    for t in tasks:
        writer.writerow([t["ref"], t["content"], t["_product"], t["time_text"], t["lead"][0],
                         ", ".join(t["cooperating"])])
    (HERE / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")
    save_expected(name, name + ".csv", tasks)


# --- h01 (held out): group titles as the bold first line of the task cell ---------------------------
def h01():
    name = "h01_nhom_dong_dau_in_dam"
    doc = doc_with(["SỞ GIÁO DỤC VÀ ĐÀO TẠO TÂY NINH", "Tây Ninh, ngày 05 tháng 9 năm 2025", "PHỤ LỤC",
                    "Nhiệm vụ ứng dụng công nghệ thông tin năm học 2025-2026"])
    g1, g2 = "Hạ tầng công nghệ thông tin", "Ứng dụng trong dạy và học"
    tasks = [
        T(
            "1",
            [g1],
            "Nâng cấp đường truyền Internet cáp quang cho các trường",
            "Quý IV/2025",
            "2025-10-01",
            "2025-12-31",
            targets=[(">=", 100, None, "%")],
            lead=["Phòng Kế hoạch - Tài chính"],
            coop=["CSGD"],
            product="100% trường có cáp quang",
        ),
        T(
            "2",
            [g1],
            "Trang bị máy tính phục vụ dạy học tin học",
            "Năm 2026",
            "2026-01-01",
            "2026-12-31",
            targets=[("<=", 2, None, "học sinh/máy")],
            lead=["Phòng Kế hoạch - Tài chính"],
            coop=["CSGD"],
            product="Tối đa 2 học sinh/máy",
        ),
        T(
            "3",
            [g2],
            "Xây dựng kho học liệu số dùng chung của ngành",
            "Học kỳ I năm học 2025-2026",
            "2025-09-05",
            "2026-01-18",
            targets=[(">=", 500, None, "học liệu số")],
            lead=["Phòng Giáo dục trung học"],
            coop=["Các trường"],
            product="Ít nhất 500 học liệu số",
        ),
        T(
            "4",
            [g2],
            "Thí điểm lớp học thông minh",
            "Năm học 2025-2026",
            "2025-09-05",
            "2026-05-31",
            lead=["Phòng Giáo dục trung học"],
            coop=["Cơ sở thí điểm"],
            product="Báo cáo kết quả thí điểm",
        ),
    ]
    rows = [["STT", "Nội dung nhiệm vụ", "Sản phẩm", "Thời hạn", "Đơn vị chủ trì", "Đơn vị phối hợp"],
            ["I", g1 + "\nGồm các nhiệm vụ bảo đảm đường truyền và thiết bị", "", "", "", ""]]
    rows += [[t["ref"], t["content"], t["_product"], t["time_text"], t["lead"][0], t["cooperating"][0]]
             for t in tasks[:2]]
    rows += [["II", g2 + "\nTriển khai trong toàn ngành", "", "", "", ""]]
    rows += [[t["ref"], t["content"], t["_product"], t["time_text"], t["lead"][0], t["cooperating"][0]]
             for t in tasks[2:]]
    table(doc, rows, bold_rows=(0, 1, 4))
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- h02 (held out): Excel with a duration column and a time column named by its contents -------------
def h02():
    name = "h02_excel_so_ngay_thuc_hien"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws.append(["SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI DƯƠNG", None, None, None, None, None])
    ws.append(["Hải Dương, ngày 10 tháng 02 năm 2026", None, None, None, None, None])
    ws.append(["PHỤ LỤC NHIỆM VỤ TRIỂN KHAI ĐỀ ÁN 06", None, None, None, None, None])
    ws.append(["STT", "Nội dung công việc", "Thời gian thực hiện (ngày)", "Đơn vị chủ trì", "Đơn vị phối hợp",
               "Ghi chú"])
    rows = [
        (1, "Rà soát dữ liệu định danh học sinh với cơ sở dữ liệu quốc gia về dân cư", 30, "Văn phòng Sở",
         "Công an tỉnh", "2026-03-12"),
        (2, "Cấp tài khoản định danh điện tử cho giáo viên", 45, "Phòng Tổ chức cán bộ", "Công an tỉnh",
         "2026-03-27"),
        (3, "Thanh toán không dùng tiền mặt học phí tại các trường", 90, "Phòng Kế hoạch - Tài chính",
         "Các trường", "2026-05-11"),
    ]
    for ref, content, days, lead, coop, _due in rows:
        ws.append([ref, content, days, lead, coop, None])
    save_xlsx(wb, name)
    tasks = [T(str(ref), [], content, str(days), None, due, lead=[lead], coop=[coop])
             for ref, content, days, lead, coop, due in rows]
    save_expected(name, name + ".xlsx", tasks)


# --- h03 (held out): several sheets, merged group rows, compound periods -----------------------------
def h03():
    name = "h03_nhieu_trang_tinh"
    wb = openpyxl.Workbook()
    eq = wb.active
    eq.title = "Thiết bị"
    eq.append(["STT", "Tên thiết bị", "Số lượng", "Đơn vị tính", "Ghi chú"])
    eq.append([1, "Máy chiếu", 40, "Cái", "Thay thế máy cũ"])
    eq.append([2, "Bộ thiết bị STEM", 15, "Bộ", None])
    ws = wb.create_sheet("Kế hoạch")
    ws.append(["KẾ HOẠCH CHUYỂN ĐỔI SỐ NĂM 2026", None, None, None, None, None])
    ws.append(["TT", "Nhiệm vụ", "Sản phẩm/Chỉ tiêu", "Thời gian", "Đơn vị chủ trì", "Đơn vị phối hợp"])
    g1, g2 = "A. QUẢN TRỊ SỐ", "B. DẠY HỌC SỐ"
    tasks = [
        T(
            "1",
            ["QUẢN TRỊ SỐ"],
            "Triển khai phần mềm quản lý văn bản và hồ sơ công việc",
            "Quý II/2026 (bước 1); Quý IV/2026 (bước 2)",
            "2026-04-01",
            "2026-12-31",
            targets=[(">=", 100, None, "%")],
            lead=["Văn phòng Sở"],
            coop=["Các phòng"],
            product="100% văn bản được xử lý trên môi trường mạng",
        ),
        T(
            "2",
            ["QUẢN TRỊ SỐ"],
            "Ký số văn bản đi của các trường",
            "Tháng 3-4/2026",
            "2026-03-01",
            "2026-04-30",
            lead=["Văn phòng Sở"],
            coop=["Các trường"],
            product="Văn bản được ký số",
        ),
        T(
            "3",
            ["DẠY HỌC SỐ"],
            "Tổ chức thi giáo viên dạy giỏi ứng dụng công nghệ",
            "Học kỳ II năm học 2025-2026",
            "2026-01-19",
            "2026-05-31",
            lead=["Phòng Giáo dục phổ thông"],
            coop=["Các trường"],
            product="Kết quả hội thi",
        ),
    ]
    ws.append([g1, None, None, None, None, None])
    ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
    for t in tasks[:2]:
        ws.append(
            [int(t["ref"]), t["content"], t["_product"], t["time_text"], t["lead"][0], t["cooperating"][0]]
        )
    ws.append([g2, None, None, None, None, None])
    ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
    for t in tasks[2:]:
        ws.append(
            [int(t["ref"]), t["content"], t["_product"], t["time_text"], t["lead"][0], t["cooperating"][0]]
        )
    save_xlsx(wb, name)
    save_expected(name, name + ".xlsx", tasks)


# --- h04 (held out): "Đơn vị" over "Chủ trì | Phối hợp", roles, per-task choices ----------------------
def h04():
    name = "h04_don_vi_hai_dong_vai_tro"
    doc = doc_with(
        [
            "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
            "Lào Cai, ngày 20 tháng 3 năm 2026",
            "PHỤ LỤC",
            "Nhiệm vụ phát triển giáo dục vùng khó khăn năm 2026",
        ]
    )
    tasks = [
        T(
            "1",
            [],
            "Sáp nhập các điểm trường lẻ theo quy hoạch mạng lưới",
            "Quý III/2026",
            "2026-07-01",
            "2026-09-30",
            lead=["Phòng Kế hoạch - Tài chính"],
            coop=["Sở Tài chính", "UBND các xã, phường, đặc khu"],
            product="Phương án sáp nhập",
        ),
        T(
            "2",
            [],
            "Hỗ trợ bữa ăn trưa cho học sinh bán trú",
            "Hằng năm",
            None,
            None,
            "yearly",
            targets=[(">=", 100, None, "%")],
            lead=["Phòng Giáo dục phổ thông"],
            coop=["Sở Tài chính"],
            product="100% học sinh thuộc diện được hỗ trợ",
        ),
        T(
            "3",
            [],
            "Thí điểm dạy học song ngữ tiếng dân tộc và tiếng Việt",
            "Năm học 2025-2026",
            "2025-09-05",
            "2026-05-31",
            lead=["Phòng Giáo dục phổ thông"],
            coop=["các trường được chọn"],
            product="Báo cáo kết quả thí điểm",
        ),
    ]
    rows = [["STT", "Nội dung", "Sản phẩm", "Thời gian", "Đơn vị", "Đơn vị"],
            ["STT", "Nội dung", "Sản phẩm", "Thời gian", "Chủ trì", "Phối hợp"]]
    coops = ["Sở Tài chính (thẩm định), UBND các xã, phường, đặc khu", "Sở Tài chính (bố trí kinh phí)",
             "các trường được chọn"]
    for t, coop in zip(tasks, coops, strict=True):
        rows.append([t["ref"], t["content"], t["_product"], t["time_text"], t["lead"][0], coop])
    table(doc, rows, merges=[(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 0, 5)])
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- d09: a three-row header (title, header, sub-header) over a numbering row ------------------------
def d09():
    name = "d09_tieu_de_ba_dong"
    doc = doc_with(["SỞ GIÁO DỤC VÀ ĐÀO TẠO CẦN THƠ", "Cần Thơ, ngày 25 tháng 8 năm 2025", "PHỤ LỤC",
                    "Phân công nhiệm vụ năm học 2025-2026"])
    tasks = [
        T("1", [], "Xây dựng kế hoạch thời gian năm học của các cấp học", "Tháng 8/2025", "2025-08-01",
          "2025-08-31", lead=["Phòng Giáo dục phổ thông"], coop=["Phòng Giáo dục trung học"]),
        T("2", [], "Tổ chức lễ khai giảng năm học mới", "05/9/2025", None, "2025-09-05",
          lead=["Văn phòng Sở"], coop=["Các đơn vị trực thuộc"]),
        T("3", [], "Sơ kết học kỳ I", "Học kỳ I năm học 2025-2026", "2025-09-05", "2026-01-18",
          lead=["Văn phòng Sở"], coop=["Các phòng", "CSGD"]),
        T("4", [], "Tổng kết năm học và báo cáo Bộ", "Trước ngày 30/6/2026", None, "2026-06-30",
          lead=["Văn phòng Sở"], coop=["Các phòng"]),
    ]
    rows = [["PHÂN CÔNG NHIỆM VỤ"] * 5,
            ["STT", "Nội dung công việc", "Đơn vị thực hiện", "Đơn vị thực hiện", "Thời gian"],
            ["STT", "Nội dung công việc", "Chủ trì", "Phối hợp", "Thời gian"],
            ["(1)", "(2)", "(3)", "(4)", "(5)"]]
    rows += [
        [t["ref"], t["content"], t["lead"][0], ", ".join(t["cooperating"]), t["time_text"]] for t in tasks
    ]
    table(doc, rows, merges=[(0, 0, 0, 4), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, 3), (1, 4, 2, 4)])
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- d10: no number column; the groups are the bold first line of the task cell (with a description
# line, some with their own lead and time), the tasks below them unnumbered -------------------------
def d10():
    name = "d10_nhom_in_dam_khong_so"
    doc = doc_with(["SỞ GIÁO DỤC VÀ ĐÀO TẠO LÂM ĐỒNG", "Lâm Đồng, ngày 12 tháng 01 năm 2026", "PHỤ LỤC",
                    "Nhiệm vụ cải cách hành chính năm 2026"])
    g1, g2, g3 = ("Nhóm giải pháp về thể chế", "Nhóm giải pháp về chuyển đổi số",
                  "Nhóm giải pháp về kiểm tra, giám sát")
    tasks = [
        T("", [g1], "Rà soát quy chế làm việc của Sở", "Năm 2026", "2026-01-01", "2026-12-31",
          lead=["Văn phòng Sở"], coop=["Các phòng"]),
        T("", [g1], "Ban hành quy định phân cấp quản lý viên chức", "Quý II/2026", "2026-04-01", "2026-06-30",
          lead=["Phòng Tổ chức cán bộ"]),
        T("", [g2], "Triển khai phần mềm quản lý văn bản và điều hành", "Tháng 3/2026", "2026-03-01",
          "2026-03-31", lead=["Văn phòng Sở"], coop=["Các phòng"]),
        T("", [g2], "Số hoá hồ sơ lưu trữ của Sở", "Năm 2026", "2026-01-01", "2026-12-31",
          lead=["Văn phòng Sở"]),
        T("", [g3], "Kiểm tra việc thực hiện quy chế dân chủ ở các trường", "Quý IV/2026", "2026-10-01",
          "2026-12-31", lead=["Thanh tra Sở"], coop=["Các trường"]),
        T("", [g3], "Tổng hợp kết quả kiểm tra, báo cáo Giám đốc Sở", "Tháng 12/2026", "2026-12-01",
          "2026-12-31", lead=["Thanh tra Sở"]),
    ]

    def task_row(t, inherited=False):
        lead = "" if inherited else t["lead"][0]
        time = "" if inherited else t["time_text"]
        return [t["content"], lead, ", ".join(t["cooperating"]), time]

    rows = [["Nhiệm vụ, giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
            [g1 + "\nHoàn thiện các quy định nội bộ của ngành", "Văn phòng Sở", "", "Năm 2026"],
            task_row(tasks[0], inherited=True), task_row(tasks[1]),
            [g2 + "\nỨng dụng công nghệ trong quản lý, điều hành", "", "", ""],
            task_row(tasks[2]), task_row(tasks[3]),
            [g3, "", "", ""],
            task_row(tasks[4]), task_row(tasks[5])]
    table(doc, rows, bold_rows=(0, 1, 4, 7))
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- h05 (held out): a ministry appendix, several targets per cell, rows split over pages ------------
def h05():
    name = "h05_bo_nhieu_chi_tieu"
    doc = doc_with(["BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Hà Nội, ngày 23 tháng 9 năm 2025", "PHỤ LỤC",
                    "Chỉ tiêu ứng dụng công nghệ thông tin năm học 2025-2026"])
    g1, g2 = "Về chuyển đổi số trong quản lý", "Về chuyển đổi số trong dạy, học"
    tasks = [
        T("1", [g1], "Sử dụng hồ sơ điện tử trong các cơ sở giáo dục phổ thông", "Năm học 2025-2026",
          "2025-09-05", "2026-05-31", targets=[(">=", 90, None, "%"), (">=", 100, None, "%")],
          lead=["Các Sở Giáo dục và Đào tạo"], coop=["Cục Khoa học, Công nghệ và Thông tin"],
          product="Tối thiểu 90% cơ sở giáo dục dùng học bạ số; 100% sử dụng sổ điểm điện tử"),
        T("2", [g1], "Kết nối, chia sẻ dữ liệu giữa cơ sở dữ liệu ngành và cơ sở dữ liệu quốc gia về dân cư",
          "Quý IV/2025", "2025-10-01", "2025-12-31", lead=["Cục Khoa học, Công nghệ và Thông tin"],
          coop=["Bộ Công an"], product="Dữ liệu được kết nối"),
        T("3", [g2], "Xây dựng và chia sẻ học liệu số, bài giảng điện tử cho giáo viên", "Thường xuyên", None,
          None, "ongoing", targets=[(">=", 1000, None, "bài giảng điện tử")],
          lead=["Các Sở Giáo dục và Đào tạo"], coop=["Các trường"],
          product="Ít nhất 1.000 bài giảng điện tử"),
        T("4", [g2], "Tổ chức kiểm tra, đánh giá trên máy tính đối với một số môn học", "Học kỳ II năm học "
          "2025-2026", "2026-01-19", "2026-05-31", targets=[("between", 10, 20, "%")],
          lead=["Cục Quản lý chất lượng"], coop=["Các Sở Giáo dục và Đào tạo"],
          product="10-20% bài kiểm tra thực hiện trên máy tính"),
    ]
    header = [
        "TT",
        "Nhiệm vụ",
        "Chỉ tiêu/Sản phẩm",
        "Thời gian thực hiện",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
    ]

    def row(t):
        return [
            t["ref"],
            t["content"],
            t["_product"],
            t["time_text"],
            t["lead"][0],
            ", ".join(t["cooperating"]),
        ]

    split = row(tasks[1])
    split[1] = "Kết nối, chia sẻ dữ liệu giữa cơ sở dữ liệu ngành và"
    table(doc, [header, ["I", g1, "", "", "", ""], row(tasks[0]), split])
    doc.add_page_break()
    table(doc, [header, ["", "cơ sở dữ liệu quốc gia về dân cư", "", "", "", ""], ["II", g2, "", "", "", ""],
                row(tasks[2]), row(tasks[3])])
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


# --- h06 (held out): an Excel working copy with formulas, "Từ ngày | Đến ngày", Roman group rows ------
def h06():
    name = "h06_excel_cong_thuc"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Theo dõi"
    ws.append(["SỞ GIÁO DỤC VÀ ĐÀO TẠO THÁI NGUYÊN", None, None, None, None, None, None])
    ws.append(["BẢNG PHÂN CÔNG NHIỆM VỤ CÔNG TÁC THANH TRA NĂM 2026", None, None, None, None, None, None])
    ws.append(["TT", "Nội dung", "Thời gian", None, "Bộ phận chủ trì", "Bộ phận phối hợp", "Ghi chú nội bộ"])
    ws.append([None, None, "Từ ngày", "Đến ngày", None, None, None])
    for ref in ("A1:G1", "A2:G2", "A3:A4", "B3:B4", "C3:D3", "E3:E4", "F3:F4", "G3:G4"):
        ws.merge_cells(ref)
    d = dt.datetime
    g1, g2 = "Thanh tra hành chính", "Thanh tra chuyên ngành"
    tasks = [
        T(
            "1",
            [g1],
            "Thanh tra việc thực hiện chính sách đối với nhà giáo",
            "01/03/2026 - 30/04/2026",
            "2026-03-01",
            "2026-04-30",
            lead=["Thanh tra Sở"],
            coop=["Phòng Tổ chức cán bộ"],
        ),
        T(
            "2",
            [g1],
            "Thanh tra công tác tuyển sinh đầu cấp",
            "15/06/2026 - 31/07/2026",
            "2026-06-15",
            "2026-07-31",
            lead=["Thanh tra Sở"],
            coop=["Phòng Giáo dục phổ thông"],
        ),
        T(
            "3",
            [g2],
            "Kiểm tra việc thu, chi đầu năm học tại các trường",
            "01/09/2026 - 31/10/2026",
            "2026-09-01",
            "2026-10-31",
            lead=["Thanh tra Sở"],
            coop=["Phòng Kế hoạch - Tài chính"],
        ),
    ]
    spans = [
        (d(2026, 3, 1), d(2026, 4, 30)),
        (d(2026, 6, 15), d(2026, 7, 31)),
        (d(2026, 9, 1), d(2026, 10, 31)),
    ]
    formulas = []
    ws.append(["I", g1, None, None, None, None, None])
    ws.merge_cells(f"B{ws.max_row}:G{ws.max_row}")
    for i, (t, (start, end)) in enumerate(zip(tasks, spans, strict=True)):
        if i == 2:
            ws.append(["II", g2, None, None, None, None, None])
            ws.merge_cells(f"B{ws.max_row}:G{ws.max_row}")
        ws.append([None, t["content"], start, end, t["lead"][0], t["cooperating"][0], "Cập nhật hằng tháng"])
        r = ws.max_row
        ws.cell(r, 1).value = f"=COUNTA($B$6:B{r})-{0 if i < 2 else 1}"
        formulas.append((f"A{r}", t["ref"]))
        ws.cell(r, 3).number_format = "dd/mm/yyyy"
        ws.cell(r, 4).number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    wb.save(buffer)
    save_with_cached_values(buffer.getvalue(), formulas, HERE / f"{name}.xlsx")
    save_expected(name, name + ".xlsx", tasks)


# --- h07 (held out): numbered groups in bold with their own lead and deadline over unnumbered tasks;
# a task whose text opens with a bold lead-in word; a bold numbered task over its own bullets --------
def h07():
    name = "h07_nhom_so_in_dam_co_han"
    doc = doc_with(["UBND TỈNH QUẢNG TRỊ", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Quảng Trị, ngày 03 tháng 11 năm 2025",
                    "PHỤ LỤC", "Nhiệm vụ phát triển giáo dục mầm non năm học 2025-2026"])
    g1, g2 = "Nâng cao chất lượng chăm sóc, giáo dục trẻ", "Phát triển đội ngũ"
    tasks = [
        T("", [g1], "Tổ chức chuyên đề lấy trẻ làm trung tâm", "Học kỳ I năm học 2025-2026", "2025-09-05",
          "2026-01-18", lead=["Phòng Giáo dục phổ thông"], coop=["Các trường mầm non"]),
        T("", [g1], "Kiểm tra công tác bán trú tại các trường", "Tháng 12/2025", "2025-12-01", "2025-12-31",
          lead=["Thanh tra Sở"], coop=["Phòng Giáo dục phổ thông"]),
        T("", [g2], "Bồi dưỡng giáo viên cốt cán cấp tỉnh", "Tháng 7/2026", "2026-07-01", "2026-07-31",
          lead=["Phòng Tổ chức cán bộ"]),
        T("", [g2], "Lưu ý: rà soát định mức giáo viên theo nhóm, lớp trước tuyển dụng", "Tháng 5/2026",
          "2026-05-01", "2026-05-31", lead=["Phòng Tổ chức cán bộ"], coop=["Phòng Kế hoạch - Tài chính"]),
        T("3", [], "Tổng kết năm học - Báo cáo kết quả từng cấp học - Đề xuất nhiệm vụ năm học mới",
          "Trước ngày 30/6/2026", None, "2026-06-30", lead=["Văn phòng Sở"], coop=["Các phòng"]),
        T("4", [], "Tổ chức hội nghị tổng kết ngành", "Tháng 8/2026", "2026-08-01", "2026-08-31",
          lead=["Văn phòng Sở"]),
    ]
    rows = [["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn hoàn thành"],
            ["1", g1 + "\nBảo đảm an toàn tuyệt đối cho trẻ", "Phòng Giáo dục phổ thông", "",
             "Học kỳ I năm học 2025-2026"],
            ["", tasks[0]["content"], "", "Các trường mầm non", ""],
            ["", tasks[1]["content"], "Thanh tra Sở", "Phòng Giáo dục phổ thông", "Tháng 12/2025"],
            ["2", g2, "Phòng Tổ chức cán bộ", "", ""],
            ["", tasks[2]["content"], "", "", "Tháng 7/2026"],
            ["", tasks[3]["content"], "", "Phòng Kế hoạch - Tài chính", "Tháng 5/2026"],
            ["3", "Tổng kết năm học", "Văn phòng Sở", "Các phòng", "Trước ngày 30/6/2026"],
            ["", "- Báo cáo kết quả từng cấp học", "", "", ""],
            ["", "- Đề xuất nhiệm vụ năm học mới", "", "", ""],
            ["4", tasks[5]["content"], "Văn phòng Sở", "", "Tháng 8/2026"]]
    t = table(doc, rows, bold_rows=(0, 1, 4, 7))
    lead_in = t.cell(6, 1).paragraphs[0]  # "Lưu ý:" in bold, the rest of the line regular
    for run in list(lead_in.runs):
        run._element.getparent().remove(run._element)
    lead_in.add_run("Lưu ý:").bold = True
    lead_in.add_run(tasks[3]["content"].removeprefix("Lưu ý:"))
    save_docx(doc, name)
    save_expected(name, name + ".docx", tasks)


def save_with_cached_values(data: bytes, cached: list[tuple[str, str]], path: Path) -> None:
    """openpyxl writes formulas without results; Excel stores the last result beside each formula."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                xml = content.decode("utf-8")
                for ref, value in cached:
                    xml = re.sub(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
                                 rf"\1\2<v>{value}</v>", xml)
                content = xml.encode("utf-8")
            target.writestr(info, content)
    path.write_bytes(out.getvalue())


BUILDERS = (d01, d02, d03, d04, d05, d06, d07, d08, d09, d10, h01, h02, h03, h04, h05, h06, h07)

if __name__ == "__main__":
    for build in BUILDERS:
        build()
    print(f"{len(BUILDERS)} appendices written to {HERE}")
