"""What keeps Streamlit's own parts in the page's language without a browser (tests/e2e/test_language.py
shows it in Chromium): the labels ui puts in our language are the ones Streamlit's build writes, and
every date field shows the Dutch order."""
import ast
import re
from pathlib import Path

import streamlit

from eventtool.core.i18n import MESSAGES
from ui import language

ROOT = Path(__file__).resolve().parent.parent
BUILD = Path(streamlit.__file__).parent / "static" / "static" / "js"
# Labels put together from pieces: "Press Enter to ${e}", e = `apply` or `submit form`; the
# calendar's grid is named by react-aria from its label and the month shown ("Choose date, december 2026").
COMPOSED = {"enter_apply": ["`Press Enter to ${", "`apply`"], "enter_submit": ["`Press Enter to ${", "`submit form`"],
            "choose_date_in": ["`Choose date`"]}


def test_every_streamlit_label_is_one_streamlit_writes():
    """The script matches Streamlit's English exactly: after an upgrade that rewords a label, this
    names the label instead of it quietly staying English."""
    source = "".join(path.read_text(encoding="utf-8", errors="replace") for path in BUILD.glob("*.js"))
    for key in language._STREAMLIT_LABELS:
        if key in COMPOSED:
            assert all(piece in source for piece in COMPOSED[key]), key
            continue
        english = MESSAGES["en"][f"streamlit.{key}"]
        # "Help for {label}" is written as a template literal: `Help for ${...}`.
        pattern = re.escape(english).replace(re.escape("{label}"), r"\$\{[^}]+\}").replace(
            re.escape("{count}"), r"\$\{[^}]+\}")
        assert re.search("`" + pattern + "`", source), key
        assert MESSAGES["nl"][f"streamlit.{key}"] != english, key
    assert language._STREAMLIT_TEXTS <= set(language._STREAMLIT_LABELS)


def test_every_date_field_shows_day_month_year():
    """Streamlit's default is YYYY/MM/DD; a date field without format= would show it."""
    calls = []
    for path in [ROOT / "app.py", *ROOT.glob("views/*.py"), *ROOT.glob("ui/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "date_input", "datetime_input", "DateColumn", "DatetimeColumn"):
                fmt = next((k.value.value for k in node.keywords if k.arg == "format"
                            and isinstance(k.value, ast.Constant)), None)
                calls.append((path.name, node.lineno, fmt))
    assert calls
    assert [c for c in calls if c[2] is None or not c[2].startswith("DD-MM-YYYY")] == []
