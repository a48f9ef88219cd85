"""A throwaway PostgreSQL server for the tests: initdb in a temp folder, started on a free loopback
port, one fresh database per test. Runs as the 'postgres' system user when we are root."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass

import psycopg


def _bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else (os.path.dirname(shutil.which("initdb")) if shutil.which("initdb") else None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


@dataclass
class Server:
    bin_dir: str
    data_dir: str
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def new_database(self, template: str | None = None) -> str:
        """A new, empty database, or a copy of `template` (the name of a database nobody is connected to)."""
        name = "t_" + uuid.uuid4().hex[:12]
        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"{copy}')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(_as_owner([f"{self.bin_dir}/pg_ctl", "-D", self.data_dir, "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(os.path.dirname(self.data_dir), ignore_errors=True)


def start(durable: bool = False) -> Server | None:
    """durable: fsync on, as a real server runs (bench/crowd.py --postgres); the tests run without."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        return None
    root = tempfile.mkdtemp(prefix="eventtool-pg-")
    data = os.path.join(root, "data")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    subprocess.run(_as_owner([f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                              "--locale=C.UTF-8"]), check=True, capture_output=True)
    port = _free_port()
    subprocess.run(_as_owner([f"{bin_dir}/pg_ctl", "-D", data, "-w", "-l", os.path.join(root, "log"), "-o",
                              f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync={'on' if durable else 'off'} "
                              "-c max_connections=200",
                              "start"]), check=True, capture_output=True)
    return Server(bin_dir, data, port)
