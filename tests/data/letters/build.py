"""Write the Word and PDF copies of a letter: `python tests/data/letters/build.py` (PDF needs soffice).

The .docx holds the letter's paragraphs as rebuilt from its text copy, so the three routes (.txt,
.docx, .pdf) can be compared; the PDF is LibreOffice's print of the .docx."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from docx import Document
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from app.importers.prose import paragraphs_from_wrapped  # noqa: E402

NAME = "tayninh_huong_dan_cntt_2025-2026"


def build() -> None:
    lines = (HERE / f"{NAME}.txt").read_text(encoding="utf-8").splitlines()
    document = Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    for paragraph in paragraphs_from_wrapped(lines):
        document.add_paragraph(paragraph)
    target = HERE / f"{NAME}.docx"
    document.save(target)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(HERE), str(target)],
                       check=True, capture_output=True, timeout=180)


if __name__ == "__main__":
    build()
