"""Translations from gettext catalogues: locale/<lang>/LC_MESSAGES/messages.po, one per language.
Dutch is the default; English is switchable. The message ids are keys ("nav.agenda"), so the Dutch
catalogue has its texts in msgstr as well. A text's {name} placeholders are filled after the lookup
(str.format). A missing key shows the key itself (so a gap is visible, never a crash); tests/test_i18n.py
keeps both catalogues complete, used and free of fuzzy entries.

The catalogues are read with Babel when this module is imported (about 15-20 ms for both, see the
README); a text with counts has plural forms (msgid_plural), chosen by the catalogue's Plural-Forms.
Babel also writes the names of days and months and the numbers (format_long_date, format_number,
format_percent): the texts hold no weekday or month names and no decimal separators."""
from __future__ import annotations

import gettext
import math
import numbers
from datetime import date, datetime, time
from pathlib import Path

from babel.dates import format_date, format_time
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.numbers import format_percent as _format_percent

LANGUAGES = {"nl": "Nederlands", "en": "English"}
# The Babel locale of each language: its names of days and months, its decimal comma or point.
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# When a text with plural forms is looked up through translate(), the first of these parameters that
# is given is the count that chooses the form (the domain's errors carry their count under these names).
COUNT_PARAMS = ("n", "count", "seconds", "minutes", "days")


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


def _load(lang: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]], object]:
    with catalogue_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    texts: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:  # the header; fuzzy entries are not used (as msgfmt)
            continue
        if message.pluralizable:
            forms = tuple(message.string)
            if all(forms):
                plurals[message.id[0]] = forms
                texts[message.id[0]] = forms[-1]
        elif message.string:
            texts[message.id] = message.string
    return texts, plurals, gettext.c2py(catalog.plural_expr)


_LOADED = {lang: _load(lang) for lang in LANGUAGES}
# {lang: {key: text}}; for a text with plural forms, its last (plural) form.
MESSAGES = {lang: loaded[0] for lang, loaded in _LOADED.items()}
PLURALS = {lang: loaded[1] for lang, loaded in _LOADED.items()}


def _format(text: str, params: dict) -> str:
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text


def _plural(key: str, n: int, lang: str) -> str | None:
    for code in (lang, "nl") if lang in _LOADED else ("nl",):
        _, plurals, form = _LOADED[code]
        if key in plurals:
            return plurals[key][min(form(abs(int(n))), len(plurals[key]) - 1)]
    return None


def _text(key: str, lang: str) -> str:
    """The text of `key` in `lang`, else in Dutch, else the key itself (a gap shows, never a crash)."""
    return MESSAGES.get(lang, MESSAGES["nl"]).get(key) or MESSAGES["nl"].get(key) or key


def _count(params: dict) -> int | None:
    for name in COUNT_PARAMS:
        value = params.get(name)
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):  # numpy's integers too
            return int(value)
        if isinstance(value, numbers.Real):  # a whole number counts as one; 1.5 takes the form for many
            return int(value) if float(value).is_integer() else 2
    return None


def translate(key: str, lang: str = "nl", **params) -> str:
    count = _count(params)
    text = _plural(key, count, lang) if count is not None else None
    if text is None:
        text = _text(key, lang)
    return _format(text, params)


def translate_plural(singular: str, plural: str, n: int, lang: str = "nl", /, **params) -> str:
    """ngettext: the form of `singular`'s entry that the language's plural rule gives for n. Without
    an entry, the text of `singular` (n == 1) or `plural` (otherwise), as a key would show itself.
    Positional-only, so that a text's own {n} can be passed as n=..."""
    text = _plural(singular, n, lang)
    if text is None:
        key = singular if n == 1 else plural
        text = _text(key, lang)
    return _format(text, params)


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["nl"])


def format_long_date(day: date | datetime, lang: str = "nl") -> str:
    """'woensdag 9 december 2026', 'Wednesday 9 December 2026' (of the date as given: pass local time)."""
    return format_date(day, "EEEE d MMMM y", locale=_locale(lang))


def format_clock(moment: datetime | time, lang: str = "nl") -> str:
    """'10:00': the 24-hour clock in both languages (as given: pass local time)."""
    return format_time(moment, "HH:mm", locale=_locale(lang))


def format_number(value: float, lang: str = "nl", decimals: int | None = None) -> str:
    """With `decimals`: that many places and the language's grouping ('1.234,50', '1,234.50');
    without: as a spreadsheet's cell, no grouping, at most four significant digits below 1,000
    ('0,42', '12,35'), whole from 1,000 up ('27614': every digit of the whole part, never rounded
    to look exact), '0' for zero and nothing for what is not a number."""
    if decimals is not None:
        return format_decimal(value, "#,##0" + ("." + "0" * decimals if decimals else ""), locale=_locale(lang))
    if not math.isfinite(value):
        return ""
    if value == 0:
        return "0"  # (Babel's significant-digit pattern writes 0,0 and -0,0)
    if abs(value) >= 1000:
        return format_decimal(round(value), "0", locale=_locale(lang))
    return format_decimal(value, "@###", locale=_locale(lang))


def format_percent(share: float, lang: str = "nl") -> str:
    """0.42 -> '42%' (whole percents)."""
    return _format_percent(share, locale=_locale(lang))
