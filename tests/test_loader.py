"""The strict loader: text stays text, hostile input fails fast, encodings and line ends are read right."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from conftest import TODAY
from protokol.checks import check_protocol
from protokol.load import load_protocol
from protokol.problems import Collector
from protokol.yamlio import Mapping, Scalar, parse

MINIMAL = """date: 2024-05-14
title: совещания руководителей образовательных организаций
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
agenda:
  - number: 1
    title: О подготовке к летней оздоровительной кампании
    decided:
      - text: Информацию принять к сведению.
      - text: Представить списки детей для зачисления в лагеря.
        deadline: до 20 мая
        responsible: руководители ОО
      - text: "Руководителям ОО:"
        responsible: руководители ОО
        items:
          - text: обеспечить открытие лагерей
            deadline: 03.06.2024
          - text: обобщить опыт
            deadline: постоянно
            responsible: [Белова И.Г., Фролова Т.С.]
"""


def write(tmp_path: Path, text: str | bytes, name: str = "2024-05-14-1.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def test_minimal_file_from_format_md_is_valid_and_gets_ids(tmp_path):
    protocol, problems = load_protocol(write(tmp_path, MINIMAL))
    assert problems == []
    assert check_protocol(protocol, TODAY) == []
    from protokol.model import walk_decisions

    ids = [(r.id, r.deadline, r.responsible) for r in walk_decisions(protocol)]
    assert ids == [
        ("2024-05-14-1/1.1", None, ()),
        ("2024-05-14-1/1.2", "до 20 мая", ("руководители ОО",)),
        ("2024-05-14-1/1.3", None, ("руководители ОО",)),
        ("2024-05-14-1/1.3.1", "03.06.2024", ("руководители ОО",)),
        ("2024-05-14-1/1.3.2", "постоянно", ("Белова И.Г.", "Фролова Т.С.")),
    ]


def test_yaml_11_typing_never_touches_text():
    out = Collector("t")
    tree = parse("time: 10:30\nname: no\non: on\nnumber: 010\nversion: 10.10\nflag: yes\nnothing: ~\nempty:\n", out)
    assert out.problems == []
    assert isinstance(tree, Mapping)
    values = {k: v.value for k, (_key, v) in tree.items.items()}
    assert values == {"time": "10:30", "name": "no", "on": "on", "number": "010", "version": "10.10", "flag": "yes",
                      "nothing": None, "empty": None}


def test_quoted_null_word_is_text():
    out = Collector("t")
    tree = parse("a: 'null'\nb: \"~\"\n", out)
    assert [v.value for _k, v in tree.items.values()] == ["null", "~"]


def test_positions_are_one_based_lines_and_character_columns():
    out = Collector("t")
    tree = parse("# comment\nтема: «Протокол»: нет\n", out) or parse("# c\nключ: значение\n", out)
    node = tree.items["ключ"][1] if "ключ" in tree.items else None
    assert isinstance(node, Scalar) and (node.line, node.col) == (2, 7)


def test_bom_and_crlf_are_read(tmp_path):
    protocol, problems = load_protocol(write(tmp_path, b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode()))
    assert problems == []
    assert protocol.title == "совещания руководителей образовательных организаций"
    assert protocol.agenda[0].decided[1].deadline == "до 20 мая"


def test_cp1251_names_the_encoding_and_the_fix(tmp_path):
    _p, problems = load_protocol(write(tmp_path, MINIMAL.encode("cp1251")))
    assert [p.code for p in problems] == ["yaml-encoding"]
    assert "1251" in problems[0].message and "iconv" in problems[0].hint
    assert (problems[0].line, problems[0].col) == (2, 8)


def test_impossible_date_is_reported_at_its_line(tmp_path):
    _p, problems = load_protocol(write(tmp_path, MINIMAL.replace("2024-05-14", "2024-02-30")))
    assert [(p.code, p.line, p.col) for p in problems] == [("schema-date", 1, 7)]


def test_duplicate_keys_name_both_lines(tmp_path):
    text = MINIMAL.replace("        deadline: до 20 мая\n", "        deadline: до 20 мая\n        deadline: до 25 мая\n")
    _p, problems = load_protocol(write(tmp_path, text))
    assert [(p.code, p.line, p.related) for p in problems] == [("yaml-duplicate-key", 13, ((12, 9),))]


def test_alias_bomb_fails_fast_with_little_memory(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 12)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    tracemalloc.start()
    _p, problems = load_protocol(path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [p.code for p in problems] == ["yaml-alias"]
    assert peak < 5_000_000  # expanded, this document would hold 10 * 9**11 strings


def test_five_megabyte_protocol_loads_with_bounded_memory(tmp_path):
    item = "      - text: Обеспечить выполнение мероприятий по плану работы на {i}.\n        deadline: постоянно\n        responsible: руководители ОО\n"
    head = MINIMAL.split("    decided:\n")[0] + "    decided:\n"
    body = "".join(item.format(i=i) for i in range(32000))
    path = write(tmp_path, head + body)
    assert path.stat().st_size > 5_000_000
    tracemalloc.start()
    protocol, problems = load_protocol(path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert problems == []
    assert len(protocol.agenda[0].decided) == 32000
    assert protocol.agenda[0].decided[-1].key == "1.32000"
    assert peak < 400_000_000


def test_a_list_is_not_a_protocol(tmp_path):
    _p, problems = load_protocol(write(tmp_path, "- a\n- b\n"))
    assert [p.code for p in problems] == ["yaml-not-mapping"]


def test_unknown_key_suggests_the_english_key_for_a_russian_word(tmp_path):
    _p, problems = load_protocol(write(tmp_path, MINIMAL.replace("        deadline: до 20 мая", "        Срок: до 20 мая")))
    assert [p.code for p in problems] == ["schema-unknown-key"]
    assert "'deadline'" in problems[0].hint


def test_typo_in_key_gets_did_you_mean(tmp_path):
    _p, problems = load_protocol(write(tmp_path, MINIMAL.replace("        deadline: до 20 мая", "        deadlin: до 20 мая")))
    assert problems[0].hint == "Did you mean 'deadline'?"


def test_executors_split_on_commas_outside_brackets_and_keep_initials():
    from protokol.names import split_executors

    assert split_executors("отдел образования , руководители ОО.") == ["отдел образования", "руководители ОО"]
    assert split_executors("Громов П.С., Белова И. Г.") == ["Громов П.С.", "Белова И. Г."]
    assert split_executors("Управление образования (Белова И.Г., Петров А.А.).") == ["Управление образования (Белова И.Г., Петров А.А.)"]


def test_random_bytes_are_not_called_windows_1251(tmp_path):
    import random

    rng = random.Random(7)
    _p, problems = load_protocol(write(tmp_path, bytes(rng.randrange(256) for _ in range(4000))))
    assert [p.code for p in problems] == ["yaml-encoding"]
    assert "1251" not in problems[0].message and "not valid UTF-8" in problems[0].message


def test_cp1251_hint_names_the_file(tmp_path):
    _p, problems = load_protocol(write(tmp_path, MINIMAL.encode("cp1251")), display="protocols/2024/мой файл.yaml")
    assert "iconv -f cp1251 -t utf-8 'protocols/2024/мой файл.yaml' > 'protocols/2024/мой файл.yaml.utf8'" in problems[0].hint
