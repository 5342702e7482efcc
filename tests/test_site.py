"""`protokol site` without a browser: what the pages hold, the URL contract, the folder written whole once and then
only where something changed, and what is refused. tests/test_site_browser.py opens the pages in Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import PROTOCOLS, meeting, run_cli

TODAY = "2024-06-01"


def build(root: Path, *options: str, out: Path | None = None):
    made = run_cli("site", "--root", str(root), "--today", TODAY, *(["-o", str(out)] if out else []), *options)
    assert made.exit_code == 0, made.output
    return made


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    return tmp_path


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: a file replaced (even by the same bytes) changes them."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: list[str] = []
        self.hidden_rows = 0

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        for name in ("href", "src", "action"):
            if attrs.get(name):
                self.links.append((tag, name, attrs[name]))
        if tag == "tr" and "data-id" in attrs:
            self.ids.append(attrs["data-id"])
            self.hidden_rows += "hidden" in attrs


def parsed(page: Path) -> Links:
    found = Links()
    found.feed(page.read_text(encoding="utf-8"))
    return found


def test_the_pages_of_the_url_contract_are_there(archive):
    build(archive)
    site = archive / "build" / "site"
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    for page in ("index.html", "due.html", "search.html", "search-index.js", "style.css", "site.js",
                 "protocols/2024-01-09-1.html", "protocols/2024-01-09-1.docx", "protocols/2024-01-09-1.pdf",
                 "people/administratsii-ou.html", "people/administratsii-ou.ics", "reports.html"):
        assert page in names
    # LibreOffice is installed here (.ci/run installs it): each protocol page links its DOCX and its PDF
    assert (site / "protocols" / "2024-01-09-1.pdf").read_bytes().startswith(b"%PDF")
    page = (site / "protocols" / "2024-01-09-1.html").read_text(encoding="utf-8")
    assert 'href="2024-01-09-1.docx"' in page and 'href="2024-01-09-1.pdf"' in page


def test_due_html_lists_what_due_lists_and_every_row_shows_without_scripts(archive):
    build(archive, "--no-documents")
    listed = run_cli("due", "--root", str(archive), "--today", TODAY, "--format", "json")
    page = parsed(archive / "build" / "site" / "due.html")
    assert page.ids == [d["id"] for d in json.loads(listed.stdout)]
    assert ("script", "src", "site.js") in page.links
    assert page.hidden_rows == 0
    assert re.search(r'<form id="due-filters"[^>]* hidden', (archive / "build" / "site" / "due.html").read_text())


def test_due_html_shows_the_paper_position_due_gives_beside_each_id(archive):
    """The examples are encoded from paper, whose numbering is not the ids': the dashboard, like `due`, says where
    each decision stands on that paper."""
    build(archive, "--no-documents")
    listed = json.loads(run_cli("due", "--root", str(archive), "--today", TODAY, "--format", "json").stdout)
    page = (archive / "build" / "site" / "due.html").read_text(encoding="utf-8")
    positions = [d for d in listed if d["paper_position"]]
    assert positions
    for d in positions:
        assert re.search(re.escape(d["id"]) + r"</a> <span class=\"note\">\(" + re.escape(escape(d["paper_position"]))
                         + r"\)</span>", page), d["id"]


def test_every_link_stays_inside_the_site_and_names_a_file_there(archive):
    """Relative links to files of the site only; the one exception is a link a protocol itself gives (the meeting's
    video link), which a reader may follow but no page loads."""
    build(archive)
    site = archive / "build" / "site"
    written = "".join(p.read_text(encoding="utf-8") for p in (archive / "protocols").rglob("*.yaml"))
    for page in site.rglob("*.html"):
        for tag, _attribute, link in parsed(page).links:
            parts = urlsplit(link)
            if tag == "a" and parts.scheme == "https" and link in written:
                continue
            assert not parts.scheme and not parts.netloc and not link.startswith("/"), f"{page.name}: {link}"
            if parts.path:
                target = (page.parent / unquote(parts.path)).resolve()
                assert target.is_file() and site.resolve() in target.parents, f"{page.name}: {link}"


def test_the_protocol_page_holds_the_markdown_render_of_the_protocol(archive):
    from markdown_it import MarkdownIt

    build(archive, "--no-documents")
    markdown = run_cli("render", "2024-01-09-1", "--root", str(archive), "--format", "md", "-o", "-").stdout
    page = (archive / "build" / "site" / "protocols" / "2024-01-09-1.html").read_text(encoding="utf-8")
    article = page.split('<article class="document">\n', 1)[1].split("</article>", 1)[0]
    assert article.strip() == MarkdownIt("commonmark", {"html": False}).render(markdown).strip()
    assert 'id="d-2.2.1"' in page and "просрочено" in page


def test_a_rebuild_rewrites_only_the_pages_that_changed(archive):
    build(archive)
    site = archive / "build" / "site"
    before = stats(site)
    build(archive)
    assert stats(site) == before  # nothing changed: nothing written, not even the manifest
    done = run_cli("done", "2024-01-09-1/2.2.1", "--note", "Проведены педсоветы", "--root", str(archive),
                   "--today", TODAY)
    assert done.exit_code == 0, done.output
    build(archive)
    after = stats(site)
    changed = {name for name in after if after[name] != before.get(name)}
    # the protocol's page, the lists the decision left, its executor's page and feed, the search index (new words),
    # the report (one overdue decision less, one late more); the DOCX and PDF show no control marks (made again, the
    # same bytes, left alone) and the charts no change (the on-time share stays 0 %)
    assert changed == {"protocols/2024-01-09-1.html", "due.html", "index.html", "people/administratsii-ou.html",
                       "people/administratsii-ou.ics", "search-index.js", "reports.html", ".protokol-site.json"}


def test_the_pages_of_a_removed_protocol_disappear(archive):
    build(archive)
    site = archive / "build" / "site"
    (archive / "protocols" / "2021" / "2021-09-02.yaml").unlink()
    build(archive)
    assert not list(site.glob("protocols/2021-09-02.*"))
    assert "2021-09-02" not in (site / "index.html").read_text(encoding="utf-8")


def test_a_folder_that_is_not_a_site_is_left_alone(archive):
    keep = archive / "notes"
    keep.mkdir()
    (keep / "plan.txt").write_text("мой план", encoding="utf-8")
    refused = run_cli("site", "--root", str(archive), "-o", str(keep), "--today", TODAY)
    assert refused.exit_code == 1
    assert "is not a site protokol built" in refused.output
    assert [p.name for p in keep.iterdir()] == ["plan.txt"]


def test_an_edited_manifest_cannot_make_a_build_remove_files_outside_the_site(archive):
    build(archive, "--no-documents")
    manifest = archive / "build" / "site" / ".protokol-site.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["pages"]["../../protocols/2024/2024-01-09-1.yaml"] = [None, "x"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    build(archive, "--no-documents")
    assert (archive / "protocols" / "2024" / "2024-01-09-1.yaml").is_file()


def test_text_from_a_protocol_is_never_markup(tmp_path):
    text = meeting("2024-02-14", question="""\
    decided:
      - text: Проверить <script>alert(1)</script> и *звёздочки*.
        deadline: 01.07.2024
        responsible: Белова <b>И.Г.</b>
