"""The README's API examples, run exactly as written against the sample site served as `make run`
serves it: only the address changes (a free port instead of 8080)."""
import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shell_examples() -> list[str]:
    """Every ```sh block of the README that talks to the local server."""
    blocks = re.findall(r"^```sh\n(.*?)^```", (ROOT / "README.md").read_text(), re.MULTILINE | re.DOTALL)
    return [block for block in blocks if "localhost:8080" in block]


def test_the_readme_has_api_examples():
    assert shell_examples(), "the README lost its curl examples"


def test_every_readme_api_example_works_as_pasted(run, serve, workdir):
    # make run's build: the sample content, today, its own address.
    assert run("build", "--search-all-versions").returncode == 0
    server = serve()
    for example in shell_examples():
        command = example.replace("localhost:8080", f"127.0.0.1:{server.port}")
        result = subprocess.run(["bash", "-c", command], cwd=workdir, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (example, result.stderr)
        answer = json.loads(result.stdout)
        assert "error" not in answer, (example, answer)
        assert answer.get("receiptId") and answer.get("signature"), (example, answer)
