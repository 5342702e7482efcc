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
            "heavy = [m for m in ('docx', 'docxtpl', 'jinja2', 'pytrovich', 'ruamel.yaml', 'icalendar') if m in sys.modules]\n"
            "print('HEAVY', heavy)\n")
    env = {"PATH": "/usr/bin:/bin", "LANG": "ru_RU.UTF-8", "PYTHONPATH": str(REPO / "src"), "COLUMNS": "120"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "HEAVY []" in result.stdout
    assert "Проверить файлы протоколов" in result.stdout
