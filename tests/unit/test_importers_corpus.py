"""The appendix corpus (tests/data/appendices): development files import exactly, every file scores
at least THRESHOLD of its fields (held-out files included; see docs/import.md)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "data" / "appendices"
sys.path.insert(0, str(CORPUS))
import scoring  # noqa: E402

THRESHOLD = 0.8
DEVELOPMENT = scoring.corpus_files(held_out=False)
EVERY_FILE = scoring.corpus_files()


def test_corpus_shape():
    assert len(EVERY_FILE) >= 12
    assert len(scoring.corpus_files(held_out=True)) * 3 >= len(EVERY_FILE)
    assert {p.suffix for p in EVERY_FILE} == {".docx", ".xlsx", ".csv"}


@pytest.mark.parametrize("path", DEVELOPMENT, ids=lambda p: p.stem)
def test_development_file_imports_exactly(path):
    right, total, diffs = scoring.score_file(path)
    assert right == total, diffs


@pytest.mark.parametrize("path", EVERY_FILE, ids=lambda p: p.stem)
def test_every_file_reaches_the_threshold(path):
    right, total, diffs = scoring.score_file(path)
    assert right / total >= THRESHOLD, diffs
