"""Benchmark of parse_plan: the Hải Phòng fixture and generated 500-row .docx/.xlsx appendices."""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.importers import parse_plan  # noqa: E402

FIXTURE = ROOT / "tests" / "data" / "haiphong_phuluc_2025-2026.docx"
HEADER = ["STT", "Nhóm nhiệm vụ", "Nội dung công việc", "Sản phẩm/Chỉ tiêu", "Thời gian", "Đơn vị chủ trì",
          "Đơn vị phối hợp"]
TIMES = ["Quý IV/2025", "Thường xuyên", "10/2025", "11-12/2025", "Quý IV/2025 và quý I/2026",
         "trước ngày 15/11/2025", "Học kỳ I năm học 2025-2026", "6 tháng đầu năm 2026"]
PRODUCTS = ["≥98,5% bản ghi xác thực đúng; báo cáo đối soát", "Kế hoạch triển khai", "3-5 trường thí điểm",
            "100% đơn vị dùng eOffice, chữ ký số", "≥02 cuộc diễn tập; báo cáo ATTT"]
LEADS = ["Văn phòng Sở", "Phòng QLCL", "Phòng TCCB", "Phòng chuyên môn", "Phòng KHTC"]
COOPERATING = ["Các phòng, CSGD", "Công an TP, CSGD", "UBND xã, CSGD", "Sở KH&CN", "Các đơn vị"]


def _rows(count: int) -> list[list[str]]:
    rows = []
    for i in range(count):
        rows.append(
            [
                f"{i + 1}.",
                f"Nhóm {i // 25 + 1}",
                f"Nội dung công việc số {i + 1}: triển khai chuyển đổi số, cập nhật cơ sở dữ liệu ngành "
                "và báo cáo "
                f"kết quả thực hiện về Sở GDĐT (qua Văn phòng Sở để tổng hợp)",
                PRODUCTS[i % len(PRODUCTS)],
                TIMES[i % len(TIMES)],
                LEADS[i % len(LEADS)],
                COOPERATING[i % len(COOPERATING)],
            ]
        )
    return rows


def generated_docx(count: int = 500) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Thực hiện nhiệm vụ chuyển đổi số năm học 2025-2026")
    rows = [HEADER, *_rows(count)]
    table = doc.add_table(rows=len(rows), cols=len(HEADER))
    for r, row in enumerate(rows):
        cells = table.rows[r].cells
        for c, text in enumerate(row):
            cells[c].text = text
    for top in range(1, len(rows), 25):  # vertically merged Nhóm cells, 25 rows each
        bottom = min(top + 24, len(rows) - 1)
        text = rows[top][1]
        table.cell(top, 1).merge(table.cell(bottom, 1)).text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def generated_xlsx(count: int = 500) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["KẾ HOẠCH"])
    sheet.append(["Thực hiện nhiệm vụ chuyển đổi số năm học 2025-2026"])
    sheet.append(HEADER)
    for row in _rows(count):
        sheet.append(row)
    for top in range(4, count + 4, 25):
        sheet.merge_cells(start_row=top, start_column=2, end_row=min(top + 24, count + 3), end_column=2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measure(name: str, data: bytes, filename: str, runs: int) -> None:
    parse_plan(data, filename)  # warm up: regex compilation, imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        plan = parse_plan(data, filename)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    parse_plan(data, filename)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{name:<24} {len(data) / 1024:8.1f} KB {len(plan.tasks):5d} tasks  "
          f"median {statistics.median(times) * 1000:8.1f} ms  peak {peak / 1024 / 1024:6.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11, help="timed runs per input (median shown)")
    args = parser.parse_args()
    measure("fixture (25 rows, docx)", FIXTURE.read_bytes(), FIXTURE.name, args.runs)
    measure("generated 500 rows docx", generated_docx(), "phuluc500.docx", args.runs)
    measure("generated 500 rows xlsx", generated_xlsx(), "phuluc500.xlsx", args.runs)
    # tracemalloc sees Python objects only; libxml2 (lxml) memory shows in the process's max RSS.
    try:
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process max RSS (includes building the inputs): {rss:.0f} MB")
    except ImportError:  # pragma: no cover - not on Windows
        pass


if __name__ == "__main__":
    main()
