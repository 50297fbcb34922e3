"""Shared fixtures: the real `redline` binary and throwaway copies of the sample content."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import processes
from pgcluster import PostgresCluster, free_port  # noqa: F401 (both used by tests through conftest)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def redline_bin() -> Path:
    path = Path(os.environ.get("REDLINE_BIN", ROOT / ".build" / "debug" / "redline"))
    if not path.exists():
        subprocess.run(["swift", "build", "--product", "redline"], cwd=ROOT, check=True)
    return path


@pytest.fixture(scope="session", autouse=True)
def no_process_outlives_the_suite(redline_bin: Path):
    """Fails the run when a redline process a test started is still alive at the end (and stops it)."""
    yield
    binaries = [redline_bin] + ([Path(os.environ["REDLINE_DIST"])] if os.environ.get("REDLINE_DIST") else [])
    left = processes.survivors(binaries)
    for group in processes.GROUPS:
        try:
            os.killpg(group, 9)
        except ProcessLookupError:
            pass
    assert not left, "redline processes outlived the tests that started them: " + "; ".join(left)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A copy of the sample content and templates, as an editor's checkout would have them."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


@pytest.fixture
def run(redline_bin: Path, workdir: Path):
    def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(redline_bin), *args], cwd=workdir, capture_output=True, text=True,
                              env={**os.environ, "NO_COLOR": "1", **(env or {})}, timeout=900)
    return _run


class Server:
    """`redline serve` as a child process on a free loopback port."""

    def __init__(self, redline_bin: Path, workdir: Path, db: Path, extra_env: dict | None = None):
        self.redline_bin, self.workdir, self.db = redline_bin, workdir, db
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log = workdir / f"serve-{self.port}.log"

    def start(self) -> "Server":
        import time
        import urllib.request
        env = {**os.environ, "REDLINE_SITE": str(self.workdir / "public"), "REDLINE_DB": str(self.db),
               "REDLINE_PORT": str(self.port), **self.extra_env}
        self.process = processes.spawn([str(self.redline_bin), "serve"], cwd=self.workdir, env=env,
                                       stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        # Only a server that exits, or one silent for minutes, fails the start: a busy machine may be slow.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redline serve exited: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redline serve did not answer /healthz within 300 s")

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, as in a crash."""
        if self.process:
            processes.kill(self.process)

    def stop(self) -> None:
        if self.process:
            processes.stop(self.process)


@pytest.fixture
def serve(redline_bin: Path, workdir: Path):
    """Starts servers on the workdir's built site; stops every one at the end of the test."""
    servers: list[Server] = []

    def _serve(db: Path | None = None, **env: str) -> Server:
        server = Server(redline_bin, workdir, db or workdir / "data" / "redline.sqlite", env).start()
        servers.append(server)
        return server

    yield _serve
    for server in servers:
        server.stop()


class SMTPSink:
    """A real SMTP server (aiosmtpd) on loopback that files every message in a Maildir.

    `refuse` holds addresses answered with a 550 at RCPT; `stop()` and `start()` take the
    server down and bring it back on the same port, as an outage would.
    """

    def __init__(self, maildir: Path):
        import mailbox
        self.maildir_path = maildir
        self.maildir = mailbox.Maildir(str(maildir), create=True)
        self.refuse: set[str] = set()
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.controller = None

    def start(self) -> "SMTPSink":
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Mailbox

        sink = self

        class Handler(Mailbox):
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in sink.refuse:
                    return "550 5.1.1 <%s>: mailbox unavailable" % address
                envelope.rcpt_tos.append(address)
                return "250 OK"

        self.controller = Controller(Handler(str(self.maildir_path)), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    def messages(self) -> list:
        import email
        import email.policy
        return [email.message_from_bytes(self.maildir.get_bytes(key), policy=email.policy.default) for key in self.maildir.keys()]


@pytest.fixture
def smtp_sink(tmp_path: Path):
    sink = SMTPSink(tmp_path / "maildir").start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def postgres():
    cluster = PostgresCluster().init()
    yield cluster
    cluster.remove()
