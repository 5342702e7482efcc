"""The people directory: people.yaml read strictly with positions, lookups, and the `person-spelling` warning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import PROTOCOLS, run_cli, write
from protokol import model as m
from protokol.checks import CODES
from protokol.load import load_protocol
from protokol.people import (
    TEMPLATE,
    Directory,
    accountable,
    check_names,
    executor_names,
    load_people,
    people_usage,
)

PEOPLE = """\
people:
  - name: Комарова Т.Ю.
    position: главный специалист РОО
  - name: Финагина Г.И.
    position: зав методическим кабинетом
    aliases: [Финагина Галина Ивановна]
  - name: Черных А.В.
    gender: f
"""


def directory(tmp_path: Path, text: str = PEOPLE) -> tuple[Directory, list]:
    (tmp_path / "people.yaml").write_text(text, encoding="utf-8")
    return load_people(tmp_path)


def test_template_is_an_empty_valid_directory(tmp_path: Path):
    found, problems = directory(tmp_path, TEMPLATE)
    assert problems == [] and not found
    uncommented = TEMPLATE.replace("#  - ", "  - ").replace("#    ", "    ")
    found, problems = directory(tmp_path, uncommented)
    assert problems == []
    assert [e.name for e in found.entries] == ["Фамилия И.О.", "Черных А.В."]


def test_no_file_no_directory(tmp_path: Path):
    assert load_people(tmp_path) == (Directory(), [])


def test_lookup_ignores_spelling_and_order_and_follows_aliases(tmp_path: Path):
    found, problems = directory(tmp_path)
    assert problems == []
    for written in ("Комарова Т. Ю.", "Т.Ю. Комарова", "КОМАРОВА Т.Ю."):
        assert found.find(written).name == "Комарова Т.Ю."
    assert found.find("Финагина Галина Ивановна").name == "Финагина Г.И."
    assert found.find("Комаров Т.Ю.") is None
    resolved = found.resolve(m.Person("Черных А.В."))
    assert (resolved.position, resolved.gender) == (None, "f")
    assert found.resolve(m.Person("Комарова Т.Ю.", position="и.о. заведующей")).position == "и.о. заведующей"


def test_problems_in_people_yaml_have_positions_and_hints(tmp_path: Path):
    _found, problems = directory(tmp_path, "people:\n  - name: Комарова Т.Ю.\n    positon: методист\n"
                                           "  - name: Комарова Т. Ю.\n  - gender: x\n")
    got = sorted((p.line, p.col, p.code) for p in problems)
    assert got == [(3, 5, "schema-unknown-key"), (4, 5, "people-duplicate"), (5, 5, "schema-missing-key"),
                   (5, 13, "schema-value")]
    duplicate = next(p for p in problems if p.code == "people-duplicate")
    assert duplicate.severity == CODES["people-duplicate"] == "error"
    assert duplicate.related == ((2, 5),) and "aliases" in duplicate.hint
    assert next(p for p in problems if p.code == "schema-unknown-key").hint == "Did you mean 'position'?"


def test_people_yaml_must_be_a_mapping(tmp_path: Path):
    _found, problems = directory(tmp_path, "- name: Комарова Т.Ю.\n")
    assert [(p.line, p.code) for p in problems] == [(1, "yaml-not-mapping")]


def test_misspelt_only_by_spacing_dots_or_yo(tmp_path: Path):
    found, _problems = directory(tmp_path, PEOPLE + "  - name: Семёнова А.А.\n")
    assert found.misspelt("Комарова Т. Ю").name == "Комарова Т.Ю."
    assert found.misspelt("Семенова А. А.").name == "Семёнова А.А."
    assert found.misspelt("Комарова Т.Ю.") is None            # the directory's own spelling
    assert found.misspelt("Финагина Галина Ивановна") is None  # an alias as written
    assert found.misspelt("Т.Ю. Комарова") is None             # another layout (signatures), not a slip
    assert found.misspelt("Комаров Т.Ю.") is None


def test_check_warns_at_each_misspelt_name_in_a_seed_protocol(tmp_path: Path):
    found, _problems = directory(tmp_path)
    seed, _ = load_protocol(PROTOCOLS / "2023" / "2023-08-27-8.yaml", "2023-08-27-8.yaml")
    problems = check_names(seed, found)
    seed_lines = (PROTOCOLS / "2023" / "2023-08-27-8.yaml").read_text(encoding="utf-8").splitlines()
    assert {p.code for p in problems} == {"person-spelling"} and all(p.severity == "warning" for p in problems)
    for p in problems:  # each points at a name that is spelt off
        name = p.message.split("'")[1]
        assert seed_lines[p.line - 1][p.col - 1:].lstrip("{- ").removeprefix("who: ").removeprefix("name: ").startswith(name)
    komarova = [p for p in problems if "Комарова" in p.message]
    assert len(komarova) == sum(line.count("Комарова Т. Ю") for line in seed_lines)
    assert "'Комарова Т.Ю.'" in komarova[0].message and "line 2" in komarova[0].hint
    assert check_names(seed, Directory()) == []


def test_executor_names_look_inside_brackets():
    assert executor_names("Управление образования (Белова И.Г., Фролова Т.С.)") == ["Белова И.Г.", "Фролова Т.С."]
    assert executor_names(" Белова И.Г. ") == ["Белова И.Г."]


def test_people_usage_counts_protocols_and_open_decisions(tmp_path: Path):
    for name in ("2023/2023-08-27-8.yaml", "2024/2024-01-09-1.yaml"):
        (tmp_path / "protocols" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROTOCOLS / name, tmp_path / "protocols" / name)
    found, _ = directory(tmp_path, "people:\n  - name: Комарова Т.Ю.\n  - name: Иванова Н.В.\n  - name: Никто Н.Н.\n")
    protocols = [load_protocol(p)[0] for p in sorted((tmp_path / "protocols").rglob("*.yaml"))]
    rows = people_usage(protocols, found, open_ids=set())
    assert [(r.name, len(r.protocols)) for r in rows] == [("Комарова Т.Ю.", 1), ("Иванова Н.В.", 1), ("Никто Н.Н.", 0)]
    # an executor named in an open decision counts for that person
    p = protocols[0]
    fake = m.Protocol(id="x", date=p.date, title="t", agenda=(m.AgendaItem(number="1", decided=(
        m.Decision(text="Сделать.", number="1", deadline="постоянно", responsible=("отдел (Иванова Н.В.)",)),)),))
    from protokol.schema import with_identity

    fake = with_identity(fake, "x", "x.yaml")
    rows = people_usage([fake], found, open_ids={"x/1.1"}, include_unknown=True)
    assert [(r.name, sorted(r.open_decisions)) for r in rows if r.open_decisions] == [("Иванова Н.В.", ["x/1.1"])]
    assert all(r.entry is not None for r in rows)  # «отдел» is no person's name: not listed as unknown



GROUPS = """\
people:
  - name: Белова И.Г.
    email: belova@example.ru
    aliases: [Смирнова Ирина Геннадьевна]
  - name: Громов П.С.
  - group: руководители ОО
    members: [Белова И. Г., Громов П.С., Никто Н.Н.]
    email: heads@example.ru
  - group: Громов П. С.
  - group: Руководители  ОО
