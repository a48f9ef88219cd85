"""The test CalDAV server (tests/caldav.py) starts or says why not: a port taken between choosing
it and Radicale binding it is tried again on another port; a Radicale that cannot start is an
error carrying its output, not a server that silently is not there."""
from __future__ import annotations

import socket
import sys
import time

import pytest

from .. import caldav


def test_a_radicale_that_cannot_start_is_an_error_with_its_output(tmp_path, monkeypatch):
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'kaputt: geen radicale hier' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(broken))
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="kaputt: geen radicale hier"):
        caldav.Radicale(tmp_path)
    assert time.monotonic() - started < 5  # it exited: no waiting for a port that will never open


def test_a_port_taken_before_radicale_binds_it_is_tried_again(tmp_path, monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()  # someone else's server: connecting works, Radicale's bind does not
        port = taken.getsockname()[1]
        ports = iter([port])
        free = caldav._free_port
        monkeypatch.setattr(caldav, "_free_port", lambda: next(ports, None) or free())
        server = caldav.Radicale(tmp_path)
        try:
            assert not server.base.endswith(f":{port}")
            assert server.calendar("probe").startswith(server.base)
        finally:
            server.stop()
