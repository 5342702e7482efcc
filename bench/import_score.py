"""The import corpus's score: how many decisions of minutes written in many styles `protokol import` finds, and how
many arrive with the right deadline and executor; every decision it does not find must be reported as a spot to review.

    python bench/import_score.py [--verbose] [--json FILE]

The corpus is tests/data/import_corpus/: `tuning/` (the rules of the importer were settled on it) and `heldout/`
(written after, never tuned on). Each document has a truth file `<name>.truth.yaml`:

    date: 2023-10-18                 # the meeting date
    decisions:
      - text: Черных А.В. подготовить  # how the decision starts (compared case- and ё-insensitively)
        deadline: до 01.11.2023      # as a secretary would write it (read by the deadline grammar), or
        due: 2023-11-01              # the due date (or a kind: ongoing, as_needed, by_regulation) when no rule reads it
        responsible: [Черных А.В.]   # executors; a name matches any spelling of it, other text case-insensitively

A decision is *found* when an imported decision starts with its text; *right* when, besides, the due date and kind of
its deadline (inherited ones included) and its executors are the truth's; *reported* when it is not found but a spot
to review points at its line; *lost* otherwise (lost silently: the number that must be 0).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "data" / "import_corpus"
PARTS = ("tuning", "heldout")
TODAY = date(2026, 11, 22)
SUFFIXES = (".txt", ".md", ".docx")


@dataclass
class Score:
    part: str
    files: int = 0
    imported: int = 0  # files that gave a protocol
    failing_check: list[str] = field(default_factory=list)
    decisions: int = 0
    found: int = 0
    right: int = 0
    reported: list[str] = field(default_factory=list)  # file: text of each decision not found but reported
    lost: list[str] = field(default_factory=list)  # file: text of each decision lost silently
    wrong: list[str] = field(default_factory=list)  # file: what differs, for each found decision not right
    extra: list[str] = field(default_factory=list)  # file: decisions imported that the truth does not have

    def line(self) -> str:
        pct = 100 * self.right / self.decisions if self.decisions else 0.0
        return (f"{self.part:8} {self.files:3} files ({self.imported} imported, {len(self.failing_check)} failing check), "
                f"{self.decisions} decisions: {self.found} found, {self.right} with the right deadline and executor "
                f"({pct:.1f} %), {len(self.reported)} reported, {len(self.lost)} lost silently, {len(self.extra)} extra")


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-zа-я]+", " ", text.lower().replace("ё", "е")).strip()


def _who(entry: str) -> str:
    from protokol.importers.words import NAME_RX
    from protokol.names import name_key

    found = NAME_RX.search(entry)
    return name_key(found.group(0)) if found else _fold(entry)


def _deadline(text: str | None, due, meeting: date):
    """(kind, due date) of a deadline phrase or of an explicit `due` (a date, or a kind such as 'ongoing')."""
    from protokol.deadlines import DeadlineError, parse_deadline

    if due is not None:
        return ("date", due) if isinstance(due, date) else (str(due), None)
    if not text:
        return ("none", None)
    try:
        parsed = parse_deadline(str(text), meeting, TODAY)
    except DeadlineError:
        return ("unknown", str(text))
    return parsed.kind, parsed.due


def score_file(path: Path, truth: dict, score: Score) -> None:
    from protokol.importers.run import errors, import_document
    from protokol.importers.source import read_source
    from protokol.model import walk_decisions

    name = path.name
    result = import_document(path, name, TODAY)
    expected = truth.get("decisions") or []
    score.files += 1
    score.decisions += len(expected)
    refs = list(walk_decisions(result.protocol)) if result.protocol is not None else []
    if result.protocol is not None:
        score.imported += 1
        if errors(result.problems):
            score.failing_check.append(f"{name}: " + "; ".join(p.message for p in errors(result.problems)))
        if result.protocol.date != truth["date"]:
            score.wrong.append(f"{name}: meeting date {result.protocol.date} instead of {truth['date']}")
    lines = read_source(path, name).lines
    spotted = {s.line for s in result.spots}
    used: set[int] = set()
    for want in expected:
        key = _fold(want["text"])
        hit = next((i for i, r in enumerate(refs) if i not in used and _fold(r.decision.text).startswith(key)), None)
        if hit is None:
            at = [ln.no for ln in lines if key[:40] in _fold(" ".join(ln.cells) if ln.cells else ln.text)]
            if at and spotted & set(at):
                score.reported.append(f"{name}: {want['text']} (reported, not imported as a decision)")
            else:
                score.lost.append(f"{name}: {want['text']}")
            continue
        used.add(hit)
        score.found += 1
        ref = refs[hit]
        meeting = truth["date"]
        got_deadline = _deadline(ref.deadline, ref.due, result.protocol.date)
        want_deadline = _deadline(want.get("deadline"), want.get("due"), meeting)
        got_who = sorted(_who(p) for p in ref.responsible)
        want_who = sorted(_who(p) for p in want.get("responsible") or [])
        if got_deadline == want_deadline and got_who == want_who:
            score.right += 1
        else:
            score.wrong.append(f"{name}: «{want['text']}»: deadline {got_deadline} (want {want_deadline}), "
                               f"responsible {list(ref.responsible)} (want {want.get('responsible') or []})")
    score.extra += [f"{name}: {r.decision.text[:60]} (extra)" for i, r in enumerate(refs) if i not in used and r.is_leaf]


def score_part(part: str) -> Score:
    score = Score(part)
    folder = CORPUS / part
    for path in sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES):
        truth = yaml.safe_load(path.with_name(path.stem + ".truth.yaml").read_text(encoding="utf-8"))
        score_file(path, truth, score)
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every decision not right, and why")
    parser.add_argument("--json", type=Path, help="write the scores as JSON")
    args = parser.parse_args(argv)
    scores = [score_part(part) for part in PARTS if (CORPUS / part).is_dir()]
    for s in scores:
        print(s.line())
        if args.verbose:
            for text in s.failing_check + s.lost + s.reported + s.wrong + s.extra:
                print("   ", text)
    if args.json:
        args.json.write_text(json.dumps([asdict(s) for s in scores], ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
