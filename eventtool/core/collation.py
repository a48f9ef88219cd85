"""Dutch list order: by surname, with the tussenvoegsel ('de', 'van der', 'in 't') left out of the
sort letter as Dutch lists do ("Bram de Boer" under B), then the given name; letters compared by
the Unicode Collation Algorithm (pyuca), so case and accents sort where a reader expects them
('é' with 'e', 'Ö' with 'O', lower case beside upper case), not after 'Z' as in code-point order."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

TUSSENVOEGSELS = frozenset({
    "van", "de", "der", "den", "het", "'t", "t", "ter", "te", "ten", "in", "op", "aan", "bij", "uit", "onder",
    "over", "voor", "tot", "'s", "d'", "l'", "la", "le", "du", "des", "vande", "vanden", "vander", "von", "zu",
})


@lru_cache(maxsize=1)
def _collator():
    from pyuca import Collator  # deferred: reads its table once (0.15 s), when the first list is sorted
    return Collator()


@lru_cache(maxsize=65536)  # lists are drawn again at every rerun (the door page at every tap)
def text_key(text: str | None) -> tuple:
    """Collation key of any text (an organisation's name, a title)."""
    return tuple(_collator().sort_key((text or "").strip()))


def split_name(name: str) -> tuple[str, str, str]:
    """(given names, tussenvoegsel, surname) of a name written as people write it. The surname
    starts at the first tussenvoegsel after the given name; without one it is the last word."""
    words = (name or "").split()
    if len(words) < 2:
        return "", "", " ".join(words)
    for i in range(1, len(words) - 1):
        if words[i].casefold() in TUSSENVOEGSELS:
            j = i
            while j < len(words) - 1 and words[j].casefold() in TUSSENVOEGSELS:
                j += 1
            return " ".join(words[:i]), " ".join(words[i:j]), " ".join(words[j:])
    return " ".join(words[:-1]), "", words[-1]


@lru_cache(maxsize=65536)
def name_key(name: str | None) -> tuple:
    """Sort key of a person's name: surname, then given names, then the tussenvoegsel."""
    given, particle, surname = split_name(name or "")
    return text_key(surname), text_key(given), text_key(particle)


def same_name(a: str | None, b: str | None) -> bool:
    """Whether two typed names are the same name, accents, case and spacing aside ("José  de Vries"
    and "jose de vries"). Empty names are never the same."""
    fold = [" ".join("".join(c for c in unicodedata.normalize("NFKD", n or "") if not unicodedata.combining(c))
                     .casefold().split()) for n in (a, b)]
    return bool(fold[0]) and fold[0] == fold[1]


# Name particles before a surname, Dutch and others ("da", "del"): a short name's initial is the
# surname's first letter after them.
INITIAL_PARTICLES = frozenset({"d'", "da", "de", "del", "della", "den", "der", "des", "di", "du", "het", "in", "la",
                               "le", "op", "'s", "'t", "te", "ten", "ter", "uit", "uijt", "van", "vd", "v.d.", "von",
                               "zu"})


def short_name(name: str | None) -> str:
    """The first name and the initial of the surname: "Anna de Vries" -> "Anna V.", "Jan Peter
    Balkenende" -> "Jan B.", "Kim van den Berg" -> "Kim B.", "Fatima" -> "Fatima", "" -> "".
    The surname starts at its first tussenvoegsel, or else is the last word; its initial is that of
    its first part that is not a tussenvoegsel."""
    words = (name or "").split()
    if len(words) < 2:
        return words[0] if words else ""
    rest = words[1:]
    start = next((i for i, w in enumerate(rest) if w.casefold() in INITIAL_PARTICLES), len(rest) - 1)
    surname = [w for w in rest[start:] if w.casefold() not in INITIAL_PARTICLES] or rest[-1:]
    letters = [c for c in surname[0] if c.isalpha()] or [surname[0][0]]
    return f"{words[0]} {letters[0].upper()}."
