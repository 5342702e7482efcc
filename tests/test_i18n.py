"""Messages follow the user's language: every message in the code has a Russian translation, and the locale picks it."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO
from protokol.i18n import language_from_environment

sys.path.insert(0, str(REPO / "scripts"))
import compile_messages  # noqa: E402
import extract_messages  # noqa: E402


def test_every_message_in_the_code_has_a_russian_translation():
    missing = extract_messages.missing("ru")
    assert missing == {}, "run `python scripts/extract_messages.py ru` and translate:\n" + "\n".join(
        f"{file}:{line}: {key!r}" for key, (file, line) in missing.items())


def test_translations_keep_the_placeholders():
    placeholder = re.compile(r"\{[^}]*\}")
    catalogue = extract_messages.catalogue("ru")
    for msgid, msgstr in catalogue.items():
        if not msgid:
            continue
        for singular_or_plural, translated in zip(msgid.split("\0") * 3, msgstr.split("\0"), strict=False):
            assert sorted(placeholder.findall(singular_or_plural)) == sorted(placeholder.findall(translated)), msgid


def test_compiled_catalogue_is_up_to_date():
    assert compile_messages.main(["--check"]) == 0, "run `make messages`"


def test_locale_chooses_the_language():
    assert language_from_environment({"LANG": "ru_RU.UTF-8"}) == "ru"
    assert language_from_environment({"LANG": "en_US.UTF-8"}) == "en"
    assert language_from_environment({"LC_ALL": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}) == "ru"
    assert language_from_environment({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}) == "en"
    assert language_from_environment({}) == "en"


def _protokol(*args, env_lang="C.UTF-8"):
    env = {"PATH": "/usr/bin:/bin", "LANG": env_lang, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "protokol", *args], capture_output=True, text=True, env=env, cwd=REPO)


def test_russian_locale_gives_russian_messages_and_lang_overrides_it():
    bad = str(REPO / "tests/data/checks/schema-unknown-key.yaml")
    ru = _protokol("check", bad, env_lang="ru_RU.UTF-8")
    assert "Неизвестный ключ «срок»" in ru.stdout and "подсказка" in ru.stdout
    en = _protokol("--lang", "en", "check", bad, env_lang="ru_RU.UTF-8")
    assert "Unknown key 'срок'" in en.stdout
    assert ru.returncode == en.returncode == 1


def test_help_is_translated_and_loads_nothing_heavy():
    code = ("import sys; sys.argv=['protokol','--help']\n"
            "from protokol.cli.main import run\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('docx', 'docxtpl', 'jinja2', 'pytrovich', 'ruamel.yaml', 'icalendar', 'xlsxwriter',\n"
            "                      'matplotlib', 'sqlite3') if m in sys.modules]\n"
            "print('HEAVY', heavy)\n")
    env = {"PATH": "/usr/bin:/bin", "LANG": "ru_RU.UTF-8", "PYTHONPATH": str(REPO / "src"), "COLUMNS": "120"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "HEAVY []" in result.stdout
    assert "Проверить файлы протоколов" in result.stdout


def _program(args: list[str], cwd, lang_env: str):
    import os
    import subprocess
    import sys

    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": lang_env}
    code = "import sys\nfrom protokol.cli.main import run\nrun(sys.argv[1:])\n"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_archives_language_setting_chooses_the_language(tmp_path):
    """`language: ru` in protokol.yaml speaks Russian in an English locale; --lang still wins for one command."""
    archive = tmp_path / "archive"
    (archive / "protocols").mkdir(parents=True)
    (archive / "protokol.yaml").write_text("# настройки\nlanguage: 'ru'  # язык сообщений\n", encoding="utf-8")
    (archive / "protocols" / "broken.yaml").write_text("date: 2024-13-01\n", encoding="utf-8")
    russian = _program(["check"], archive, "C.UTF-8")
    assert "нет в календаре" in russian.stdout + russian.stderr
    english = _program(["--lang", "en", "check"], archive, "C.UTF-8")
    assert "is not a day of the calendar" in english.stdout + english.stderr
    elsewhere = _program(["due", "--root", str(archive)], tmp_path, "C.UTF-8")  # the archive named by --root
    assert "нет в календаре" in elsewhere.stdout + elsewhere.stderr
    (archive / "protokol.yaml").write_text("language: en\n", encoding="utf-8")
    assert "is not a day of the calendar" in _program(["check"], archive, "ru_RU.UTF-8").stdout
