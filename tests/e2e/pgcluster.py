"""A throwaway PostgreSQL cluster from Debian's binaries, for the end-to-end tests and the benchmarks."""
import os
import shutil
import socket
import subprocess
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """A throwaway PostgreSQL cluster from Debian's binaries: `initdb` in a temporary folder,
    `pg_ctl` on a free loopback port, stopped and removed at the end. As root the cluster
    belongs to the postgres user (initdb refuses root). `stop()`/`start()` take it down and
    bring it back on the same port, as an outage would."""

    def __init__(self):
        import glob
        import tempfile
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
        if not found:
            found = [shutil.which("initdb")] if shutil.which("initdb") else []
        if not found:
            raise RuntimeError("PostgreSQL's initdb is missing; install Debian's postgresql (make test does)")
        self.bin = Path(found[-1]).resolve().parent
        # Directly under /tmp: pytest's own temporary folders are root's alone, and the postgres user must reach this one.
        self.folder = Path(tempfile.mkdtemp(prefix="redline-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> str:
        command = [*args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        # Output to a file, not a pipe: the server pg_ctl starts would hold a pipe open.
        out = self.folder / "command.log"
        with out.open("w") as handle:
            result = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd="/tmp", timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {out.read_text()}")
        return out.read_text()

    def init(self) -> "PostgresCluster":
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        return self.start()

    def start(self) -> "PostgresCluster":
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options, "-w", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        """Stops the cluster at once, whatever state it is in, and deletes its folder."""
        try:
            self.stop("immediate")
        except RuntimeError:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self._run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                         "-At", "-v", "ON_ERROR_STOP=1", "-c", sql).strip()

    def create_database(self, name: str) -> str:
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}?sslmode=disable"
