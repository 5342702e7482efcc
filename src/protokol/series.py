"""Series and numbers: protocols with the same title (case, ё and spacing aside) form a series with one numbering;
extracts count too, as they carry the number of the protocol they come from. The next number is the series' highest in
the meeting's year plus one (numbering: yearly) or its highest ever plus one (continuous), so two meetings on one day
get N and N+1. A new protocol's id is `<date>-<number>` (docs/format.md); when that file exists anyway (two series
numbered alike on one day), the id gets `-2`, `-3`… and the number stays as it is."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from . import model as m


def series_key(title: str) -> str:
    return " ".join(title.casefold().replace("ё", "е").split()).rstrip(".")


def number_value(number: str | None) -> int | None:
    """The number a printed № starts with («8» → 8, «3-р» → 3); None when it has none."""
    found = re.match(r"\s*(\d+)", number or "")
    return int(found[1]) if found else None


def in_series(p: m.Protocol, title: str) -> bool:
    return series_key(p.title) == series_key(title)


def next_number(protocols: Iterable[m.Protocol], title: str, day: date, numbering: str = "yearly") -> int:
    numbers = [number_value(p.number) for p in protocols
               if in_series(p, title) and (numbering == "continuous" or p.date.year == day.year)]
    return max((n for n in numbers if n is not None), default=0) + 1


def previous_protocol(protocols: Iterable[m.Protocol], title: str, day: date) -> m.Protocol | None:
    """The latest protocol of the series held on or before `day`."""
    earlier = [p for p in protocols if in_series(p, title) and p.date <= day]
    return max(earlier, key=lambda p: (p.date, number_value(p.number) or 0, p.id), default=None)


def meeting_id(day: date, number: str | int) -> str:
    """The id of a new protocol: `<date>-<number>` (docs/format.md)."""
    safe = re.sub(r"[^\w-]+", "-", str(number).strip()).strip("-")
    return f"{day.isoformat()}-{safe}" if safe else day.isoformat()


def free_id(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3`… : the first id `taken` says is free."""
    if not taken(base):
        return base
    n = 2
    while taken(f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"


def series_titles(protocols: Iterable[m.Protocol]) -> list[str]:
    """One title per series of `protocols` (as its latest protocol spells it, spaces tidied), sorted: what a user
    may name."""
    latest: dict[str, m.Protocol] = {}
    for p in protocols:
        key = series_key(p.title)
        if key not in latest or (p.date, p.id) > (latest[key].date, latest[key].id):
            latest[key] = p
    return sorted((" ".join(p.title.split()) for p in latest.values()), key=series_key)
