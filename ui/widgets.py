"""Page building blocks: user text made safe for markdown (`plain`), labels for codes, events and
people, the event choosers, tabs that stay on the chosen one, tables, and download buttons that
make their file on the click."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Callable

import streamlit as st

from eventtool.core import audit
from eventtool.core.timeutil import fmt_local, to_local

from .language import t
from .session import get_db


def label(vocab: str, code: str | None) -> str:
    return t(f"{vocab}.{code}") if code else ""


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)")
_WORD_JOINER = "\u2060"


def plain(text: str | None) -> str:
    """User text made inert for st.markdown: every markdown character escaped, so a name like
    '**x** [link](…)' or '<script>' shows exactly as typed. Streamlit's markdown also turns bare
    web and e-mail addresses into links *after* escapes are resolved ('http\\://x' still becomes
    one), so an invisible word joiner is put where such an address would start to match."""
    text = _AUTOLINK.sub(_WORD_JOINER, text or "")
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


# The characters that make markup inside one line of a widget's label (emphasis, code, links and
# images, strikethrough, LaTeX, colours and icons, html); those that do so only at a line's start
# (lists, headings) cannot, inside a sentence.
_MD_INLINE = set("\\`*_[]<>~$:")


def plain_label(text: str | None) -> str:
    """User text inside a sentence that labels a widget (a radio's question with a person's name):
    made inert as plain() does, but escaping only what makes markup inside a line. Streamlit gives
    the label, backslashes and all, to screen readers as the widget's name (aria-label): plain() made
    "Anna V." read as "Anna V\\."."""
    text = _AUTOLINK.sub(_WORD_JOINER, text or "")
    return "".join("\\" + c if c in _MD_INLINE else c for c in text)


def choose_event(candidates: list, key: str, empty_message: str):
    """A select box of events that opens on the one happening now or next (the last one when all
    are past); stops the page with a message when there is none."""
    if not candidates:
        st.info(t(empty_message))
        st.stop()
    by_id = {e.id: e for e in candidates}
    now = datetime.now(candidates[0].ends_at.tzinfo)
    current = next((e.id for e in candidates if e.ends_at >= now), candidates[-1].id)
    event_id = st.selectbox(t("events.choose"), list(by_id), index=list(by_id).index(current),
                            format_func=lambda i: event_label(by_id[i]), key=key)
    return by_id[event_id]


def overview_label(row: dict) -> str:
    """A row of events.overview as the staff pages name it: date and title."""
    return f"{to_local(row['starts_at']):%d-%m-%Y} · {row['title']}"


def choose_overview_event(rows: list[dict], key: str, default_last: bool = True) -> tuple[int, dict[int, dict]]:
    """A select box over events.overview rows; keeps the chosen event, else opens on the last (or
    first) one. Returns the chosen id and the rows by id."""
    by_id = {r["id"]: r for r in rows}
    ids = list(by_id)
    current = st.session_state.get(key)
    index = ids.index(current) if current in by_id else (len(ids) - 1 if default_last else 0)
    chosen = st.selectbox(t("events.choose"), ids, index=index, key=key, format_func=lambda i: overview_label(by_id[i]))
    return chosen, by_id


def choose_open_event(items: dict, key: str):
    """The event to sign up for; the one chosen on the agenda (or in ?event=) comes preselected."""
    wanted = st.session_state.get("register_event") or st.query_params.get("event")
    ids = list(items)
    index = ids.index(int(wanted)) if wanted and str(wanted).isdigit() and int(wanted) in items else 0
    event_id = st.selectbox(t("js.event"), ids, index=index, format_func=lambda i: event_label(items[i].event), key=key)
    return items[event_id]


def event_label(event) -> str:
    return f"{fmt_local(event.starts_at)} · {event.title}"


def tabs(key: str, labels: list[str]) -> list:
    """Tabs that stay on the one the organiser chose across the reruns that actions cause, and run
    only the open one (`tab.open`)."""
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)
    return st.tabs(labels, key=key, on_change="rerun")


def table(df, **kwargs):
    """st.dataframe where a missing value shows as an empty cell, never 'None'."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", "")
    return st.dataframe(df, **kwargs)


def person_label(name: str, contact: str | None = None, person_id: int | None = None) -> str:
    """Two people with the same name stay apart: the contact (or a short id) stands beside the name."""
    extra = contact or (f"#{person_id}" if person_id is not None else "")
    return f"{name} · {extra}" if extra else name


def download(label: str, build: Callable[[], bytes | str], *, file_name: str, key: str, mime: str | None = None,
             audit_as: tuple[str, str] | None = None, where=None, **kwargs) -> None:
    """A download button whose file is made when it is clicked, without a rerun of the page.

    A click that also reran the page drew the button anew while its file was still being made;
    on a busy machine the browser then got no file at all. The access to personal data is
    recorded when the file is made (the click), for the staff member who saw the button."""
    user, db = st.session_state.get("user"), get_db()

    def make() -> bytes | str:
        data = build()
        if audit_as and user:
            db.write(audit.record, user["email"], *audit_as)
        return data

    (where or st).download_button(label, make, file_name=file_name, mime=mime, key=key, on_click="ignore", **kwargs)
