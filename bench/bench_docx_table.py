"""Time docx_admin.data_table on a province-scale unit table (1.700 rows × 6 columns, a group row
every 100) and the document's save; prints the figures (no assertion: timings vary by machine)."""
from __future__ import annotations

import argparse
import time

from app.exporters import docx_admin


def _rows(count: int) -> list:
    rows: list = []
    for number in range(1, count + 1):
        if number % 100 == 1:
            rows.append(("group", docx_admin.roman(number // 100 + 1), f"Nhóm đơn vị {number // 100 + 1}"))
        rows.append([str(number), f"Trường THCS Nguyễn Văn Trỗi số {number} & <Cụm> 1295/KH-SGDĐT",
                     "12", "9", "75,0%", "01/10/2025-31/12/2025"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1700)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    headers = ["TT", "Đơn vị", "Số nhiệm vụ", "Hoàn thành", "Tỷ lệ", "Thời gian"]
    rows = _rows(args.rows)
    for fitted in (False, True):
        widths = None if fitted else [12, 90, 25, 25, 20, 45]
        best_table = best_save = float("inf")
        for _ in range(args.repeat):
            document = docx_admin.new_document(landscape=True)
            start = time.process_time()
            docx_admin.data_table(document, headers, widths, rows, size=11, keep_columns=(5,))
            middle = time.process_time()
            docx_admin.to_bytes(document)
            end = time.process_time()
            best_table, best_save = min(best_table, middle - start), min(best_save, end - middle)
        label = "widths from content" if fitted else "given widths"
        print(f"data_table {len(rows)} rows × {len(headers)} columns ({label}): "
              f"table {best_table:.3f} s CPU, save {best_save:.3f} s CPU (best of {args.repeat})")


if __name__ == "__main__":
    main()
