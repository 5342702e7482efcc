"""`protokol history ID` of what does not exist is a usage error that names the ids that come close; a decision that
existed once, or exists and never changed, has a history."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import HEADS_MEETING, HEADS_REL, commit, protokol, write


def test_history_of_a_decision_that_never_existed_is_a_usage_error(heads_repo: Path):
    repo = heads_repo
    missing = protokol(repo, "history", "2024-05-14-1/9.9")
    assert missing.returncode == 2, missing.stdout + missing.stderr
    assert "has no decision 9.9" in missing.stderr and "No recorded change" not in missing.stderr
    close = protokol(repo, "history", "2024-05-14-1/1.3")
    assert close.returncode == 2 and "1.1" in close.stderr and "1.2" in close.stderr  # the ids that come close
    unknown = protokol(repo, "history", "2024-05-14-7/1.1")
    assert unknown.returncode == 2 and "2024-05-14-1" in unknown.stderr  # did you mean
    # a decision that existed once (removed since) still has a history
    write(repo, HEADS_MEETING.replace("""      - number: "1.2"
        text: Обеспечить открытие лагерей.
        deadline: 03.06.2024
        responsible: Громов П.С.
""", ""), HEADS_REL)
    commit(repo, "Пункт 1.2 исключён", "--no-verify")
    removed = protokol(repo, "history", "2024-05-14-1/1.2")
    assert removed.returncode == 0, removed.stderr
    assert "- decision 2024-05-14-1/1.2" in removed.stdout


def test_history_of_a_decision_with_no_change_says_so(heads_repo: Path):
    """A decision that exists and never changed after being added is not an error: one entry, its addition."""
    result = protokol(heads_repo, "history", "2024-05-14-1/1.1", "--format", "json")
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 1
