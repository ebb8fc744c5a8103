"""A throw-away ``redis-server`` on 127.0.0.1, for the distributed-mode tests and benchmarks.

No persistence (``--save ''``, ``--appendonly no``) unless asked for (an append-only file
fsynced on every write, so that a stopped and restarted server comes back with its data),
its files in a given folder, a free port. A port found free can be taken before
redis-server binds it (other suites run at the same time), so a failed start is retried on
another port rather than assumed away; :meth:`RedisServer.restart` keeps the port (the
workers' ``REDIS_URL`` names it).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

START_ATTEMPTS = 5
START_TIMEOUT = 10.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One redis-server process; ``url`` is ``redis://127.0.0.1:<port>/0``."""

    def __init__(self, binary: str, workdir: Path, *, persistent: bool = False) -> None:
        self.binary = binary
        self.workdir = workdir
        self.persistent = persistent
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        for _ in range(START_ATTEMPTS):
            self.port = _free_port()
            if self._run():
                return
        raise RuntimeError(
            f"redis-server did not start after {START_ATTEMPTS} attempts:\n{self._log()}"
        )

    def restart(self, *, empty: bool = False) -> None:
        """Stop the server and start it again on the same port; ``empty``: without its data
        (what a server without persistence does on a restart)."""
        self.stop()
        if empty:
            shutil.rmtree(self.workdir / "aof", ignore_errors=True)
        if not self._run():
            raise RuntimeError(f"redis-server did not restart on port {self.port}:\n{self._log()}")

    def _run(self) -> bool:
        """Start on ``self.port``; False if it exited (port taken) or never answered."""
        persistence = ["--appendonly", "yes", "--appendfsync", "always", "--appenddirname", "aof"]
        command = [
            self.binary,
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--save", "",
            *(persistence if self.persistent else ["--appendonly", "no"]),
            "--dir", str(self.workdir),
            "--logfile", str(self.workdir / "redis.log"),
            "--protected-mode", "yes",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603 (our binary)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            if _ping(self.port):
                return True
            time.sleep(0.05)
        self.stop()
        return False

    def _log(self) -> str:
        log = self.workdir / "redis.log"
        return log.read_text(errors="replace")[-1000:] if log.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