"""


def test_groups_and_emails_are_read_with_their_checks(tmp_path: Path):
    found, problems = directory(tmp_path, GROUPS)
    got = sorted((p.line, p.col, p.severity, p.code) for p in problems)
    unknown_col = GROUPS.splitlines()[6].index("Никто") + 1
    assert got == [(7, unknown_col, "warning", "people-unknown-member"),  # points at «Никто Н.Н.» in the list
                   (9, 5, "error", "people-group-clash"),        # «Громов П. С.» is a person's name
                   (10, 5, "error", "people-duplicate")]         # the same group, spelt with other case and spaces
    assert (CODES["people-unknown-member"], CODES["people-group-clash"]) == ("warning", "error")
    clash = next(p for p in problems if p.code == "people-group-clash")
    assert "Громов П.С." in clash.message and clash.related == ((5, 5),)
    assert found.find("Смирнова И.Г.").email == "belova@example.ru"
    heads = found.find_group("Руководители ОО")
    assert heads.email == "heads@example.ru" and [m.name for m in heads.members][:2] == ["Белова И. Г.", "Громов П.С."]
    assert [getattr(x, "name", x) for x in found.members(heads)] == ["Белова И.Г.", "Громов П.С.", "Никто Н.Н."]
    assert [e.name for e in found.entries] == ["Белова И.Г.", "Громов П.С."]  # persons only


def test_a_bad_email_is_reported_where_it_is(tmp_path: Path):
    _found, problems = directory(tmp_path, "people:\n  - name: Белова И.Г.\n    email: belova at example.ru\n")
    assert [(p.line, p.col, p.code) for p in problems] == [(3, 12, "schema-value")]


def test_accountable_matches_executors_to_the_directory(tmp_path: Path):
    found, _problems = directory(tmp_path, GROUPS)

    def rows(*written):
        return [(a.key, a.name, type(a.entry).__name__) for a in accountable(written, found)]

    belova = ("person:белова и.г.", "Белова И.Г.", "Entry")
    # every spelling and alias is one person
    assert rows("Белова И. Г.") == rows("И.Г. Белова") == rows("Смирнова Ирина Геннадьевна") == [belova]
    # a body with the person in brackets is that person's; a group is one row of its own
    assert rows("Управление образования (Белова И.Г.)") == [belova]
    assert rows("Руководители ОО") == [("group:руководители оо", "руководители ОО", "GroupEntry")]
    # unknown executors stay as written; spellings of one unknown name are one row
    assert rows("отдел образования") == [("text:отдел образования", "отдел образования", "NoneType")]
    assert rows("Петров А. А.")[0][:1] == rows("Петров А.А.")[0][:1] == ("person:петров а.а.",)
    assert rows("Управление (Петров А.А.)") == [("person:петров а.а.", "Петров А.А.", "NoneType")]
    assert rows("отдел (по согласованию)") == [("text:отдел (по согласованию)", "отдел (по согласованию)", "NoneType")]
    # co-executors, split as names.split_executors splits, each once
    assert [r[1] for r in rows("Белова И.Г., руководители ОО; Громов П.С.", "Смирнова И.Г.")] == [
        "Белова И.Г.", "руководители ОО", "Громов П.С."]
    assert rows() == []


WITH_GROUPS = PEOPLE + """\
  - group: руководители ОО
    members: [Финагина Галина Ивановна, Петров П.П.]
    email: heads@example.ru
  - group: методисты
