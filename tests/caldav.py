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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Radicale:
    ATTEMPTS = 4  # ports tried: one can be taken between choosing it and Radicale binding it
    START_SECONDS = 30  # per attempt, for a Radicale that runs but does not answer yet

    def __init__(self, root: Path):
        self.auth = "Basic " + base64.b64encode(b"tester:x").decode()
        failures = []
        for attempt in range(1, self.ATTEMPTS + 1):
            port = _free_port()
            (root / "config").write_text(f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = none\n"
                                         f"[rights]\ntype = owner_only\n[storage]\nfilesystem_folder = "
                                         f"{root / 'collections'}\n[logging]\nlevel = warning\n")
            log = root / f"radicale-{attempt}.log"  # a file, not a pipe nobody reads that could fill up
            with log.open("wb") as out:
                self.proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(root / "config")],
                                             stdout=subprocess.DEVNULL, stderr=out)
            self.base = f"http://127.0.0.1:{port}"
            if self._answers():
                return
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(timeout=10)
            failures.append(f"port {port}: exit code {self.proc.returncode}\n{log.read_text(errors='replace').strip()}")
        raise RuntimeError(f"Radicale did not start ({self.ATTEMPTS} ports tried):\n" + "\n".join(failures))

    def _answers(self) -> bool:
        """Whether this Radicale answers as a CalDAV server; False as soon as it has exited (its port
        was taken, say) or when it has not answered in START_SECONDS. Another program that listens on
        the port is no answer: only a reply that offers calendar-access counts."""
        deadline = time.monotonic() + self.START_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            req = urllib.request.Request(self.base + "/", method="OPTIONS", headers={"Authorization": self.auth})
            try:
                with urllib.request.urlopen(req, timeout=0.5) as resp:
                    if "calendar-access" in resp.headers.get("DAV", ""):
                        return self.proc.poll() is None
            except (OSError, urllib.error.HTTPError):
                pass
            time.sleep(0.05)
        return False

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
