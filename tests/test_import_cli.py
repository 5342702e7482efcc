"""`protokol import` as a user runs it: files land in protocols/<year>/, nothing is overwritten, --dry-run writes nothing."""

from __future__ import annotations

import shutil

import pytest

from conftest import DATA, REPO, original
from conftest import run_cli as run

IMPORT = DATA / "import"


@pytest.fixture
def archive(tmp_path):
    """An archive as `protokol init` leaves it, as far as import cares: protocols/ and the editors' schema file."""
    from protokol.initialize import schema_text

    (tmp_path / "protocols").mkdir()
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "protokol.schema.json").write_text(schema_text(), encoding="utf-8")
    return tmp_path


def _original():
    """The original text of the example protocol 2023-08-27-8 (examples/originals/)."""
    return original("2023-08-27-8")


def test_import_writes_into_protocols_year_and_the_file_passes_check(archive):
    result = run("import", str(_original()), str(IMPORT / "word_tables.docx"), "--root", str(archive), "--today", "2026-11-22")
    assert result.exit_code == 0, result.stderr
    written = archive / "protocols" / "2023" / "2023-08-27-8.yaml"
    assert written.is_file() and (archive / "protocols" / "2024" / "2024-04-25-4.yaml").is_file()
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/protokol.schema.json\n")
    assert "Imported 2 of 2 files" in result.stderr
    assert "2023-08-27-8.txt:94: Срок/Отв. after a group of 6 items: applied to the whole group\n" in result.stderr
    check = run("check", str(archive / "protocols"), "--today", "2026-11-22")
    assert check.exit_code == 0, check.stdout


def test_import_never_overwrites_and_names_the_file_in_the_way(archive):
    target = archive / "protocols" / "2023" / "2023-08-27-8.yaml"
    target.parent.mkdir()
    target.write_text("date: 2023-08-27\n# my own edits\n", encoding="utf-8")
    result = run("import", str(_original()), "--root", str(archive))
    assert result.exit_code == 1
    assert "2023-08-27-8.yaml already exists; it was not overwritten" in result.stderr
    assert target.read_text(encoding="utf-8") == "date: 2023-08-27\n# my own edits\n"


def test_two_inputs_for_one_name_in_one_run_do_not_overwrite_each_other(archive, tmp_path):
    copy = tmp_path / "copy.txt"
    shutil.copy(_original(), copy)
    result = run("import", str(_original()), str(copy), "--root", str(archive))
    assert result.exit_code == 1
    assert "Imported 1 of 2 files" in result.stderr and "already exists" in result.stderr


def test_dry_run_prints_yaml_and_the_report_and_writes_nothing(archive):
    result = run("import", str(_original()), "--dry-run", "--root", str(archive))
    assert result.exit_code == 0
    assert result.stdout.startswith("# yaml-language-server: $schema=../../schema/protokol.schema.json\nkind: extract\n")
    assert "number: '8'" in result.stdout
    assert ":94: Срок/Отв. after a group of 6 items: applied to the whole group" in result.stderr
    assert list((archive / "protocols").iterdir()) == []


