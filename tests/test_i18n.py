import re
from pathlib import Path

from eventtool.i18n import MESSAGES, translate
from eventtool.vocab import REGIONS, SECTORS, Audience, EventKind, EventStatus, RegStatus, SupportNeed, TargetGroup

ROOT = Path(__file__).resolve().parent.parent


def test_both_languages_have_the_same_keys_and_placeholders():
    nl, en = MESSAGES["nl"], MESSAGES["en"]
    assert set(nl) == set(en)
    for key in nl:
        assert set(re.findall(r"{(\w+)}", nl[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_no_key_is_written_twice():
    """In a dict literal a second entry with the same key silently replaces the first: one text
    would then show where the other was meant (it happened: a status line showed a form label)."""
    import ast
    for lang in ("nl", "en"):
        tree = ast.parse((ROOT / "eventtool" / "i18n" / f"{lang}.py").read_text(encoding="utf-8"))
        keys = [k.value for node in ast.walk(tree) if isinstance(node, ast.Dict)
                for k in node.keys if isinstance(k, ast.Constant)]
        assert sorted({k for k in keys if keys.count(k) > 1}) == [], lang


def test_every_key_used_in_code_exists():
    used = set()
    # The mail templates (eventtool/messages/templates/*.j2) call t("...") too.
    for path in list(ROOT.glob("views/*.py")) + list(ROOT.glob("eventtool/**/*.py")) + [ROOT / "app.py"] \
            + list(ROOT.glob("ui/*.py")) + list(ROOT.glob("eventtool/**/*.j2")):
        src = path.read_text()
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z_0-9.]+)"', src))
        used |= set(re.findall(r'(?:DomainError|NotFound|_err|flash = |reason=)\(?\s*"([a-z_]+\.[a-z_0-9]+)"', src))
    missing = sorted(k for k in used if k not in MESSAGES["nl"])
    assert not missing


def test_every_vocabulary_value_has_a_label():
    for prefix, values in [("kind", EventKind), ("event_status", EventStatus), ("status", RegStatus),
                           ("audience", Audience), ("need", SupportNeed), ("target", TargetGroup), ("sector", SECTORS)]:
        for value in values:
            assert f"{prefix}.{value}" in MESSAGES["nl"], (prefix, value)
    assert len(REGIONS) == 35


def test_translate_falls_back_and_formats():
    assert translate("field.too_long", "en", max=5) == "This is too long. Use at most 5 characters."
    assert translate("field.too_long", "nl", max=5).startswith("Dit is te lang")
    assert translate("no.such.key", "en") == "no.such.key"
    assert translate("field.too_long", "fr", max=1) == translate("field.too_long", "nl", max=1)
