"""`protokol site`: the archive read as `protokol due` and `protokol list` read it, made into pages, written with
output.publish. The pages and their URLs are a contract (docs/site.md)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..problems import Problem
from . import data
from .output import Outcome, Page, digest, publish


@dataclass(frozen=True)
class SiteOptions:
    today: date
    base_url: str | None = None  # e.g. https://school.example/protocols/ : absolute links for calendar feeds
    documents: bool = True  # each protocol's DOCX (and PDF where LibreOffice is installed)
    templates: Path | None = None


@dataclass
class SiteResult:
    outcome: Outcome
    problems: list[Problem] = field(default_factory=list)
    protocols: int = 0


@dataclass
class _Archive:
    """What a build reads once. The protocols themselves are not held: `protocols()` reads them one at a time."""

    root: Path
    settings: object
    directory: object
    files: list  # the protocol files, in the order `protokol list` reads them
    statuses: dict
    due: list
    inputs: bytes  # protokol.yaml and people.yaml as written: every page shows something of them
    problems: list
    index: object  # status.Index, for the discipline report

    def protocols(self) -> Iterator:
        """Each protocol read from the cache (unpickled when its turn comes: 10,000 protocols held at once were
        half a gigabyte); two files with one id: `check` names both, the site shows the first, as `due` does."""
        from ..cache import iter_protocols

        seen = set()
        for p, _problems in iter_protocols(self.files, self.root) if self.files else ():
            if p is not None and p.id not in seen:
                seen.add(p.id)
                yield p


def _read(root: Path, today: date) -> _Archive:
    from ..cache import load_index, save_occurrences
    from ..config import load_config
    from ..paths import PROTOCOLS_DIR, protocol_files
    from ..selection import Filter, select

    config = load_config(root)
    folder = root / PROTOCOLS_DIR
    folders = [folder] if folder.is_dir() else []
    index = load_index(folders, root)
    due = select(index, Filter(), today)  # exactly what `protokol due --today DAY` lists
    statuses = {d.id: d for d in select(index, Filter(all=True), today)}
    save_occurrences(index, root)
    inputs = b"".join(_bytes(root / name) for name in ("protokol.yaml", "people.yaml"))
    problems = list(index.problems) + list(config.problems)
    return _Archive(root, config.settings, config.directory, protocol_files(folders), statuses, due, inputs,
                    problems, index)


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def build_site(root: Path, out: Path, options: SiteOptions) -> SiteResult:
    """Build (or bring up to date) the site of the archive at `root` in `out`."""
    import gc

    archive = _read(root, options.today)
    # 100,000 decisions evaluated and held: a collection would walk them all again and again, for no cycle to free.
    # Frozen, the collector leaves them alone; unfrozen after the build, so that `serve` frees them before the next.
    gc.freeze()
    try:
        return _build(root, out, options, archive)
    finally:
        gc.unfreeze()


def _build(root: Path, out: Path, options: SiteOptions, archive: _Archive) -> SiteResult:
    from ..render.templates import search_path
    from .pages import Pages

    people = data.People(archive.due, archive.directory)
    common = {"organization": archive.settings.organization, "base_url": (options.base_url or "").rstrip("/"),
              "has_reports": True, "current": "", "executors_of": people.executors}
    pages = Pages(search_path(root, options.templates), common)
    result = SiteResult(Outcome(), archive.problems)
    counted = _pages(archive, pages, people, options, result)
    result.outcome = publish(out, counted)
    return result


def _pages(archive: _Archive, pages, people: data.People, options: SiteOptions, result: SiteResult) -> Iterator[Page]:
    from .. import __version__
    from ..overview import open_counts, protocol_row, sort_rows
    from .protocols import Documents
    from .protocols import pages as protocol_pages
    from .search import SearchIndex

    today = options.today
    fingerprint = digest(__version__, pages.fingerprint(), archive.inputs, options.base_url or "")
    yield Page("style.css", lambda: pages.asset("style.css"))
    yield Page("site.js", lambda: pages.asset("site.js"))
    # each list keyed by what it shows, so that an unchanged one is not even rendered (10,000 rows take seconds)
    rows = data.due_rows(archive.due, today, people)
    menu = [(x.name, x.slug, x.group) for x in people.persons]
    yield Page("due.html", lambda: pages.page("due.html.j2", 0, rows=rows, today=today, buckets=data.BUCKETS,
                                               persons=people.persons),
               digest(fingerprint, str(today), repr(menu), repr([_row_key(r) for r in rows])))
    yield from _people_pages(pages, people, today, options, fingerprint)
    yield Page("search.html", lambda: pages.page("search.html.j2", 0), fingerprint)
    yield from _report_pages(archive, pages, today, fingerprint)
    search = SearchIndex()
    documents = Documents(archive, pages, fingerprint, options)
    opened = open_counts(archive.statuses)
    listed = []
    for p in archive.protocols():  # one at a time: its pages made, it is let go
        listed.append(protocol_row(p, opened))
        raw = _bytes(Path(p.path))
        search.add("protocols/" + p.id + ".html", _doc_title(p), p.date.isoformat(), p.path, digest(raw))
        yield from protocol_pages(p, raw, documents, people)
    years = data.protocol_index(sort_rows(listed))
    count = result.protocols = len(listed)
    yield Page("index.html", lambda: pages.page("index.html.j2", 0, years=years, today=today,
                                                 count=count), digest(fingerprint, str(today), repr(years)))
    yield Page("search-index.js", search.script, search.key())


def _row_key(row: data.DueRow) -> tuple:
    return (data.decision_key(row.decision), row.decision.days_overdue, row.bucket, row.series, row.executors,
            row.groups)


def _report_pages(archive: _Archive, pages, today: date, fingerprint: str) -> Iterator[Page]:
    from .reports import chart, discipline_periods, key

    found = discipline_periods(archive.index, archive.directory, archive.settings, today)
    shown = digest(fingerprint, str(today), key(found))
    yield Page("reports.html", lambda: pages.page("reports.html.j2", 0, periods=found, today=today), shown)
    for period in found:
        if period.report.rows:  # a chart shows the on-time share per executor only: keyed by that alone
            drawn = digest(fingerprint, repr([(r.name, r.on_time_pct) for r in period.report.rows]))
            yield Page(f"reports/{period.name}.svg", lambda period=period: chart(period), drawn)


def _doc_title(p) -> str:
    number = f" № {p.number}" if p.number else ""
    return f"{' '.join(p.title.split())}{number}"


def _people_pages(pages, people: data.People, today: date, options: SiteOptions, fingerprint: str) -> Iterator[Page]:
    from .. import __version__
    from ..report.due import to_ics

    base = (options.base_url or "").rstrip("/")
    for person in people.persons:
        links = {d.id: f"{base}/protocols/{d.meeting.id}.html" for d in person.decisions} if base else None
        key = digest(fingerprint, str(today), repr(person), repr([people.executors(d) for d in person.decisions]))
        yield Page(f"people/{person.slug}.html",
                   lambda person=person: pages.page("person.html.j2", 1, person=person, today=today,
                                                    buckets=data.BUCKETS, bucket=data.bucket), key)
        yield Page(f"people/{person.slug}.ics",
                   lambda person=person, links=links: to_ics(list(person.decisions), today, __version__, links), key)
