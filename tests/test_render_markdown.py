"""Markdown output and template resolution: escaping checked by a real CommonMark parser, overrides and `default:`."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import DATA, PROTOCOLS
from protokol.load import load_protocol
from protokol.render import RenderOptions, build_view
from protokol.render.markdown import MarkdownRenderer, md_block, md_inline, md_lines, tidy
from protokol.render.templates import ARCHIVE, BUILTIN, BUILTIN_DIR, OPTION, listing, resolve, search_path
from protokol.settings import load_settings

KITCHEN_ARCHIVE = DATA / "render" / "archive"
KITCHEN = KITCHEN_ARCHIVE / "protocols" / "2024" / "2024-03-14-2.yaml"


def html(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


def render_md(path: Path, root: Path | None = None, templates: Path | None = None, **options) -> str:
    protocol, problems = load_protocol(path)
    assert protocol is not None, problems
    settings, _ = load_settings(root)
    view, _ = build_view(protocol, settings, RenderOptions(**options))
    return MarkdownRenderer(search_path(root, templates)).render(view)


# ---------------------------------------------------------------- escaping


@pytest.mark.parametrize("text", [
    "1. не список", "12) и это", "- не пункт", "+ тоже", "# не заголовок", "> не цитата", "---", "===",
    "*не курсив*", "_не курсив_", "**не жирный**", "`не код`", "<b>не html</b>", "a & b &amp; c", "[не](ссылка)",
    "~~не зачёркнуто~~", "обратная \\ черта", "    не код",
])
def test_inline_text_prints_as_written(text):
    rendered = html(md_inline(text))
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n"), rendered
    expected = text.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert rendered[3:-5] == expected


def test_block_text_keeps_lines_as_paragraphs_and_dash_lines_as_nested_lists():
    text = "Доклад.\n- первое;\n  - вложенное\n- второе\nИтог.\n1. номер"
    assert md_block(text) == "Доклад.\n\n- первое;\n  - вложенное\n- второе\n\nИтог.\n\n1\\. номер"
    rendered = html(md_block(text))
    assert rendered.count("<ul>") == 2 and "<ol" not in rendered
    assert "<p>1. номер</p>" in rendered


def test_lines_are_joined_by_hard_breaks_and_a_dash_line_does_not_start_a_list():
    rendered = html(md_lines(["1. Руководителям ОО:", "- обеспечить", "Срок: постоянно"]))
    assert rendered == "<p>1. Руководителям ОО:<br />\n- обеспечить<br />\nСрок: постоянно</p>\n"


def test_tidy_drops_a_hard_break_before_a_blank_line():
    assert tidy("a\\\n\nb\\\n\n\n\nc \n") == "a\n\nb\n\nc\n"
    assert tidy("a\\\\\n\nb") == "a\\\\\n\nb\n"  # an escaped backslash is text, not a break


def test_kitchen_protocol_markdown_is_clean_commonmark():
    markdown = render_md(KITCHEN, KITCHEN_ARCHIVE)
    rendered = html(markdown)
    assert "<em>" not in rendered and "<ol" not in rendered and "<hr" not in rendered and "<pre" not in rendered
    assert "Подвести итоги &lt;I&gt; четверти * и наметить _планы_." in rendered
    assert "актовый зал &lt;школы № 1&gt; &amp; библиотека" in rendered
    assert '<a href="https://example.invalid/meet?a=1&amp;b=2">' in rendered
    assert "<h1>ПРОТОКОЛ</h1>" in rendered
    assert "<h3>1. О ходе выполнения решений &lt; предыдущего &gt; совещания</h3>" in rendered
    assert ("<strong>СЛУШАЛИ:</strong> Никитину\u00a0О.В. и Кравца\u00a0И.И., начальника управления и директора – "
            in rendered)
    assert "<p>1.2.1. обеспечить открытие лагерей;<br />\nСрок: 03.06.2024</p>" in rendered
    assert "<p>Срок: 31.05.2024</p>" in rendered  # the group's own deadline, after its items
    assert "\x07" not in markdown and "\x0c" not in markdown and "\x0b" not in markdown
    assert "  \n" not in markdown and "\n\n\n" not in markdown and markdown.endswith("\n")


def test_every_seed_renders_without_stray_markup():
    for path in sorted(PROTOCOLS.glob("*/*.yaml")):
        markdown = render_md(path)
        rendered = html(markdown)
        assert "<em>" not in rendered and "<pre" not in rendered and "<hr" not in rendered, path
        assert "None" not in markdown, path


# ---------------------------------------------------------------- where templates come from


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_resolution_order_option_then_archive_then_builtin(tmp_path):
    archive = tmp_path / "archive"
    option = tmp_path / "option"
    assert resolve("protocol.md.j2", search_path(archive)).origin == BUILTIN
    write(archive / "templates" / "protocol.md.j2", "archive {{ doc.title }}\n")
    found = resolve("protocol.md.j2", search_path(archive))
    assert (found.origin, found.path) == (ARCHIVE, archive / "templates" / "protocol.md.j2")
    assert found.shadowed == ((BUILTIN, BUILTIN_DIR / "protocol.md.j2"),)
    write(option / "protocol.md.j2", "option {{ doc.title }}\n")
    found = resolve("protocol.md.j2", search_path(archive, option))
    assert found.origin == OPTION and [o for o, _p in found.shadowed] == [ARCHIVE, BUILTIN]
    assert resolve("default:protocol.md.j2", search_path(archive, option)).origin == BUILTIN
    assert resolve("missing.j2", search_path(archive)) is None
    assert {(r.name, r.origin) for r in listing(search_path(archive, option))} >= {
        ("protocol.md.j2", OPTION), ("protocol.docx", BUILTIN)}

    protocol = PROTOCOLS / "2023" / "2023-08-27-8.yaml"
    assert render_md(protocol, archive) == "archive совещания с руководителями ОУ\n"
    assert render_md(protocol, archive, option) == "option совещания с руководителями ОУ\n"


def test_an_override_extends_the_builtin_and_changes_one_block(tmp_path):
    write(tmp_path / "templates" / "protocol.md.j2",
          '{% extends "default:protocol.md.j2" %}\n'
          "{% block signatures %}\n**Подписи:** {{ doc.signatures|map(attribute='name')|join(', ') }} <ok>\n\n"
          "{{ super()|markdown }}\n{% endblock %}\n")
    protocol = PROTOCOLS / "2024" / "2024-01-09-1.yaml"
    builtin = render_md(protocol)
    extended = render_md(protocol, tmp_path)
    assert "**Подписи:** Н.В.Шадеркова, Л.В.Кузнецова <ok>\n\nПредседатель — Подпись — Н.В.Шадеркова" in extended
    assert extended.replace("**Подписи:** Н.В.Шадеркова, Л.В.Кузнецова <ok>\n\n", "") == builtin


def test_a_partial_in_the_archive_can_be_included(tmp_path):
    write(tmp_path / "templates" / "footer.md.j2", "— {{ doc.id }} —\n")
    write(tmp_path / "templates" / "protocol.md.j2",
          '{% extends "default:protocol.md.j2" %}{% block appendix %}{% include "footer.md.j2" %}{% endblock %}')
    assert render_md(PROTOCOLS / "2021" / "2021-09-02.yaml", tmp_path).endswith("— 2021-09-02 —\n")
    names = [r.name for r in listing(search_path(tmp_path))]
    assert "footer.md.j2" in names


def test_names_with_initials_print_with_non_breaking_spaces():
    nb = "\u00a0"
    markdown = render_md(DATA / "render" / "long" / "2024-05-30-5.yaml")
    for text in (f"Председатель – Кондратьева{nb}М.{nb}В., заведующая отделом образования",
                 f"- Зелова{nb}Т.{nb}Н. – главный специалист отдела образования",
                 f"Шилова{nb}Е.{nb}Б., Кошелева{nb}Т.{nb}Н.",
                 f"Докладчик: Комарова{nb}Т.{nb}Ю., заместитель заведующего отделом образования",
                 f"**СЛУШАЛИ:** Комарову{nb}Т.{nb}Ю., заместителя заведующего отделом образования – ",
                 f"**ВЫСТУПИЛИ:** Шилова{nb}Е.{nb}Б. – о подготовке",
                 f"Отв.: Шилова{nb}Е.{nb}Б., Паскина{nb}Е.{nb}Л.",
                 f"Председатель — М.{nb}В.{nb}Кондратьева"):
        assert text in markdown, text
    assert "Информацию Комаровой Т. Ю. принять к сведению." in markdown  # free text stays as written
    assert f"<li>Зелова{nb}Т.{nb}Н. – главный специалист отдела образования</li>" in html(markdown)  # survives CommonMark
    extract = render_md(KITCHEN, KITCHEN_ARCHIVE, extract=True, items=("1",))
    assert f"начальник отдела кадров — Подпись — П.С.{nb}Громова" in extract