def test_output_folder_and_folders_as_input(tmp_path):
    source = tmp_path / "old"
    source.mkdir()
    for name in ("pedsovet.txt", "online.md", "split_runs.docx"):
        shutil.copy(IMPORT / name, source / name)
    (source / "notes.pdf").write_bytes(b"%PDF")  # not minutes: skipped when a folder is named
    out = tmp_path / "out"
    result = run("import", str(source), "-o", str(out), cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["2024-02-15-3.yaml", "2024-03-19-5.yaml", "2024-08-30-1.yaml"]


def test_a_file_without_a_date_fails_clearly_and_others_still_import(archive, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("ПРОТОКОЛ\nсовещания\nРЕШИЛИ:\n1. Сделать.\n", encoding="utf-8")
    result = run("import", str(bad), str(IMPORT / "online.md"), "--root", str(archive))
    assert result.exit_code == 1
    assert "no meeting date found" in result.stderr
    assert (archive / "protocols" / "2024" / "2024-02-15-3.yaml").is_file()


def test_usage_errors(archive, tmp_path):
    missing = run("import", str(tmp_path / "nope.txt"), "--root", str(archive))
    assert missing.exit_code == 2 and "No such file or folder" in missing.stderr
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    wrong = run("import", str(tmp_path / "a.pdf"), "--root", str(archive))
    assert wrong.exit_code == 1 and "cannot import a '.pdf' file" in wrong.stderr


def test_outside_an_archive_without_output_is_a_usage_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("import", str(IMPORT / "online.md"), cwd=empty)
    assert result.exit_code == 2 and "-o DIR" in result.stderr


def test_russian_messages(archive):
    result = run("import", str(_original()), "--dry-run", "--root", str(archive), lang="ru")
    assert result.exit_code == 0
    assert "Срок/Отв. после группы из 6 пунктов: отнесены ко всей группе" in result.stderr
    assert "Импортировано 1 из 1 файла; мест для проверки: 4" in result.stderr


def test_help_has_an_example():
    result = run("import", "--help")
    assert result.exit_code == 0 and "Example: protokol import" in result.stdout


def test_every_example_in_the_docs_runs(archive):
    import re
    import shlex

    text = (REPO / "docs" / "import.md").read_text(encoding="utf-8")
    commands = [line.strip() for block in re.findall(r"```(?:sh|bash|console)\n(.*?)```", text, re.S)
                for line in block.splitlines() if line.strip().startswith("protokol ")]
    assert len(commands) >= 4
    (archive / "old" / "word").mkdir(parents=True)
    shutil.copy(_original(), archive / "old" / "2023-08-27.txt")
    for name in ("word_tables.docx", "online.md"):
        shutil.copy(IMPORT / name, archive / "old" / "word" / name)
    (archive / "old" / "blank.txt").write_text(NO_DATE, encoding="utf-8")  # the example of --date
    for command in commands:
        args = shlex.split(command.split("#")[0])[1:]
        result = run(*args, cwd=archive)
        assert result.exit_code == 0, f"{command}: {result.stderr}"
    assert (archive / "protocols" / "2023" / "2023-08-27-8.yaml").is_file()
    assert sorted(p.name for p in (archive / "review").iterdir()) == ["2024-02-15-3.yaml", "2024-04-25-4.yaml"]
    report = run("import", "old/2023-08-27.txt", "--dry-run", cwd=archive).stderr
    for line in re.findall(r"^old/2023-08-27\.txt:\d+: .*$", text, re.M):  # the report shown in the docs is real
        assert line in report


def test_a_bug_on_one_document_does_not_stop_the_others(archive, monkeypatch):
    import protokol.importers.run as importer

    real = importer.import_document

    def flaky(path, *args, **kwargs):
        if path.name == "online.md":
            raise RuntimeError("boom")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(importer, "import_document", flaky)
    result = run("import", str(IMPORT / "online.md"), str(IMPORT / "pedsovet.txt"), "--root", str(archive))
    assert result.exit_code == 1
    assert "online.md: internal error while importing (RuntimeError: boom)" in result.stderr
    assert (archive / "protocols" / "2024" / "2024-08-30-1.yaml").is_file()


# ---------------------------------------------------------------------------------------- dates from outside (#19)
NO_DATE = "ПРОТОКОЛ № 3\nсовещания при директоре\nот __.__.20__ г.\nРЕШИЛИ:\n1. Провести семинар до 1 декабря 2023 г.\n"
DATED = "ПРОТОКОЛ № 4\nсовещания при директоре\nот 12.12.2023\nРЕШИЛИ:\n1. Принять к сведению.\n"


def test_a_file_without_a_date_is_not_written_and_the_batch_goes_on(archive, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "a.txt").write_text(NO_DATE, encoding="utf-8")
    (tmp_path / "old" / "b.txt").write_text(DATED, encoding="utf-8")
    result = run("import", str(tmp_path / "old"), "--root", str(archive), "--today", "2026-11-22")
    assert result.exit_code == 1
    assert "a.txt: no meeting date found" in result.stderr and "pass it with --date" in result.stderr
    assert sorted(p.name for p in (archive / "protocols").rglob("*.yaml")) == ["2023-12-12-4.yaml"]


def test_date_serves_each_file_without_one_and_the_documents_own_date_wins(archive, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "a.txt").write_text(NO_DATE, encoding="utf-8")
    (tmp_path / "old" / "b.txt").write_text(DATED, encoding="utf-8")
    result = run("import", str(tmp_path / "old"), "--date", "20.11.2023", "--root", str(archive), "--today", "2026-11-22")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (archive / "protocols").rglob("*.yaml")) == ["2023-11-20-3.yaml", "2023-12-12-4.yaml"]
    assert "a.txt:1: no meeting date in the document; 2023-11-20 was taken from --date" in result.stderr
    assert "b.txt:1: the document is dated 2023-12-12, --date says 2023-11-20; the document's date was kept" \
        in result.stderr
    assert run("check", str(archive / "protocols"), "--today", "2026-11-22").exit_code == 0


def test_a_date_in_the_file_name_serves_when_no_date_is_given(tmp_path):
    (tmp_path / "2023-11-14 совещание.txt").write_text(NO_DATE, encoding="utf-8")
    result = run("import", str(tmp_path / "2023-11-14 совещание.txt"), "-o", str(tmp_path / "out"), "--today", "2026-11-22")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "2023-11-14-3.yaml").is_file()
    assert "was taken from the file's name" in result.stderr


