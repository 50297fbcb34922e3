"""Incremental builds against a real crash: `redline build` killed (strace fault injection) while
moving an update's files into the output, then built again."""
import subprocess
from pathlib import Path

STATE = {".redline/cache", ".redline/inputs"}


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and str(p.relative_to(folder)) not in STATE}


def edit(workdir: Path, run_number: int) -> None:
    """Changes a docs page and a policy version: a handful of files to move in."""
    errors = workdir / "content/docs/v2/errors.md"
    errors.write_text(errors.read_text() + f"\nEdited in run {run_number}.\n")
    policy = sorted((workdir / "content/policies/privacy").glob("*.md"))[-1]
    policy.write_text(policy.read_text() + f"\nEdited in run {run_number}.\n")


def killed_build(redline_bin: Path, workdir: Path, at_rename: int) -> subprocess.CompletedProcess:
    """`redline build`, killed with SIGKILL on entering its `at_rename`-th rename."""
    return subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2",
                           "-e", f"inject=rename,renameat,renameat2:signal=KILL:when={at_rename}",
                           str(redline_bin), "build", "--now", "2026-11-22", "-q"],
                          cwd=workdir, capture_output=True, text=True, timeout=120)


def test_an_update_killed_while_moving_files_in_is_finished_by_the_next_build(redline_bin, workdir, run):
    assert run("build", "--now", "2026-11-22", "-q").returncode == 0
    before = tree(workdir / "public")
    edit(workdir, 1)
    # Rename 1 writes the journal; 2 and 3 move the first two changed files in; the 4th kills it.
    killed = killed_build(redline_bin, workdir, at_rename=4)
    assert killed.returncode != 0
    pending = [p for p in workdir.iterdir() if p.name.startswith(".public.update-")]
    assert len(pending) == 1 and (pending[0] / ".redline-journal").exists(), "the killed update left its journal"
    halfway = tree(workdir / "public")
    changed = [path for path in halfway if halfway[path] != before.get(path)]
    assert 1 <= len(changed) <= 2, f"two renames happened: {changed}"
    # No page is ever half-written: each is the old one or the new one, whole.
    for path, data in halfway.items():
        if path.endswith(".html"):
            assert data.rstrip().endswith(b"</html>"), path

    assert run("build", "--now", "2026-11-22", "-q").returncode == 0
    assert not [p for p in workdir.iterdir() if p.name.startswith(".public.") and p.name != ".public.lock"], "nothing is left beside the output"
    fresh = run("build", "--now", "2026-11-22", "-q", "--force", "--output", "fresh")
    assert fresh.returncode == 0, fresh.stderr
    assert tree(workdir / "public") == tree(workdir / "fresh"), "the update is what a build from scratch gives"


def test_an_update_killed_before_its_journal_leaves_the_output_untouched(redline_bin, workdir, run):
    assert run("build", "--now", "2026-11-22", "-q").returncode == 0
    before = tree(workdir / "public")
    edit(workdir, 2)
    killed = killed_build(redline_bin, workdir, at_rename=1)
    assert killed.returncode != 0
    assert tree(workdir / "public") == before, "nothing was moved in"
    assert run("build", "--now", "2026-11-22", "-q").returncode == 0
    assert not [p for p in workdir.iterdir() if p.name.startswith(".public.") and p.name != ".public.lock"]
    assert b"Edited in run 2." in (workdir / "public/docs/v2/errors/index.html").read_bytes()


def test_a_rebuild_after_an_edit_says_how_many_pages_it_took_unchanged(run, workdir):
    assert run("build", "--now", "2026-11-22", "-q").returncode == 0
    edit(workdir, 3)
    result = run("build", "--now", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert "unchanged since the last build" in result.stdout, result.stdout
    timed = run("build", "--now", "2026-11-23", "--timings", "-q")
    steps = [line.split()[0] for line in timed.stderr.splitlines()]
    assert {"inputs", "load", "diff", "render", "publish"} <= set(steps), timed.stderr
