"""`protokol sign` runs the checks of `protokol check`, with the archive's settings: a protocol that `check` rejects is
not signed, and nothing is written; a warning alone does not stop it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from conftest import HEADS_MEETING, HEADS_REL, protokol, run_cli, write


def test_sign_refuses_a_protocol_that_check_rejects(heads_repo: Path):
    repo = heads_repo
    broken = HEADS_MEETING.replace("        responsible: Громов П.С.\n",
                                   "        responsible: Громов П.С.\n        control: {status: done, date: 2024-05-01}\n")
    write(repo, broken, HEADS_REL)
    checked = protokol(repo, "check", "--today", "2024-06-01")
    assert checked.returncode == 1 and "error[control-date]" in checked.stdout
    signed = protokol(repo, "sign", "2024-05-14-1", "--by", "Никитина О.В.", "--date", "2024-05-15", "--today", "2024-06-01")
    assert signed.returncode == 1, signed.stdout + signed.stderr
    assert "error[control-date]" in signed.stdout  # the problems, printed as `check` prints them
    assert "has errors" in signed.stderr
    assert (repo / HEADS_REL).read_text(encoding="utf-8") == broken  # nothing written
    # a warning alone does not stop it, and the fixed file is signed
    write(repo, HEADS_MEETING, HEADS_REL)
    fixed = protokol(repo, "sign", "2024-05-14-1", "--by", "Никитина О.В.", "--date", "2024-05-15", "--today", "2024-06-01")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert yaml.safe_load((repo / HEADS_REL).read_text(encoding="utf-8"))["signed"]["by"] == "Никитина О.В."


def test_sign_checks_with_the_archive_settings(heads_repo: Path, monkeypatch):
    from protokol import checks

    (heads_repo / "protokol.yaml").write_text("school_year_end: '06-30'\n", encoding="utf-8")
    seen = []
    real = checks.check_protocol

    def spy(protocol, today, school_year=None):
        seen.append((protocol.id, today, school_year))
        return real(protocol, today, school_year)

    monkeypatch.setattr(checks, "check_protocol", spy)
    result = run_cli("sign", "2024-05-14-1", "--by", "Никитина О.В.", "--date", "2024-05-15", "--today", "2024-06-01",
                     "--root", str(heads_repo))
    assert result.exit_code == 0, result.output
    assert [(pid, today, sy.end) for pid, today, sy in seen] == [("2024-05-14-1", date(2024, 6, 1), (6, 30))]
