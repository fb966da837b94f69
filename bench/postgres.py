"""A throwaway PostgreSQL server in a temporary directory, for the soak: start, restart, measure.

It runs with the server's defaults (max_connections=100), as the postgres user when we are
root (PostgreSQL refuses to run as root). Its CPU time is read from /proc: the postmaster's own
and its reaped backends' (cutime, cstime), plus the backends still running.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

TICKS = os.sysconf("SC_CLK_TCK")


def server_bin() -> Path | None:
    """Where the PostgreSQL server programs are (pg_config --bindir, or Debian's path)."""
    try:
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if found.returncode == 0 and (Path(found.stdout.strip()) / "initdb").exists():
            return Path(found.stdout.strip())
    except OSError:
        pass
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    return None


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _cpu_of(pid: int, children_too: bool) -> float:
    """CPU seconds of one process (and of its reaped children when asked), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children_too:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICKS


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


class PostgresServer:
    """One server of our own; `dsn` reaches it. `restart()` stops it fast and starts it again."""

    def __init__(self) -> None:
        bindir = server_bin()
        if bindir is None:
            raise RuntimeError("PostgreSQL server programs not found (pg_config --bindir)")
        self.bin = bindir
        self.root = Path(tempfile.mkdtemp(prefix="qbtime-soak-pg-"))
        self.data = self.root / "data"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        initdb = [str(bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"]
        subprocess.run(_as_postgres([*initdb, "-E", "UTF8"]), check=True, capture_output=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.dsn = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.cpu_before = 0.0  # CPU seconds of the servers stopped so far
        self._process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        serve = [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port)]
        settings = [
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"unix_socket_directories={self.root}",
        ]
        self._process = subprocess.Popen(
            _as_postgres([*serve, *settings]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        import psycopg

        for _ in range(300):
            try:
                psycopg.connect(self.dsn, connect_timeout=1).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start")

    def postmaster(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def cpu_seconds(self) -> float:
        """CPU seconds of every server process so far, this one's and those stopped before."""
        pid = self.postmaster()
        if pid is None:
            return self.cpu_before
        live = sum(_cpu_of(child, False) for child in _children_of(pid))
        return self.cpu_before + _cpu_of(pid, True) + live

    def stop(self, mode: str = "fast") -> None:
        self.cpu_before = self.cpu_seconds()
        ctl = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]
        subprocess.run(_as_postgres(ctl), capture_output=True)
        if self._process is not None:
            self._process.wait(timeout=60)
            self._process = None

    def restart(self) -> None:
        """Stop fast (every session is cut, as a failover does) and start again."""
        self.stop()
        self.start()

    def query(self, sql: str) -> Any:
        """One value, on a short session of our own."""
        import psycopg

        with psycopg.connect(self.dsn, connect_timeout=5) as session:
            row = session.execute(sql).fetchone()
            return row[0] if row else None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
