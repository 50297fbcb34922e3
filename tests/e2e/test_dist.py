"""`make dist`: the release binary with the Swift runtime linked in runs where the toolchain is
not. The test hides the toolchain's folder (a private mount namespace with an empty folder
mounted over it) and uses the binary as an editor and an operator would."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

DIST = os.environ.get("REDLINE_DIST")


def toolchain_folder() -> Path:
    swift = shutil.which("swift")
    assert swift, "the Swift toolchain is on PATH while the tests run"
    return Path(os.path.realpath(swift)).parents[2]  # …/usr/bin/swift → the toolchain's root


@pytest.mark.skipif(not DIST, reason="make test sets REDLINE_DIST to the binary `make dist` built")
def test_the_dist_binary_runs_without_the_swift_toolchain(workdir, tmp_path):
    binary = Path(DIST).resolve()
    libraries = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
    assert "libswift" not in libraries and "libFoundation" not in libraries, libraries
    empty = tmp_path / "empty"
    empty.mkdir()
    hidden = toolchain_folder()
    script = (f"mount --bind {empty} {hidden} && test ! -e {hidden}/usr/bin/swift && "
              f"{binary} build --now 2026-11-21 && {binary} check && "
              f"{binary} diff privacy 2025-09-15 2026-06-01 --format json > diff.json")
    result = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                            cwd=workdir, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (workdir / "public" / "manifest.json").exists()
    assert json.loads((workdir / "diff.json").read_text())["stats"]["inserted"] > 0
    # The same with the debug binary fails: the hiding is real.
    debug = Path(os.environ.get("REDLINE_BIN", "")).resolve()
    if debug.exists() and "libswift" in subprocess.run(["ldd", str(debug)], capture_output=True, text=True).stdout:
        failed = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                                 f"mount --bind {empty} {hidden} && {debug} --version"], capture_output=True, text=True)
        assert failed.returncode != 0 and "libswift" in failed.stderr
