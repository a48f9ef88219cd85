"""What a running plan reports (its progress) and reads (a stop), whether it runs in this process
or in a child of its own (`background`)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass
class Progress:
    step: str = "start"
    total: int | None = None
    bound: int | None = None
    seconds: float = 0.0


class Watch:
    """What a running plan reports and reads: `report(...)` after each step that found something,
    `clock()` wherever it reads the time (after a stop, the clock says every deadline has passed)."""

    def __init__(self, report=None):
        self._stop = threading.Event()
        self._report = report

    def stop(self) -> None:
        self._stop.set()

    @property
    def stop_event(self) -> threading.Event:
        """For CP-SAT: a watcher stops its search when this is set."""
        return self._stop

    def clock(self) -> float:
        return float("inf") if self._stop.is_set() else time.perf_counter()

    def report(self, step: str, total: int, bound: int, seconds: float) -> None:
        if self._report is not None:
            self._report(Progress(step, total, bound, round(seconds, 2)))
