"""Translations. Dutch is the default; English is switchable. A missing key shows the key itself
(so a gap is visible, never a crash); tests keep both languages complete."""
from __future__ import annotations

from . import en, nl

LANGUAGES = {"nl": "Nederlands", "en": "English"}
MESSAGES = {"nl": nl.MESSAGES, "en": en.MESSAGES}


def translate(key: str, lang: str = "nl", **params) -> str:
    text = MESSAGES.get(lang, nl.MESSAGES).get(key) or nl.MESSAGES.get(key) or key
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text
