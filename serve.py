"""The web server: the Streamlit app (app.py, the router) with one plain HTTP route beside it, the
one-click unsubscribe of a reminder or survey mail (List-Unsubscribe-Post, RFC 8058), which a mail
program POSTs to without a browser. Start it with `streamlit run serve.py` (./run.sh does; the
end-to-end tests and bench/crowd.py too): Streamlit finds `app` below and serves app.py on its own
Starlette server, with the same .streamlit/config.toml, flags, pages and sessions as
`streamlit run app.py`.

GET shows what the link switches off and a button; only POST (the mail program's, or that button)
changes something, so a link scanner that opens every link in a mail switches nothing off. A
request runs domain functions (eventtool.results.unsubscribe), each in its own transaction, on the
process's one Database, the one the pages use (ui.get_db -> eventtool.startup); only a POST with a
real token that still has something to switch off begins a write transaction."""
from __future__ import annotations

import logging

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from eventtool import startup
from eventtool.core.errors import NotFound
from eventtool.messages import links
from eventtool.results import unsubscribe

log = logging.getLogger("eventtool.serve")
# The token is the link's whole secret: not passed on, kept or indexed anywhere.
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex",
           "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; "
           "style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"}


def _answer(token: str, post: bool) -> tuple[int, str]:
    # Anyone can POST here: what cannot be a token of ours is answered without the store, and a write
    # transaction (on SQLite BEGIN IMMEDIATE, the lock every sign-up waits for) is begun only for a
    # real token with something still to switch off.
    if not links.well_formed(token):
        return 404, unsubscribe.page("unknown")
    db = startup.database()
    try:
        if post:  # any POST: RFC 8058's body (form data or url-encoded) or the page's own button
            what, on = db.read(unsubscribe.still_on, token)
            if on:
                what = db.write(unsubscribe.unsubscribe, token)
            return 200, unsubscribe.page("done", what)
        return 200, unsubscribe.page("ask", db.read(unsubscribe.look, token))
    except NotFound:
        return 404, unsubscribe.page("unknown")
    except Exception:  # noqa: BLE001 - the person (or mail program) gets a short page, the log the trace
        log.exception("unsubscribe failed")
        return 500, unsubscribe.page("failed")


async def unsubscribe_link(request: Request) -> HTMLResponse:
    status, html = await run_in_threadpool(_answer, request.path_params["token"], request.method == "POST")
    return HTMLResponse(html, status_code=status, headers=HEADERS)


_base = (st.get_option("server.baseUrlPath") or "").strip("/")
app = st.App("app.py", routes=[Route(f"{'/' + _base if _base else ''}/{links.UNSUBSCRIBE_PATH}/{{token}}",
                                     unsubscribe_link, methods=["GET", "POST"])])
