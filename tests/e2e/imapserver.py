"""A throwaway IMAP server: Debian's Dovecot, in a folder of its own, on a free loopback port, with
one user whose INBOX is a maildir the test fills. Stopped with its children."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import processes
from conftest import free_port

# Dovecot refuses to give a mailbox to uid 0; as root the mail belongs to nobody.
MAIL_UID = 65534 if os.getuid() == 0 else os.getuid()
MAIL_GID = 65534 if os.getuid() == 0 else os.getgid()


class IMAPServer:
    user, password = "bounces", "s3cret-pass"

    def __init__(self):
        # A folder of its own under /tmp: pytest's are the owner's only, and the mail's owner must reach it.
        self.folder = Path(tempfile.mkdtemp(prefix="redline-imap-"))
        self.port = free_port()
        self.maildir = self.folder / "mail"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"imap://127.0.0.1:{self.port}/INBOX"

    def start(self) -> "IMAPServer":
        for sub in ("run", "state", "mail/new", "mail/cur", "mail/tmp"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)
        config = self.folder / "dovecot.conf"
        password = self.password
        config.write_text(f"""
base_dir = {self.folder}/run
state_dir = {self.folder}/state
log_path = {self.folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{self.maildir}
first_valid_uid = 1
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={MAIL_UID} gid={MAIL_GID} home={self.folder}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
""")
        self.own()
        self.process = processes.spawn(["dovecot", "-c", str(config), "-F"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        # Only a server that exits, or is silent for minutes, fails the start.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {(self.folder / 'dovecot.log').read_text() if (self.folder / 'dovecot.log').exists() else ''}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("dovecot did not listen within 300 s")

    def deliver(self, name: str, message: bytes) -> None:
        """Puts a message in the INBOX as a delivery agent would: written in tmp/, moved to new/."""
        temporary = self.maildir / "tmp" / name
        temporary.write_bytes(message)
        os.chown(temporary, MAIL_UID, MAIL_GID)
        temporary.rename(self.maildir / "new" / name)

    def own(self) -> None:
        for path in [self.maildir, *self.maildir.rglob("*")]:
            os.chown(path, MAIL_UID, MAIL_GID)

    def stop(self) -> None:
        if self.process:
            processes.stop(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


def available() -> bool:
    return shutil.which("dovecot") is not None