"""
GROUP_PROTOCOL = """\
date: 2024-04-01
title: совещания руководителей ОО
participants: {chair: Комарова Т.Ю., secretary: Черных А.В.}
agenda:
  - title: О ГИА
    decided:
      - text: Провести пробный экзамен.
        responsible: Руководители ОО
        deadline: 01.05.2024
      - text: Сдать отчёт.
        responsible: [Комарова Т.Ю., руководители ОО]
        deadline: 01.05.2024
        control: {status: done, date: 2024-04-20}
      - text: Подготовить план.
        responsible: отдел образования, руководители ОО
        deadline: 10.05.2024
"""


def test_people_lists_the_groups_with_their_members_address_and_open_decisions(tmp_path: Path):
    """The groups of people.yaml come after the persons: members in the directory's spelling (an alias is shown as
    the person's name, an unknown member as written), the group's address, and the open decisions it answers for as
    the reports count them (any case, in a list of executors; a done decision does not count)."""
    write(tmp_path, WITH_GROUPS, "people.yaml")
    write(tmp_path, GROUP_PROTOCOL, "protocols/2024/2024-04-01-1.yaml")
    result = run_cli("people", "--format", "json", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["name"], r["group"], r["email"]) for r in rows] == [
        ("Комарова Т.Ю.", False, None), ("Финагина Г.И.", False, None), ("Черных А.В.", False, None),
        ("руководители ОО", True, "heads@example.ru"), ("методисты", True, None)]
    heads, methodists = rows[3], rows[4]
    assert heads["members"] == ["Финагина Г.И.", "Петров П.П."] and heads["open_decisions"] == 2
    assert methodists["members"] == [] and methodists["open_decisions"] == 0
    table = run_cli("people", "--root", str(tmp_path), lang="ru", env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.output
    assert "Группы исполнителей" in table.stdout and "Эл. почта" in table.stdout
    line = next(x for x in table.stdout.splitlines() if "руководители ОО" in x)
    assert "Финагина Г.И., Петров П.П." in line and "heads@example.ru" in line and line.rstrip().endswith("2")
    assert "не указан" in next(x for x in table.stdout.splitlines() if "методисты" in x)


def test_a_group_of_nobody_is_a_warning_unless_it_has_an_address(tmp_path: Path):
    _found, problems = directory(tmp_path, "people:\n  - name: Белова И.Г.\n  - group: руководители ОО\n    members: []\n"
                                           "  - group: все\n  - group: рассылка\n    email: all@example.ru\n")
    assert [(p.line, p.code, p.severity) for p in problems] == [(3, "people-group-empty", "warning"),
                                                                (5, "people-group-empty", "warning")]
    assert "руководители ОО" in problems[0].message and "members" in problems[0].hint
