"""The page's language: the visitor's choice (kept across logins), translated texts (`t`), the
switch in the sidebar, and <html lang> with Streamlit's own English labels put in that language."""
from __future__ import annotations

import json
from typing import Any

import streamlit as st

from eventtool.core.config import get_settings
from eventtool.core.i18n import LANGUAGES, translate


def lang() -> str:
    # Kept under a plain key, not the widget's: Streamlit drops a widget's state after a run that
    # did not draw it (a login moves on to another page mid-run), and the language went with it.
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", get_settings().default_language)
        st.session_state.lang = wanted if wanted in LANGUAGES else "nl"
    return st.session_state.lang


def t(key: str, **params: Any) -> str:
    return translate(key, lang(), **params)


def _language_chosen() -> None:
    st.session_state.lang = st.session_state.lang_choice


def language_switch() -> None:
    codes = list(LANGUAGES)
    if st.session_state.get("lang_choice") != lang():
        st.session_state.lang_choice = lang()
    st.selectbox("Taal / Language", codes, key="lang_choice", format_func=lambda code: LANGUAGES[code],
                 on_change=_language_chosen)


# Streamlit's frontend has no locale: these labels it writes in English whatever the page's
# language (i18n keys streamlit.*; the English text is exactly Streamlit's, which is what is matched).
_STREAMLIT_LABELS = ("skip", "sidebar", "collapse_sidebar", "expand_sidebar", "help", "help_for", "show_password",
                     "hide_password", "select_all", "select_matches", "clear_all", "remove", "choose_option",
                     "choose_options", "open", "clear_value", "no_results", "choose_date", "choose_date_range",
                     "clear_date", "clear_dates", "previous_month", "next_month", "increment", "decrement",
                     "enter_apply", "enter_submit", "download_csv", "search", "columns", "fullscreen",
                     "close_fullscreen", "calendar_hint", "choose_date_in")
# Those it also writes as visible text. A one-word label ("Open", "Search") is matched in the
# attributes of Streamlit's controls only, never in text, where an event or a name may be that word.
_STREAMLIT_TEXTS = {"skip", "select_all", "select_matches", "no_results", "enter_apply", "enter_submit",
                    "calendar_hint", "choose_date_in"}


def set_document_language() -> None:
    """<html lang> follows the chosen language, so screen readers pronounce Dutch as Dutch
    (WCAG 3.1.1); Streamlit's own labels are put in that language as it draws them (from any
    language into the chosen one, so switching back and forth works); and the heading anchors,
    "Link to heading" links that lead nowhere useful, are hidden. The script is fixed text; the
    data it gets (our language code and texts) is JSON inside it, so no text can end the script."""
    code = lang() if lang() in LANGUAGES else "nl"
    labels = [[translate(f"streamlit.{key}", other), translate(f"streamlit.{key}", code), key in _STREAMLIT_TEXTS]
              for key in _STREAMLIT_LABELS for other in LANGUAGES if other != code]
    data = json.dumps({"lang": code, "labels": labels}).replace("</", "<\\/")
    st.html(f"<style>[data-testid=stHeaderActionElements] a[href^='#'] {{display: none !important;}}</style>"
            f"<script>({_LANGUAGE_SCRIPT})({data});</script>", unsafe_allow_javascript=True, width="content")


_LANGUAGE_SCRIPT = """function (data) {
  document.documentElement.lang = data.lang;
  // A label is a text with at most one {hole}: Streamlit's "Help for {label}" carries the widget's label.
  function parts(text) {
    const open = text.indexOf('{'), close = text.indexOf('}', open);
    return open < 0 || close < 0 ? [text, null] : [text.slice(0, open), text.slice(close + 1)];
  }
  const labels = data.labels.map(([from, to, text]) => ({from: parts(from), to: parts(to), text: text}));
  function translated(value, inText) {
    for (const l of labels) {
      if (inText && !l.text) continue;
      const [head, tail] = l.from;
      if (tail === null) { if (value === head) return l.to[0]; continue; }
      if (value.length > head.length + tail.length && value.startsWith(head) && value.endsWith(tail)) {
        const hole = value.slice(head.length, value.length - tail.length);
        return l.to[1] === null ? l.to[0] : l.to[0] + hole + l.to[1];
      }
    }
    return null;
  }
  const ATTRIBUTES = ['aria-label', 'placeholder', 'title'];
  function element(el) {
    for (const name of ATTRIBUTES) {
      const value = el.getAttribute(name);
      const now = value && translated(value, false);
      if (now && now !== value) el.setAttribute(name, now);
    }
  }
  function text(node) {
    const value = node.nodeValue.trim();
    const now = value && translated(value, true);
    if (now && now !== value) node.nodeValue = node.nodeValue.replace(value, now);
  }
  function tree(root) {
    if (root.nodeType === Node.TEXT_NODE) return text(root);
    if (root.nodeType !== Node.ELEMENT_NODE || root.closest('script, style')) return;
    element(root);
    root.querySelectorAll('[aria-label], [placeholder], [title]').forEach(element);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) text(n);
  }
  // Streamlit (React) sets a label when it draws an element or changes the label ("Show password"
  // becomes "Hide password"), never otherwise: the observer puts each such change in our language.
  if (window.__eventtoolLabels) window.__eventtoolLabels.disconnect();
  const observer = new MutationObserver(function (records) {
    for (const r of records) {
      if (r.type === 'attributes') element(r.target);
      else if (r.type === 'characterData') text(r.target);
      else r.addedNodes.forEach(tree);
    }
  });
  tree(document.body);
  observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                                   attributeFilter: ATTRIBUTES});
  window.__eventtoolLabels = observer;
}"""
