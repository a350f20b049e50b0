"""A throwaway PostgreSQL cluster on loopback (initdb + pg_ctl), that can be stopped and started
again on the same port: the integration fixtures, the outage test and the server-mode web
benchmark use it (a module of its own, so none imports a `conftest` by name)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

MISSING = (
    "PostgreSQL binaries (initdb, pg_ctl) not found: install Debian's postgresql package "
    "(apt-get install postgresql) to run the PostgreSQL tests"
)


def pg_bindir() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """`with Cluster(bindir) as pg:` initdb's a cluster in a temporary directory, starts it
    (trust auth for user `matchready`, loopback only) and deletes it at the end."""

    def __init__(self, bindir: Path, *, max_connections: int = 100) -> None:
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="matchready-pg-"))
        self.data = self.base / "data"
        self.port = _free_port()
        self.max_connections = max_connections
        self.user: str | None = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self.user = "postgres" if _user_exists("postgres") else "nobody"
            entry = pwd.getpwnam(self.user)
            os.chown(self.base, entry.pw_uid, entry.pw_gid)

    @property
    def url(self) -> str:
        """The server's address without a database: `matchready@127.0.0.1:PORT`."""
        return f"matchready@127.0.0.1:{self.port}"

    def database_url(self, name: str) -> str:
        return f"postgresql+psycopg://{self.url}/{name}"

    def _run(self, *command: str) -> None:
        full = ["runuser", "-u", self.user, "--", *command] if self.user else list(command)
        subprocess.run(full, check=True, capture_output=True)

    def create(self) -> None:
        initdb = str(self.bindir / "initdb")
        self._run(
            initdb,
            "-D",
            str(self.data),
            "-U",
            "matchready",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c max_connections={self.max_connections}"
        )
        log = str(self.base / "log")
        pg_ctl = str(self.bindir / "pg_ctl")
        self._run(pg_ctl, "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(f"postgresql://{self.url}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def __enter__(self) -> Cluster:
        try:
            self.create()
            self.start()
        except subprocess.CalledProcessError as error:
            shutil.rmtree(self.base, ignore_errors=True)
            message = error.stderr.decode(errors="replace")
            raise RuntimeError(f"cannot start PostgreSQL: {message}") from None
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