def test_a_bad_date_option_is_a_wrong_call(tmp_path):
    (tmp_path / "a.txt").write_text(NO_DATE, encoding="utf-8")
    result = run("import", str(tmp_path / "a.txt"), "--date", "31.02.2023", "--dry-run")
    assert result.exit_code == 2 and "--date" in result.stderr


def test_interactive_needs_a_terminal(tmp_path):
    (tmp_path / "a.txt").write_text(NO_DATE, encoding="utf-8")
    result = run("import", str(tmp_path / "a.txt"), "--interactive", "--dry-run", input="14.11.2023\n")
    assert result.exit_code == 2
    assert "standard input is not one" in result.stderr and "--date" in result.stderr


def test_interactive_asks_for_the_date_and_the_missing_secretary_in_a_terminal(tmp_path):
    """A real process whose standard input is a terminal (a pseudo-terminal), as a user at the keyboard."""
    import os
    import subprocess
    import sys

    pytest.importorskip("pty")
    (tmp_path / "a.txt").write_text(NO_DATE.replace("РЕШИЛИ:", "Председатель – Тимофеева А.А.\nРЕШИЛИ:"), encoding="utf-8")
    master, slave = os.openpty()
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    proc = subprocess.Popen([sys.executable, "-m", "protokol", "import", "a.txt", "--interactive", "--dry-run",
                             "--today", "2026-11-22", "--lang", "en"], cwd=tmp_path, stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    os.close(slave)
    try:
        # an empty answer asks again (an old meeting is not dated today by pressing Enter)
        os.write(master, "\n14.11.2023\nКовалёва С.В., заместитель директора\n".encode())
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(master)
    assert proc.returncode == 0, err.decode()
    text, report = out.decode(), err.decode()
    assert text.splitlines()[0] in ("original: paper", "number: '3'")  # only the YAML on stdout
    assert "\nnumber: '3'\ndate: 2023-11-14\n" in "\n" + text
    assert "secretary:\n    name: Ковалёва С.В.\n    position: заместитель директора\n" in text
    assert "Meeting date" in report and "Secretary (Фамилия И.О., position)" in report
    assert "Meeting date [" not in report  # offers no day
    assert "a.txt:1: no meeting date in the document; 2023-11-14 was given in answer to the question" in report
    assert "no secretary found" not in report and "looks like a decision" not in report
