"""The one command that starts the app for the browser tests and the benchmarks: the README's
(./run.sh ends in `streamlit run serve.py`), with its .streamlit/config.toml, on a loopback port.
Nothing else is passed on the command line, so what is measured and tested is what people run; a
test that needs another setting sets it in the environment it passes to `start`, where it can be read
(tests/e2e/conftest.py: run_server's env)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def command(port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", "serve.py",
            "--server.port", str(port), "--server.address", "127.0.0.1"]


def start(port: int, env: dict, log) -> subprocess.Popen:
    # STREAMLIT_* variables would override the config without showing in the command: none is passed on.
    env = {k: v for k, v in env.items() if not k.startswith("STREAMLIT_")}
    return subprocess.Popen(command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
