"""`flask plans import FILE.pdf --dry-run --format json` keeps the contract of the Word import."""
from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def dry_run(runner, path: Path) -> dict:
    result = runner.invoke(args=["plans", "import", str(path), "--dry-run", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_pdf_dry_run_matches_the_docx(runner, db):
    pdf = dry_run(runner, DATA / "haiphong_phuluc_2025-2026.pdf")
    docx = dry_run(runner, DATA / "haiphong_phuluc_2025-2026.docx")
    assert pdf["source"] == "haiphong_phuluc_2025-2026.pdf"
    assert pdf["tasks"] == docx["tasks"] and len(pdf["tasks"]) == 25