""")
    (tmp_path / "protocols" / "2024").mkdir(parents=True)
    (tmp_path / "protocols" / "2024" / "2024-02-14-1.yaml").write_text(text, encoding="utf-8")
    build(tmp_path, "--no-documents")
    site = tmp_path / "build" / "site"
    for page in [site / "due.html", site / "protocols" / "2024-02-14-1.html", *site.glob("people/*.html")]:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<b>И.Г.</b>" not in html, page.name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, page.name


def test_people_pages_and_calendar_feeds_with_absolute_links(tmp_path):
    (tmp_path / "protocols" / "2024").mkdir(parents=True)
    (tmp_path / "protocols" / "2024" / "2024-02-14-1.yaml").write_text(meeting("2024-02-14", question="""\
    decided:
      - text: Сдать отчёт.
        deadline: 01.07.2024
        responsible: Семёнова Т.Ю.
      - text: Провести педсоветы.
        deadline: 20.06.2024
        responsible: руководители ОО
"""), encoding="utf-8")
    (tmp_path / "people.yaml").write_text("people:\n  - name: Семёнова Т.Ю.\n  - name: Щукин А.А.\n"
                                          "  - group: руководители ОО\n    members: [Щукин А.А.]\n", encoding="utf-8")
    build(tmp_path, "--no-documents", "--base-url", "https://school.example/archive/")
    people = tmp_path / "build" / "site" / "people"
    assert sorted(p.name for p in people.iterdir()) == ["rukovoditeli-oo.html", "rukovoditeli-oo.ics",
                                                        "semenova-t-yu.html", "semenova-t-yu.ics"]
    feed = (people / "semenova-t-yu.ics").read_text(encoding="utf-8").replace("\r\n ", "")
    assert feed.count("BEGIN:VTODO") == 1 and "UID:2024-02-14-1/1.1@protokol" in feed
    assert "URL:https://school.example/archive/protocols/2024-02-14-1.html" in feed
    page = (people / "semenova-t-yu.html").read_text(encoding="utf-8")
    assert "webcal://school.example/archive/people/semenova-t-yu.ics" in page
    due = (tmp_path / "build" / "site" / "due.html").read_text(encoding="utf-8")
    assert '<option value="rukovoditeli-oo">руководители ОО</option>' in due
    assert 'data-groups="rukovoditeli-oo"' in due


@pytest.mark.parametrize(("name", "slug"), [("Морозова О.Д.", "morozova-o-d"), ("Щукин А.А.", "shchukin-a-a"),
                                            ("Семёнова Т.Ю.", "semenova-t-yu"), ("руководители ОО", "rukovoditeli-oo"),
                                            ("Объединение «Юность»", "obedinenie-yunost"), ("—", "person")])
def test_slugs_are_transliterated_from_cyrillic(name, slug):
    from protokol.website.slugs import slug as make

    assert make(name) == slug


def test_slugs_stay_distinct():
    from protokol.website.slugs import slugs

    assert slugs(["a", "b", "c"], ["Иванов И.И.", "Иванов  И. И", "Петров"]) == {
        "a": "ivanov-i-i", "b": "ivanov-i-i-2", "c": "petrov"}


def test_wrong_options_are_usage_errors(archive):
    assert run_cli("site", "--root", str(archive), "--base-url", "school.example").exit_code == 2
    assert run_cli("site", "--root", str(archive), "--today", "32.01.2024").exit_code == 2
    assert run_cli("serve", "--root", str(archive), "--port", "70000").exit_code == 2
    assert not (archive / "build").exists()


def test_the_site_folder_is_replaced_whole_on_a_first_build(archive):
    out = archive / "public"
    out.mkdir()  # an empty folder is fine
    build(archive, "--no-documents", out=out)
    assert (out / "index.html").is_file()
    assert not [p for p in archive.iterdir() if p.name.startswith(".public")]
    assert os.stat(out).st_mode & 0o777 == 0o777 & ~current_umask()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_reports_html_shows_the_discipline_report_of_the_quarter_and_the_year(archive):
    build(archive, "--no-documents")
    site = archive / "build" / "site"
    page = (site / "reports.html").read_text(encoding="utf-8")
    for start, end in (("2024-04-01", "2024-06-30"), ("2024-01-01", "2024-12-31")):
        made = run_cli("report", "discipline", "--from", start, "--to", end, "--today", TODAY, "--format", "json",
                       "--root", str(archive))
        total = json.loads(made.stdout)["total"]
        cells = "".join(f'<td class="num">{total[k]}</td>' for k in ("assigned", "on_time", "late"))
        assert cells in re.sub(r"\s*\n\s*", "", page), (start, end)
    assert "2-й квартал 2024 г." in page and "2024 год" in page
    for name in ("quarter", "year"):
        chart = (site / "reports" / f"{name}.svg").read_text(encoding="utf-8")
        assert "<svg" in chart and "администрации ОУ" in chart
        assert f'src="reports/{name}.svg"' in page


def test_periods_are_the_calendar_quarter_and_year():
    from datetime import date

    from protokol.website.reports import periods

    assert periods(date(2024, 11, 30)) == [("quarter", date(2024, 10, 1), date(2024, 12, 31)),
                                           ("year", date(2024, 1, 1), date(2024, 12, 31))]
    assert periods(date(2024, 2, 29))[0] == ("quarter", date(2024, 1, 1), date(2024, 3, 31))


def test_the_site_commands_of_docs_site_md_run(archive):
    """Each `protokol site` line of the first example in docs/site.md, run as written (in a copy of the archive)."""
    import shlex

    from conftest import REPO

    doc = (REPO / "docs" / "site.md").read_text(encoding="utf-8")
    block = doc.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.startswith("protokol site")]
    assert len(lines) == 4
    for line in lines:
        made = run_cli(*shlex.split(line)[1:], "--root", str(archive), cwd=archive)
        assert made.exit_code == 0, (line, made.output)
    assert (archive / "public" / "index.html").is_file() and (archive / "build" / "site" / "due.html").is_file()


def test_a_broken_file_is_left_out_named_and_the_exit_code_says_so(archive):
    (archive / "protocols" / "2024" / "2024-03-01-1.yaml").write_text("date: [2024-03-01\n", encoding="utf-8")
    made = run_cli("site", "--root", str(archive), "--today", TODAY, "--no-documents")
    assert made.exit_code == 1
    assert "2024-03-01-1.yaml" in made.stderr
    site = archive / "build" / "site"
    assert (site / "protocols" / "2024-01-09-1.html").is_file() and not (site / "protocols" / "2024-03-01-1.html").exists()


def test_two_files_with_one_id_make_one_page_the_first_files(archive):
    """The protocols are read one at a time while the pages are made: a second file with an id seen already is left
    out of the pages and of index.html, as `due` leaves it out (`check` names both)."""
    first = archive / "protocols" / "2024" / "2024-01-09-1.yaml"
    second = archive / "protocols" / "zz" / first.name
    second.parent.mkdir()
    second.write_text(first.read_text(encoding="utf-8").replace("title: проведения совещания",
                                                                 "title: ДУБЛИКАТ совещания"), encoding="utf-8")
    run_cli("site", "--root", str(archive), "--today", TODAY, "--no-documents")
    site = archive / "build" / "site"
    page = (site / "protocols" / "2024-01-09-1.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "ДУБЛИКАТ" not in page and "ДУБЛИКАТ" not in index
    assert index.count('href="protocols/2024-01-09-1.html"') == 1
    assert len(list((site / "protocols").glob("*.html"))) == 5


NAMED_ALONE = """\
date: 2024-05-14
number: "1"
title: совещания
participants:
  chair: Иванов И.И.
  secretary: Смирнова Е.В.
  present: [Иванов И.И., Петрова А.А., Смирнова Е.В.]
