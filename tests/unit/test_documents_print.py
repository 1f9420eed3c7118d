"""Every document as a user sees it: converted to PDF by LibreOffice, then read back with pdftotext.

Checks the page size and count, the page number "2" at the top of page 2 (none on page 1), the
signer in the right half of the page, and that no table cell's text is split inside a token
("15/01/202 6", "VI / I", "KH‑ / SGDĐT"): every token of every cell must come out of the PDF whole.
"""
import html
import io
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass

import pytest
from docx import Document

from app.exporters.evaluation_docx import Evaluation, EvaluationGroup, EvaluationRow, evaluation_docx
from app.exporters.matrix_docx import export_matrix_docx
from app.exporters.overdue_docx import overdue_docx
from app.exporters.report_docx import TONG_KET, report_docx
from tests.unit.test_exporters_docs import HEAD, overdue_sample, report_sample
from tests.unit.test_matrix_exporters import sample as matrix_sample

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: PDF checks skipped"),
    pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (apt-get install poppler-utils) is missing"),
]
A4_LONG, A4_SHORT = 841.9, 595.3


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]


def evaluation_sample() -> Evaluation:
    """Eight groups (up to "VIII"), dates and refs in narrow columns, long contents."""
    groups = []
    for g in range(8):
        rows = [EvaluationRow(f"{g + 1}.{i + 1}", "Triển khai ứng dụng chuyển đổi số trong quản lý giáo dục, "
                              "kết nối dữ liệu với Cơ sở dữ liệu ngành theo Công văn số 5835/BGDĐT-KHCNTT",
                              "Phòng Kế hoạch - Tài chính", "Các trường THPT; UBND xã, phường",
                              "15/01/2026", "Đã triển khai 98,5% đơn vị", "Hoàn thành", "1295/KH-SGDĐT")
                for i in range(3)]
        groups.append(EvaluationGroup(f"Nhóm nhiệm vụ số {g + 1}", rows))
    return Evaluation(title="Đánh giá tình hình thực hiện các nhiệm vụ năm học 2025-2026", groups=groups,
                      letterhead=HEAD, intro="Kế hoạch số 1295/KH-SGDĐT đặt ra 24 nhiệm vụ.")


def documents() -> dict[str, bytes]:
    tong_ket = report_sample()
    tong_ket.period, tong_ket.kind = TONG_KET, "Tổng kết năm học 2025-2026"
    return {
        "evaluation": evaluation_docx(evaluation_sample()),
        "report": report_docx(report_sample()),
        "tong_ket": report_docx(tong_ket),
        "overdue": overdue_docx(overdue_sample()),
        "matrix": export_matrix_docx(matrix_sample(units=30, tasks=25)),
        "matrix_rows": export_matrix_docx(matrix_sample(units=60, tasks=25)),
    }


def _pages(bbox_html: str) -> list[Page]:
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox_html, re.S):
        words = [Word(html.unescape(m[5]), float(m[1]), float(m[2]), float(m[3])) for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', match[3])]
        pages.append(Page(float(match[1]), float(match[2]), words))
    return pages


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[bytes, list[Page]]]:
    """All documents converted by one LibreOffice run (its start-up dominates)."""
    folder = tmp_path_factory.mktemp("print")
    data = documents()
    for name, content in data.items():
        (folder / f"{name}.docx").write_bytes(content)
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *[str(folder / f"{name}.docx") for name in data]],
                   check=True, capture_output=True, timeout=300)
    out = {}
    for name, content in data.items():
        pdf = folder / f"{name}.pdf"
        assert pdf.exists(), f"LibreOffice wrote no PDF for {name}"
        text = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True,
                              timeout=60).stdout.decode("utf-8")
        out[name] = (content, _pages(text))
    return out


PAGES = {"evaluation": (2, 6, True), "report": (3, 8, False), "tong_ket": (3, 8, False),
         "overdue": (1, 3, True), "matrix": (2, 6, True), "matrix_rows": (2, 8, True)}


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_are_a4_and_numbered_from_page_2(rendered, name):
    _content, pages = rendered[name]
    least, most, landscape = PAGES[name]
    assert least <= len(pages) <= most, len(pages)
    first = pages[0]
    expected = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    assert abs(first.width - expected[0]) < 2 and abs(first.height - expected[1]) < 2
    if name in ("report", "tong_ket"):  # portrait report, landscape appendix
        assert pages[-1].width > pages[-1].height
    top = 15 / 25.4 * 72  # above the 20 mm top margin: the header (10 mm) holds the page number
    for number, page in enumerate(pages, 1):
        numbers = [w for w in page.words if w.y0 < top and w.text.isdigit()]
        if number == 1:
            assert not numbers, "no page number on page 1"
            continue
        assert [w.text for w in numbers] == [str(number)], f"page {number}"
        centre = (numbers[0].x0 + numbers[0].x1) / 2
        text_centre = (30 + page.width / 72 * 25.4 - 15) / 2 / 25.4 * 72  # margins 30 and 15 mm
        assert abs(centre - text_centre) < 5, "the number is centred over the text"


@pytest.mark.parametrize("name", ["report", "tong_ket", "overdue"])
def test_signer_is_in_the_right_half(rendered, name):
    _content, pages = rendered[name]
    found = [(page, w) for page in pages for w in page.words if w.text == "KT."]
    assert len(found) == 1
    page, word = found[0]
    assert word.x0 > page.width / 2, f"signer at x={word.x0:.0f} of {page.width:.0f}"
    names = [w for w in page.words if w.text == "Hải" and w.y0 > word.y0]
    assert names and names[0].x0 > page.width / 2


def _normal(token: str) -> str:
    return unicodedata.normalize("NFC", token.replace("\u2011", "-").replace("\u00a0", " "))


@pytest.mark.parametrize("name", list(PAGES))
def test_no_table_cell_breaks_inside_a_token(rendered, name):
    content, pages = rendered[name]
    printed = Counter(_normal(w.text) for page in pages for w in page.words)
    wanted: Counter = Counter()
    for table in Document(io.BytesIO(content)).tables:
        for row in table.rows:
            for cell in row.cells:
                for token in _normal(cell.text).split():
                    wanted[token] += 1
    # merged cells repeat in python-docx's row.cells: count each token at most as often as it is
    # printed, and require that it is printed whole at least once
    missing = sorted(token for token in wanted if printed[token] == 0)
    assert not missing, f"split or missing in the PDF: {missing[:20]}"


def test_matrix_unit_headings_are_printed(rendered):
    """Rotated headings need a row height, or LibreOffice prints them empty (plans of ≤ 61 units)."""
    _content, pages = rendered["matrix"]
    words = [w.text for page in pages for w in page.words]
    assert words.count("THPT") >= 30  # "THPT 1" … "THPT 30", at least once each
