"""A visitor of the running app that speaks Streamlit's own websocket protocol (what the browser's
JavaScript does, without a browser): open a page, read the widgets the server sent, fill some in and
press a button. Cheap enough to run 40 of them at once on a small machine, so that what is measured
is the server, not the clients.

    async with Visitor(base_url, source="127.0.0.7") as v:
        await v.open("aanmelden")
        await v.set("Naam", "Anna de Vries"); ...
        await v.press("Aanmelden")

Used by bench/crowd.py and by the two-replica test (tests/test_replicas.py).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import connect

# Element kinds that are widgets, and the WidgetState field their value goes in.
VALUE_FIELDS = {"text_input": "string_value", "text_area": "string_value", "checkbox": "bool_value",
                "selectbox": "string_value", "multiselect": "string_array_value", "radio": "int_value",
                "button": "trigger_value"}


@dataclass
class Widget:
    kind: str
    id: str
    label: str
    options: list[str] = field(default_factory=list)
    default: object = None  # what the browser shows (and sends) before anyone touches it


@dataclass
class Page:
    """What one run of the script sent: its widgets (by label) and the text of everything else."""
    widgets: dict[str, Widget] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    status: str = ""
    seconds: float = 0.0

    def text(self) -> str:
        return "\n".join(self.texts)


class Visitor:
    def __init__(self, base_url: str, source: str | None = None, timeout: float = 120):
        self.url = base_url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + "/_stcore/stream"
        self.source = source
        self.timeout = timeout
        self.values: dict[str, WidgetState] = {}
        self.page = Page()
        self.page_name = ""
        self.query = ""
        self._ws = None

    async def __aenter__(self) -> "Visitor":
        extra = {"local_addr": (self.source, 0)} if self.source else {}
        # The subprotocol carries the session's tokens in a browser; "streamlit" alone asks for a new one.
        self._ws = await connect(self.url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout,
                                 ping_interval=None, **extra)
        return self

    async def __aexit__(self, *exc) -> None:
        await self._ws.close()

    async def open(self, page_name: str, query: str = "") -> Page:
        """Load a page as a browser does on a first visit (or after following a link)."""
        self.page_name, self.query = page_name, query
        self.values.clear()
        return await self._rerun()

    async def set(self, label: str, value) -> None:
        """Fill in a widget of a form: nothing is sent until its button is pressed."""
        self._store(self._widget(label), value)

    async def choose(self, label: str, value) -> Page:
        """Change a widget outside a form: the browser sends it at once and the page runs again."""
        self._store(self._widget(label), value)
        return await self._rerun()

    def _store(self, widget: Widget, value) -> None:
        state = WidgetState(id=widget.id)
        kind = VALUE_FIELDS[widget.kind]
        if kind == "string_array_value":
            state.string_array_value.data.extend(value)
        else:
            setattr(state, kind, value)
        self.values[widget.id] = state

    async def press(self, label: str) -> Page:
        widget = self._widget(label)
        trigger = WidgetState(id=widget.id, trigger_value=True)
        return await self._rerun(extra=[trigger])

    def _widget(self, label: str) -> Widget:
        if label in self.page.widgets:
            return self.page.widgets[label]
        found = [w for name, w in self.page.widgets.items() if name.startswith(label)]
        if len(found) == 1:
            return found[0]
        raise KeyError(f"no one widget {label!r} on the page; there are {sorted(self.page.widgets)}")

    async def _rerun(self, extra: list[WidgetState] = ()) -> Page:
        states = WidgetStates(widgets=[*self.values.values(), *extra])
        msg = BackMsg(rerun_script={"query_string": self.query, "page_name": self.page_name, "widget_states": states})
        started = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        page = Page()
        while True:
            raw = await self._ws.recv()
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._read_element(fwd.delta.new_element, page)
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    page = Page()  # an st.rerun(): the page that counts comes next
                    continue
                page.status = status
                break
        page.seconds = time.perf_counter() - started
        self.page = page
        for widget in page.widgets.values():  # as the browser does: every widget sends its value
            if widget.id not in self.values and widget.default is not None:
                self._store(widget, widget.default)
        return page

    @staticmethod
    def _read_element(element, page: Page) -> None:
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind in VALUE_FIELDS:
            options = list(getattr(body, "options", []))
            default = None
            if kind == "checkbox":
                default = body.default
            elif kind == "multiselect":
                default = [options[i] for i in body.default]
            elif kind in ("text_input", "text_area", "selectbox") and body.HasField("default"):
                default = options[body.default] if kind == "selectbox" else body.default
            page.widgets[body.label] = Widget(kind, body.id, body.label, options, default)
        elif kind in ("markdown", "alert", "heading", "text"):
            page.texts.append(body.body)
