"""Planning in a process of its own, with progress and a stop.

A plan takes up to its time limit (two minutes at most in the app) and keeps a CPU core busy,
much of it in Python (building the small exact models of the neighbourhood search). In a thread of
the app it would hold the interpreter lock and slow every other visitor of that process; in a
process of its own it does not. The child (`python -m eventtool.planning.background`) reads the
instance in the exchange format on its standard input, writes its progress (best total, bound,
seconds) as JSON lines, and the plan as the last line. A line 'stop' on its input, or its input
closing (the app went away), makes it return the best plan found so far within a moment.

A plain child process, not multiprocessing: that re-imports the parent's main module in the child,
and the parent is Streamlit's runner (or pytest), not something to run twice."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

from . import solver
from .instance import Instance, Meeting, parse_instance
from .watch import Progress, Watch

ROOT = Path(__file__).resolve().parents[2]  # where `eventtool` is importable from


class Run:
    """One plan being made in a child process; a thread of ours reads what it says."""

    def __init__(self, inst: Instance, time_limit: float):
        self.started = time.monotonic()
        self.progress = Progress()
        self.result = None  # a solver.Plan
        self.error: str | None = None
        self._stopping = False
        self._done = threading.Event()
        # The limit counts from now: the child's start (imports, reading the instance: half a second
        # or more) comes off its planning time, so the app has the plan within the limit.
        deadline = time.time() + time_limit
        self._process = subprocess.Popen([sys.executable, "-m", "eventtool.planning.background", str(time_limit),
                                          repr(deadline)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         text=True, bufsize=1, cwd=ROOT)
        self._process.stdin.write(json.dumps(inst.to_json()) + "\n")
        self._process.stdin.flush()
        threading.Thread(target=self._read, daemon=True, name="plan-reader").start()

    def stop(self) -> None:
        self._stopping = True
        try:
            self._process.stdin.write("stop\n")
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass  # it has ended already

    @property
    def stopping(self) -> bool:
        return self._stopping

    def wait(self, timeout: float | None = None) -> bool:
        """True when the child has ended (with a plan in `result`, or an `error`)."""
        return self._done.wait(timeout)

    def _read(self) -> None:
        try:
            for line in self._process.stdout:
                message = json.loads(line)
                if "progress" in message:
                    self.progress = Progress(**message["progress"])
                elif "plan" in message:
                    plan = message["plan"]
                    self.result = solver.Plan([Meeting(*m) for m in plan.pop("meetings")], **plan)
            self._process.wait()
            if self.result is None:
                self.error = f"exit code {self._process.returncode}: {self._process.stderr.read()[-2000:]}"
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, the waiting side hears of it
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            try:
                self._process.stdin.close()
            except OSError:
                pass
            self._done.set()


# Writing the plan and the parent reading it: milliseconds for 5,000 people; the rest is margin.
HAND_BACK_SECONDS = 0.1


def _main() -> None:
    """The child: instance in, progress and plan out."""
    time_limit = float(sys.argv[1])
    inst = parse_instance(json.loads(sys.stdin.readline()))
    if len(sys.argv) > 2:  # the parent's deadline (wall clock): what starting took comes off
        time_limit = max(min(time_limit, float(sys.argv[2]) - time.time() - HAND_BACK_SECONDS), 0.0)

    def say(message: dict) -> None:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    watch = Watch(lambda p: say({"progress": asdict(p)}))

    def listen() -> None:
        for line in sys.stdin:  # 'stop', or the end of the input when the app went away
            if line.strip() == "stop":
                break
        watch.stop()
    threading.Thread(target=listen, daemon=True).start()
    result = solver.plan(inst, time_limit=time_limit, watch=watch)
    say({"plan": {"meetings": [[m.jobseeker_id, m.employer_id, m.round] for m in result.meetings],
                  "total": result.total, "upper_bound": result.upper_bound, "optimal": result.optimal,
                  "seconds": result.seconds, "method": result.method}})


if __name__ == "__main__":
    _main()
