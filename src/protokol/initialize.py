"""`protokol init`: the files a new archive starts with, never overwriting one, and its git set-up; the JSON Schema
file editors read."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .writing import create_new as write_new  # init and new never overwrite: FileExistsError when the name is taken

SCHEMA_FILE = "schema/protokol.schema.json"


def schema_text() -> str:
    """What `protokol schema` prints and `protokol init` writes into SCHEMA_FILE."""
    import json

    from .schema import json_schema

    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def schema_reference(root: Path, target: Path) -> str | None:
    """The relative path from `target`'s folder to the archive's schema/protokol.schema.json, when it exists."""
    schema = root / SCHEMA_FILE
    if not schema.is_file():
        return None
    return os.path.relpath(schema, target.parent).replace(os.sep, "/")


# --- protokol init --------------------------------------------------------------------------------------------------

TEMPLATES_README = """\
# Свои шаблоны документов

Встроенные шаблоны (протокол, выписка) поставляются с программой protokol. Чтобы изменить документ,
положите в эту папку файл с тем же именем, что у встроенного шаблона: он будет использован вместо него.
Шаблон можно не переписывать целиком, а расширить встроенный:

    {% extends "default:ИМЯ-ШАБЛОНА" %}

и заменить в нём только нужные блоки. Папка, указанная в `--templates DIR`, просматривается раньше этой.
Пустая папка ничего не меняет: используются встроенные шаблоны.
"""

GITIGNORE = """\
# protokol: кэш и собранные документы (их всегда можно собрать заново)
.protokol-cache/
build/
# protokol: журнал отправленных напоминаний (protokol remind), у каждой копии архива свой
.protokol-state/
# временные файлы Word и LibreOffice
~$*
.~lock.*#
"""

def gitignore_lacks_state(root: Path) -> bool:
    """Whether the archive's .gitignore (an older one, written before `protokol remind` kept a sent-log) does not
    ignore the state folder, so that `git add .` would commit the log. False without a .gitignore and outside git:
    there is nothing to remind of."""
    from .paths import STATE_DIR, read_regular

    try:
        text = read_regular(root / ".gitignore", 1024 * 1024).decode("utf-8", errors="replace")
    except OSError:
        return False
    name = STATE_DIR.strip("/")
    return not any(line.strip().strip("/") in (name, name + "/*", name + "/**") for line in text.splitlines())


def _settings_file(values: dict) -> str:
    from .settings import settings_template

    return settings_template(values)


def _people_file(values: dict) -> str:
    from .people import TEMPLATE

    return TEMPLATE


def _schema_file(values: dict) -> str:
    return schema_text()


# What `protokol init` creates. Another file is one more line: (path inside the archive, text or a function of the
# init values returning the text). Files that exist are kept as they are.
INIT_DIRS: list[str] = ["protocols", "templates"]
INIT_FILES: list[tuple[str, str | Callable[[dict], str]]] = [
    ("protokol.yaml", _settings_file),
    ("people.yaml", _people_file),
    ("protocols/.gitkeep", ""),
    ("templates/README.md", TEMPLATES_README),
    (SCHEMA_FILE, _schema_file),
    (".gitignore", GITIGNORE),
]


@dataclass
class InitReport:
    created: list[str] = field(default_factory=list)  # paths inside the archive; folders end with "/"
    kept: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # existing, with what protokol needs added (.gitattributes)


def init_archive(root: Path, values: dict | None = None) -> InitReport:
    """Create what an archive needs in `root`, keeping every file that exists. `values` are settings
    (model values) written into a new protokol.yaml."""
    report = InitReport()
    root.mkdir(parents=True, exist_ok=True)
    for name in INIT_DIRS:
        folder = root / name
        if folder.is_dir():
            report.kept.append(name + "/")
        else:
            folder.mkdir(parents=True)
            report.created.append(name + "/")
    for name, content in INIT_FILES:
        path = root / name
        if path.exists():
            report.kept.append(name)
            continue
        text = content(values or {}) if callable(content) else content
        try:
            write_new(path, text)
            report.created.append(name)
        except FileExistsError:
            report.kept.append(name)
    return report


PRE_COMMIT_FILE = ".pre-commit-config.yaml"
TEXTCONV_ITEM = "git config diff.protokol.textconv"


def init_git_integration(root: Path, report: InitReport | None = None) -> InitReport:
    """For an archive inside a git repository: `.gitattributes` and `git config diff.protokol.textconv`, so that
    `git diff` shows protocols as text (gitreview.setup_git_integration), and a `.pre-commit-config.yaml` for the
    pre-commit tool. Safe to repeat: an existing .pre-commit-config.yaml is kept as it is, and .gitattributes only
    gets the protokol lines it lacks (its own lines stay)."""
    from . import gitreview

    report = report if report is not None else InitReport()
    attributes_existed = (root / ".gitattributes").exists()
    textconv_before = gitreview.get_config(root, "diff.protokol.textconv")
    done = gitreview.setup_git_integration(root)
    for name, existed in ((".gitattributes", attributes_existed), (TEXTCONV_ITEM, textconv_before is not None)):
        if name not in done:
            report.kept.append(name)
        else:
            (report.updated if existed else report.created).append(name)
    try:
        write_new(root / PRE_COMMIT_FILE, gitreview.PRE_COMMIT_CONFIG)
        report.created.append(PRE_COMMIT_FILE)
    except FileExistsError:
        report.kept.append(PRE_COMMIT_FILE)
    return report
