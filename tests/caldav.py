"""A real CalDAV server for the tests: Radicale on a free loopback port, with a small client that
makes calendars, PUTs, DELETEs and reads back what the server holds."""
from __future__ import annotations

import base64
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote


class Radicale:
    def __init__(self, root: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        (root / "config").write_text(f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = none\n"
                                     f"[rights]\ntype = owner_only\n[storage]\nfilesystem_folder = {root / 'collections'}\n"
                                     f"[logging]\nlevel = warning\n")
        self.proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(root / "config")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.base = f"http://127.0.0.1:{port}"
        self.auth = "Basic " + base64.b64encode(b"tester:x").decode()
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def request(self, method: str, url: str, data: bytes | None = None, **headers) -> tuple[int, bytes]:
        req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": self.auth, **headers})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def calendar(self, name: str) -> str:
        """A new calendar collection; returns its URL."""
        url = f"{self.base}/tester/{quote(name, safe='')}/"
        status, body = self.request("MKCALENDAR", url)
        assert status == 201, (status, body)
        return url

    def put(self, url: str, data: bytes) -> int:
        return self.request("PUT", url, data, **{"Content-Type": "text/calendar; charset=utf-8"})[0]

    def items(self, calendar: str) -> dict[str, bytes]:
        """Every resource the collection holds, by its href."""
        status, body = self.request("PROPFIND", calendar, b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop>'
                                    b'<getetag/></prop></propfind>', Depth="1", **{"Content-Type": "application/xml"})
        assert status == 207, (status, body)
        hrefs = [h for h in re.findall(r"href>([^<]+)</", body.decode()) if h.endswith(".ics")]
        out = {}
        for href in hrefs:
            status, data = self.request("GET", self.base + href)
            assert status == 200, (status, href)
            out[href] = data
        return out
