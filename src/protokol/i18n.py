"""Message language: protokol's gettext catalogues, for the language the program chose.

Importing this (or any protokol module) changes nothing in the process: no environment variable, no gettext global
domain, no locale. Until `set_language` is called the library speaks English; the program (cli/main.py) calls it
once, with --lang, the archive's `language:` setting or the locale (ru_* gives Russian, anything else English)."""

from __future__ import annotations

import gettext as _gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "protokol"
LANGUAGES = ("ru", "en")

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """The language the user's locale asks for, following POSIX precedence (LC_ALL, LC_MESSAGES, LANG)."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "ru" if value.lower().startswith("ru") else "en"
    return "en"


def set_language(lang: str | None) -> str:
    """Switch every later message of protokol to `lang` ("ru" or "en"; None means from the locale).

    Only protokol's own lookups change: the words Typer looks up through the stdlib's gettext are routed to these
    catalogues by cli/localize.py."""
    global _translation, _language
    _language = lang or language_from_environment()
    if _language == "en":
        _translation = _gettext.NullTranslations()
    else:
        _translation = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)
    return _language


def current_language() -> str:
    return _language


def gettext(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


_ = gettext
