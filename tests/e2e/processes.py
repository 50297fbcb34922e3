"""Every long-running process a test starts lives in a process group of its own and is stopped
with its children (a `faketime` or `strace` wrapper forks the real server); the end of the
suite checks that no redline process it started outlived it."""
import os
import signal
import subprocess
from pathlib import Path

# Process groups of the processes spawned here (each one's pid is its group's id).
GROUPS: set[int] = set()


def spawn(args: list[str], **kwargs) -> subprocess.Popen:
    """Popen in a new session, so that stop() reaches everything it started."""
    process = subprocess.Popen(args, start_new_session=True, **kwargs)
    GROUPS.add(process.pid)
    return process


def signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, grace: float = 60.0) -> int:
    """`sig` to the whole group; what is left after `grace` seconds gets SIGKILL. Returns the
    leader's exit status. The grace only bounds the wait: no test result depends on it."""
    if process.poll() is None:
        signal_group(process, sig)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    signal_group(process, signal.SIGKILL)
    return process.wait()


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the group: a crash, without a graceful shutdown."""
    signal_group(process, signal.SIGKILL)
    process.wait()


def _group_and_command(pid: str) -> tuple[int, str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
    except OSError:
        return None
    # The command name in parentheses may hold spaces: the fields after its closing one are fixed.
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[2]), command


def survivors(binaries: list[Path]) -> list[str]:
    """redline processes still running in a group this suite made, or in the suite's own group."""
    groups = GROUPS | {os.getpgid(0)}
    names = {str(path) for path in binaries} | {path.name for path in binaries}
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if int(pid) == os.getpid():
            continue
        entry = _group_and_command(pid)
        if entry and entry[0] in groups and (entry[1] in names or Path(entry[1]).name == "redline"):
            found.append(f"pid {pid}: {entry[1]}")
    return found