agenda:
  - number: 1
    title: О подготовке к ГИА
    speakers: Петрова А.А.
"""


def test_the_protocol_page_gives_the_positions_of_people_yaml_as_render_does(tmp_path: Path):
    """A protocol that names persons alone: people.yaml's positions on the site's page, in `render --format md` and
    in the DOCX alike, one view making all three; a secretary whose position is «секретарь» is not called so twice."""
    import io

    from docx import Document

    (tmp_path / "protocols" / "2024").mkdir(parents=True)
    (tmp_path / "protocols" / "2024" / "2024-05-14-1.yaml").write_text(NAMED_ALONE, encoding="utf-8")
    (tmp_path / "people.yaml").write_text(
        "people:\n  - {name: Иванов И.И., position: директор МБОУ СОШ № 1}\n  - {name: Петрова А.А., position: методист}\n"
        "  - {name: Смирнова Е.В., position: секретарь}\n", encoding="utf-8")
    expected = ["Председатель – Иванов И.И., директор МБОУ СОШ № 1", "Секретарь – Смирнова Е.В.",
                "Иванов И.И. – директор МБОУ СОШ № 1", "Петрова А.А. – методист", "Смирнова Е.В. – секретарь",
                "Докладчик: Петрова А.А., методист"]
    build(tmp_path, "--no-documents")
    page = (tmp_path / "build" / "site" / "protocols" / "2024-05-14-1.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page).replace("\xa0", " ")
    markdown = run_cli("render", "2024-05-14-1", "-f", "md", "-o", "-", "--root", str(tmp_path)).stdout
    docx = tmp_path / "p.docx"
    assert run_cli("render", "2024-05-14-1", "-o", str(docx), "--root", str(tmp_path)).exit_code == 0
    paragraphs = [p.text.replace("\xa0", " ") for p in Document(io.BytesIO(docx.read_bytes())).paragraphs]
    for line in expected:
        assert line in text, line
        assert line in markdown.replace("\xa0", " ").replace("\\", ""), line
        assert any(line in p for p in paragraphs), line
    assert "Смирнова Е.В., секретарь" not in text + markdown + "\n".join(paragraphs)
