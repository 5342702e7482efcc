"""What the lists of `protokol due` prepare of each decision when its file is indexed, not on every run: its place
among the file's decisions by number (`number_key`, `ranks`), and the parts of its JSON row that only the file
decides (`json_parts`, `csv_parts`, `table_parts`), for an item without control marks: open, due as written, its
row the same whatever today is, but for `file` (shown relative to the current folder) and `overdue`.

The row is docs/due.md's contract, which report.due.as_dict defines; tests/test_due_stream.py holds the two equal on
every item of generated archives. Also the order of the lists (`arrange`: every item's rank by meeting and number, the today-independent items sorted
by due date). Plain values in, strings and arrays out; no protokol imports.
"""

from __future__ import annotations

from array import array
from datetime import date
from json.encoder import encode_basestring as _enc  # what JSONEncoder(ensure_ascii=False) writes a string as


def number_key(key: str) -> tuple:
    """«2.10» after «2.9»: numeric parts compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in key.split("."))


def ranks(keys: list[str]) -> list[int]:
    """Each key's place when sorted by number_key (ties in file order)."""
    try:  # «1.2.3», nearly always: tuples of ints order as number_key does, at a fifth of the cost
        numbers: list = [tuple(map(int, k.split("."))) for k in keys]
        if any(not k.replace(".", "").isdigit() for k in keys):  # int() takes « 1» and «+1», number_key does not
            raise ValueError
    except ValueError:
        numbers = [number_key(k) for k in keys]
    places = [0] * len(keys)
    for place, i in enumerate(sorted(range(len(keys)), key=numbers.__getitem__)):
        places[i] = place
    return places


def json_parts(pid: str, meeting_day: str, key: str, line: int, text: str, deadline: str | None, kind: str,
               due: date | None, rule: str | None, responsible: tuple[str, ...], paper: str | None) -> tuple[str, str, str]:
    """The row of an item without marks, as (what comes before the file's name, what comes after it up to the
    value of `overdue`, its end from `paper_position`): report.due.PlainRows adds the file, `overdue`,
    `days_overdue` and the protocol's part between the second and the third.
    `pid` is the protocol's id JSON-encoded, `meeting_day` its date in ISO (the same for all of a file's items)."""
    day = f'"{due.isoformat()}"' if due is not None else "null"
    number = _enc(key)
    return (f'{{"id": {pid[:-1]}/{number[1:]}, "protocol": {pid}, "file": ',
            f', "line": {line}, "meeting_date": "{meeting_day}", "number": {number}, "text": {_enc(text)}, '
            f'"deadline": {{"text": {_enc(deadline) if deadline is not None else "null"}, "kind": "{kind}", '
            f'"due": {day}, "original_due": {day}, "rule": {_enc(rule) if rule is not None else "null"}}}, '
            f'"responsible": [{", ".join(map(_enc, responsible))}], "status": "open", "overdue": ',
            f', "paper_position": {_enc(paper) if paper is not None else "null"}, "occurrences": []}}')


def csv_field(text: str) -> str:
    """A field as csv.writer (the excel dialect, minimal quoting) writes it inside a row."""
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_parts(pid: str, meeting_day: str, key: str, line: int, text: str, deadline: str | None, kind: str,
              due: date | None, responsible: tuple[str, ...], paper: str | None) -> tuple[str, str, str]:
    """The CSV row (report.due.CSV_COLUMNS) of an item without marks, as (before the file's name, after it up to
    `overdue`, the paper position): the file, `overdue` and `days_overdue` are added when it is written."""
    number = csv_field(key)
    return (f"{csv_field(pid + '/' + key)},{csv_field(pid)},",
            f",{line},{meeting_day},{number},{csv_field(text)},{csv_field(deadline) if deadline else ''},{kind},"
            f"{due.isoformat() if due is not None else ''},{csv_field('; '.join(responsible))},open,",
            f",{csv_field(paper) if paper else ''}")


def encoded(pid: str) -> str:
    """The protocol's id as json_parts takes it."""
    return _enc(pid)


def table_parts(pid: str, key: str, text: str, deadline: str | None, responsible: tuple[str, ...],
                paper: str | None) -> tuple[str, ...]:
    """The table's cells of an item that the file alone decides (report.due.cells): id (with the paper position,
    report.due.shown_id), deadline, executors, text; each single-spaced here, in the workers of a cold build, not
    for every row of the file of prepared rows (rowblob) in the serial tail of it."""
    shown = f"{pid}/{key} ({paper})" if paper else f"{pid}/{key}"
    return (" ".join(shown.split()), " ".join((deadline or "—").split()),
            " ".join((", ".join(responsible) or "—").split()), " ".join(text.split()))


# ------------------------------------------------------------------------------------------------- the lists' order

NO_DUE = (1 << 23) - 1  # sorts after every ordinal (date.max is 3,652,059): undated items come last
FILE_SHIFT, DUE_SHIFT = 20, 44  # rank: file's place << 20 | place in the file; sort key: due << 44 | rank


def arrange(meetings: list[tuple[date, str]], files, ranks, kinds, statuses, due, reached, marked,
            moving: tuple[int, int]) -> tuple[bytes, array, array]:
    """(plain, rank, order) of index.Resolution, from the per-item arrays status.resolve makes and each file's
    (meeting date, protocol id): files ranked by those (`due`'s order after the due date), items within a file by
    their rank by number. `moving`: the kind code (recurring) and the status code (unsure) whose due date depends on
    today, left out of `order`."""
    place = [0] * len(meetings)
    for n, i in enumerate(sorted(range(len(meetings)), key=meetings.__getitem__)):
        place[i] = n
    rank = array("q", [(place[f] << FILE_SHIFT) | r for f, r in zip(files, ranks, strict=True)])
    recurring, unsure = moving
    keys = [((due[g] or NO_DUE) << DUE_SHIFT) | rank[g] for g in range(len(rank))
            if kinds[g] != recurring and statuses[g] != unsure]
    keys.sort()
    mask = (1 << DUE_SHIFT) - 1
    by_rank = {rank[g]: g for g in range(len(rank))}
    order = array("i", [by_rank[k & mask] for k in keys])
    plain = bytes(not (r or m) for r, m in zip(reached, marked, strict=True))
    return plain, rank, order
