"""Parsing many protocol files at once, for the cache (cache.py): a pool of processes, one per core (at most 2 by
default; PROTOKOL_WORKERS sets the number), when there are enough files to repay starting them.

Each file is read once, and what is parsed is exactly the bytes whose digest (cachekeys.digest_of) is returned with
it: the cache may later trust the file for as long as it hashes the same.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from functools import cache

from .cachekeys import collector_off

PARALLEL_MIN = 48  # below this many files to parse, starting processes costs more than it saves


@cache
def _reader() -> tuple:
    """What parse_one calls, imported once per process (not per file: five imports cost 3 µs a file)."""
    from .cachekeys import digest_of
    from .load import protocol_from_text
    from .problems import Collector
    from .status import index_file
    from .yamlio import read_bytes

    return read_bytes, digest_of, protocol_from_text, index_file, Collector


def parse_one(path: str, display: str, deadline_args: tuple | None):
    """Read one file: (protocol pickled or None, problems, FileIndex or None, digest of the bytes read or None).
    With `deadline_args` (the `due` path: school year, extra holidays, extra workdays, as index_file takes them)
    only the index is made: pickling and shipping whole protocols would cost `due` a fifth of its cold time."""
    read_bytes, digest_of, protocol_from_text, index_file, collector = _reader()
    out = collector(display)
    data = read_bytes(path, out)
    if data is None:
        return None, out.problems, None, None
    digest = digest_of(data)
    protocol, problems = protocol_from_text(data, path, display, lean=deadline_args is not None)  # the index reads little
    if deadline_args is None:
        blob = pickle.dumps(protocol, protocol=pickle.HIGHEST_PROTOCOL) if protocol is not None else None
        return blob, problems, None, digest
    if protocol is None:
        return None, problems, None, digest
    return None, problems, index_file(protocol, *deadline_args), digest


def deadline_args(index_args: tuple | None) -> tuple | None:
    """index_file's arguments from the plain values the cache keeps (school year, holidays, workdays)."""
    if index_args is None:
        return None
    from .deadlines import SchoolYear

    school_year, holidays, workdays = index_args
    return SchoolYear(*school_year), frozenset(holidays), frozenset(workdays)


def _parse_chunk(job: tuple) -> list:
    language, index_args, items = job
    from .i18n import current_language, set_language

    if current_language() != language:
        set_language(language)
    args = deadline_args(index_args)  # made once here, not per file
    with collector_off():
        out = []
        for path, display, key in items:
            blob, problems, indexed, digest = parse_one(path, display, args)
            out.append((path, key, blob, problems, indexed, digest))
        return out


def workers() -> int:
    wanted = os.environ.get("PROTOKOL_WORKERS", "")
    if wanted.isdigit():
        return max(1, int(wanted))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 2))


def parse_many(items: list[tuple[str, str, tuple | None]], index_args: tuple | None) -> list:
    """Parse files, in parallel when there are many and more than one core; results in the order of `items`."""
    return list(parse_stream(items, index_args))


def parse_stream(items: list[tuple[str, str, tuple | None]], index_args: tuple | None) -> Iterator:
    """(path, key, protocol blob, problems, FileIndex, digest) of each of `items` (path, display, key), in their
    order, each as soon as it is there."""
    from .i18n import current_language

    language = current_language()
    count = workers()
    if len(items) < PARALLEL_MIN or count < 2:
        yield from _parse_chunk((language, index_args, items))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    if method == "fork":  # what every worker would import and compile, done once here for all of them to inherit
        _reader()
        if index_args is not None:
            from .deadlines import prepare

            prepare()
    size = max(8, min(64, len(items) // (count * 8) or 1))
    jobs = [(language, index_args, items[i:i + size]) for i in range(0, len(items), size)]
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context(method)) as pool:
            for part in pool.map(_parse_chunk, jobs):
                yield from part
                done += len(part)
    except (OSError, RuntimeError, ImportError):  # no processes to be had (a sandbox), or a broken pool: do it here
        yield from _parse_chunk((language, index_args, items[done:]))
