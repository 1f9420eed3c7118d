"""Score an import against its expected tasks: fields right / fields, per file (corpus tooling)."""
from __future__ import annotations

import json
from pathlib import Path

from app.importers.plan import parse_plan

HERE = Path(__file__).resolve().parent
FIELDS = ("ref", "group_path", "content", "time_text", "start_date", "due_date", "recurrence", "targets",
          "lead", "cooperating")
SUFFIXES = (".docx", ".xlsx", ".csv")


def corpus_files(held_out: bool | None = None) -> list[Path]:
    """The appendices of the corpus; held-out files start with "h", development files with "d"."""
    files = sorted(p for p in HERE.iterdir() if p.suffix in SUFFIXES)
    if held_out is None:
        return files
    return [p for p in files if p.name.startswith("h") == held_out]


def expected_of(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def score_file(path: Path) -> tuple[int, int, list[str]]:
    """(fields right, fields counted, differences): tasks are compared in order; a missing or an
    extra task counts every field as wrong."""
    expected = expected_of(path)["tasks"]
    try:
        got = parse_plan(path.read_bytes(), path.name).to_json_dict()["tasks"]
    except Exception as exc:  # noqa: BLE001 - a refused file scores zero
        return 0, len(expected) * len(FIELDS), [f"refused: {exc}"]
    for task in got:  # an importer older than group paths: its one group as the path
        task.setdefault("group_path", [task["group"]] if task.get("group") else [])
    right, total, diffs = 0, 0, []
    for index in range(max(len(expected), len(got))):
        want = expected[index] if index < len(expected) else None
        have = got[index] if index < len(got) else None
        for name in FIELDS:
            total += 1
            if want is not None and have is not None and have.get(name) == want[name]:
                right += 1
            else:
                diffs.append(f"task {index + 1} {name}: got {have and have.get(name)!r}, "
                             f"want {want and want[name]!r}")
    return right, total, diffs


def report(files: list[Path]) -> list[tuple[str, int, int]]:
    return [(p.name, *score_file(p)[:2]) for p in files]


if __name__ == "__main__":
    import sys

    held = {"dev": False, "held": True}.get(sys.argv[1] if len(sys.argv) > 1 else "")
    verbose = "-v" in sys.argv
    for path in corpus_files(held):
        right, total, diffs = score_file(path)
        print(f"{path.name:45} {right:4}/{total:<4} {right / total:6.1%}")
        if verbose:
            for diff in diffs:
                print("    ", diff)
