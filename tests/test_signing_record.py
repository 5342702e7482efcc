"""The signing record is signed too (hash v2): who signed, when and the amendments cannot be edited unseen; records
signed before v2 keep verifying by their own rule (issue 12, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import commit, init_repo, protokol
from conftest import write as write_file
from test_review import PROTOCOL, REL

TODAY = ("--today", "2024-06-01")


@pytest.fixture
def signed(tmp_path: Path) -> Path:
    """An archive in git with one protocol signed by `protokol sign` and committed."""
    root = init_repo(tmp_path / "archive")
    write_file(root, PROTOCOL, REL)
    commit(root, "Протокол № 3")
    result = protokol(root, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-15")
    assert result.returncode == 0, result.stderr
    commit(root, "Подписан")
    return root


def _edit(root: Path, old: str, new: str) -> None:
    path = root / REL
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_sign_writes_a_v2_record(signed: Path):
    record = yaml.safe_load((signed / REL).read_text(encoding="utf-8"))["signed"]
    assert record["hash"] == "v2" and len(record["sha256"]) == 64
    assert protokol(signed, "check", *TODAY).returncode == 0


@pytest.mark.parametrize(("old", "new", "field"), [
    ("  date: 2024-05-15\n", "  date: 2024-05-25\n", "signed.date"),   # when
    ("  by: Никитина О.В.\n", "  by: Фролова Т.С.\n", "signed.by"),     # who
    ("  hash: v2\n", "", "signed.hash"),                                # a downgrade to v1 does not pass either
])
def test_a_hand_edited_v2_record_is_a_signature_mismatch(signed: Path, old: str, new: str, field: str):
    _edit(signed, old, new)
    result = protokol(signed, "check", *TODAY)
    assert result.returncode == 1, result.stdout
    assert "error[signature-mismatch]" in result.stdout
    assert f"Changed since signing: {field}." in result.stdout  # found in git, named


def test_deleting_the_amendments_history_is_caught(signed: Path):
    _edit(signed, "Обеспечить открытие", "Организовать открытие")
    amended = protokol(signed, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-20",
                       "--amend", "уточнена формулировка")
    assert amended.returncode == 0, amended.stderr
    commit(signed, "Исправление")
    assert protokol(signed, "check", *TODAY).returncode == 0
    text = (signed / REL).read_text(encoding="utf-8")
    path = signed / REL
    path.write_text(text[:text.index("amendments:")], encoding="utf-8")
    result = protokol(signed, "check", *TODAY)
    assert result.returncode == 1 and "error[signature-mismatch]" in result.stdout
    assert "signing record" in result.stdout
    path.write_text(text.replace("reason: уточнена формулировка", "reason: опечатка"), encoding="utf-8")
    assert protokol(signed, "check", *TODAY).returncode == 1


def test_a_hand_edited_date_is_undone_then_corrected_with_force(signed: Path):
    _edit(signed, "  date: 2024-05-15\n", "  date: 2024-05-16\n")
    refused = protokol(signed, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-16", "--force")
    assert refused.returncode == 1 and "--amend" in refused.stderr
    _edit(signed, "  date: 2024-05-16\n", "  date: 2024-05-15\n")
    forced = protokol(signed, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-16", "--force")
    assert forced.returncode == 0, forced.stderr
    record = yaml.safe_load((signed / REL).read_text(encoding="utf-8"))["signed"]
    assert record["date"].isoformat() == "2024-05-16" and record["hash"] == "v2"
    assert protokol(signed, "check", *TODAY).returncode == 0


def _v1_record(text: str) -> str:
    from protokol.load import protocol_from_text
    from protokol.signing import content_hash

    protocol, _problems = protocol_from_text(text, REL)
    return text + f"signed:\n  by: Никитина О.В.\n  date: 2024-05-15\n  sha256: {content_hash(protocol)}\n"


def test_a_v1_record_keeps_verifying_by_its_rule_and_force_makes_it_v2(tmp_path: Path):
    root = init_repo(tmp_path / "archive")
    write_file(root, _v1_record(PROTOCOL), REL)
    commit(root, "Подписан до v2")
    assert protokol(root, "check", *TODAY).returncode == 0
    _edit(root, "  date: 2024-05-15\n", "  date: 2024-05-17\n")  # v1 did not cover the record: still accepted
    assert protokol(root, "check", *TODAY).returncode == 0
    _edit(root, "Обеспечить открытие", "Организовать открытие")
    changed = protokol(root, "check", *TODAY)
    assert changed.returncode == 1 and "but its content has changed since" in changed.stdout
    _edit(root, "Организовать открытие", "Обеспечить открытие")
    forced = protokol(root, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-15", "--force")
    assert forced.returncode == 0, forced.stderr
    assert yaml.safe_load((root / REL).read_text(encoding="utf-8"))["signed"]["hash"] == "v2"
    _edit(root, "  date: 2024-05-15\n", "  date: 2024-05-17\n")
    assert protokol(root, "check", *TODAY).returncode == 1


def test_the_v2_hash_covers_the_record_and_v1_does_not():
    from dataclasses import replace
    from datetime import date

    from protokol.load import protocol_from_text
    from protokol.signing import content_hash, new_signing, signature_matches

    protocol, _problems = protocol_from_text(PROTOCOL, REL)
    sealed = replace(protocol, signed=new_signing(protocol, "Никитина О.В.", date(2024, 5, 15)))
    assert signature_matches(sealed) is True
    moved = replace(sealed, signed=replace(sealed.signed, date=date(2024, 5, 16)))
    assert signature_matches(moved) is False
    assert content_hash(moved) == content_hash(sealed)  # v1: the content alone, the same
    assert content_hash(moved, "v2") != content_hash(sealed, "v2")


# --- what the hash leaves out must not move a signed deadline -------------------------------------------------------

def _codes(text: str) -> list[str]:
    from datetime import date

    from protokol.checks import check_protocol
    from protokol.load import protocol_from_text

    protocol, problems = protocol_from_text(text, REL)
    assert protocol is not None, problems
    return [p.code for p in check_protocol(protocol, date(2024, 6, 1))]


def test_a_due_that_moves_a_signed_readable_deadline_is_an_error(signed: Path):
    _edit(signed, "        deadline: 03.06.2024\n", "        deadline: 03.06.2024\n        due: 2024-07-01\n")
    result = protokol(signed, "check", *TODAY)
    assert result.returncode == 1, result.stdout
    assert "error[due-moves-deadline]" in result.stdout and "signature-mismatch" not in result.stdout
    _edit(signed, "        due: 2024-07-01\n", "        due: 2024-06-03\n")  # the day the phrase gives: harmless
    assert protokol(signed, "check", *TODAY).returncode == 0


def test_due_is_free_for_unsigned_protocols_and_for_phrases_no_rule_reads():
    moved = PROTOCOL.replace("        deadline: 03.06.2024\n", "        deadline: 03.06.2024\n        due: 2024-07-01\n")
    assert "due-moves-deadline" not in _codes(moved)  # not signed: the text is still being written
    unread = PROTOCOL.replace("        deadline: 03.06.2024\n", "        deadline: к началу смены\n        due: 2024-07-01\n")
    assert "due-moves-deadline" not in _codes(_v1_record(unread))
    assert "due-moves-deadline" in _codes(_v1_record(moved))


def test_an_extension_without_its_day_or_reason_is_warned_about(signed: Path):
    extended = protokol(signed, "extend", "2024-05-14-3/1.2", "--to", "2024-06-10", "--reason", "по ходатайству",
                        "--today", "2024-05-30")
    assert extended.returncode == 0, extended.stderr
    assert "extension-undated" not in protokol(signed, "check", *TODAY).stdout  # `extend` writes `on` and `reason`
    hand = "        control:\n          extensions:\n            - {to: 2024-06-20, by: 2024-05-28-4/1.1}\n"
    by_protocol = PROTOCOL.replace("        responsible: Громов П.С.\n", "        responsible: Громов П.С.\n" + hand)
    assert "extension-undated" not in _codes(by_protocol)  # dated by the protocol that extended it
    for entry in ("{to: 2024-06-20}", "{to: 2024-06-20, on: 2024-05-20}", "{to: 2024-06-20, reason: устно}"):
        text = by_protocol.replace("{to: 2024-06-20, by: 2024-05-28-4/1.1}", entry)
        assert _codes(text).count("extension-undated") == 1, entry
    _edit(signed, "              on: 2024-05-30\n", "")
    warned = protokol(signed, "check", *TODAY)
    assert warned.returncode == 0 and "warning[extension-undated]" in warned.stdout and "has no on:" in warned.stdout


def test_sign_refuses_a_due_that_would_move_the_deadline_it_signs(tmp_path: Path):
    root = init_repo(tmp_path / "archive")
    moved = PROTOCOL.replace("        deadline: 03.06.2024\n", "        deadline: 03.06.2024\n        due: 2024-07-01\n")
    write_file(root, moved, REL)
    refused = protokol(root, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-15")
    assert refused.returncode == 1 and "error[due-moves-deadline]" in refused.stdout
    assert (root / REL).read_text(encoding="utf-8") == moved
