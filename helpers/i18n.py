"""The helpers' user-facing strings in the learner's language, with the standard gettext machinery.

    from helpers.i18n import _, N_
    print(_("Root user"))                  # translated when it is used
    WHAT_TO_DO = {"X": N_("Do this.")}     # marked for extraction; translate with _() at use

Catalogues are ordinary gettext ``.po`` files in ``helpers/locale/<lang>/LC_MESSAGES/helpers.po``
(edited by translators, updated by ``tools/i18n.py helpers``). They are compiled in memory with
babel the first time a language is used, so there is no build step and no binary ``.mo`` file
to commit or forget to rebuild; the result is a standard ``gettext.GNUTranslations``.

The language, first match wins:

1. ``use_language("ja")`` called in this process (a notebook, a test);
2. the edition of the notebook being run: a kernel runs in its notebook's folder, so a kernel in
   ``notebooks/ja/`` (or a copy of it) speaks Japanese and one in ``notebooks/`` English,
   whatever the locale (the Japanese notebooks need no set-up cell);
3. ``TUTORIAL_LANG`` (``ja``, ``en``);
4. the locale: ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (``ja_JP.UTF-8`` -> ``ja``);
5. English.
"""

from __future__ import annotations

import gettext
import io
import os
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "helpers"
ENGLISH = "en"
_chosen: str | None = None


@cache
def available() -> tuple[str, ...]:
    """The languages with a catalogue, English (the source language) first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (ENGLISH, *found)


def _from_locale_name(value: str | None) -> str | None:
    """``ja_JP.UTF-8`` -> ``ja``; ``C``/``POSIX``/unknown -> None."""
    if not value:
        return None
    code = value.split(".", 1)[0].split("@", 1)[0].split("_", 1)[0].split("-", 1)[0].lower()
    return code if code in available() else None


def _from_notebook_folder() -> str | None:
    """The edition of the lessons in the current folder: a folder of lesson notebooks named
    after a language (``notebooks/ja/``, or a copy of it) is that edition; any other folder of
    lesson notebooks is English. None outside a lessons folder (a terminal, a test)."""
    try:
        return _edition_of(Path.cwd())
    except OSError:
        return None


@cache
def _edition_of(folder: Path) -> str | None:
    try:
        if not any(folder.glob("[0-9][0-9]_*.ipynb")):
            return None
    except OSError:
        return None
    return folder.name if folder.name in available() else ENGLISH


def current_language() -> str:
    if _chosen:
        return _chosen
    folder = _from_notebook_folder()
    if folder:
        return folder
    for variable in ("TUTORIAL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        language = _from_locale_name(os.environ.get(variable))
        if language:
            return language
    return ENGLISH


def use_language(language: str | None) -> None:
    """Speak ``language`` from now on in this process (None: choose again as described above)."""
    global _chosen
    if language is not None and language not in available():
        raise ValueError(f"no catalogue for {language!r}; available: {', '.join(available())}")
    _chosen = language


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue for ``language`` (English: the strings as written)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == ENGLISH or not path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """``message`` in the current language (itself when there is no translation)."""
    if not message:  # gettext("") is the catalogue's header, never what a caller means
        return message
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet (module-level constants)."""
    return message
