"""Shared fixtures: the real `redline` binary and throwaway copies of the sample content."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def redline_bin() -> Path:
    path = Path(os.environ.get("REDLINE_BIN", ROOT / ".build" / "debug" / "redline"))
    if not path.exists():
        subprocess.run(["swift", "build", "--product", "redline"], cwd=ROOT, check=True)
    return path


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A copy of the sample content and templates, as an editor's checkout would have them."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


@pytest.fixture
def run(redline_bin: Path, workdir: Path):
    def _run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(redline_bin), *args], cwd=workdir, capture_output=True, text=True,
                              env={**os.environ, "NO_COLOR": "1"}, timeout=120)
    return _run
