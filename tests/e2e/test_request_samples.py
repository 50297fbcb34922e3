"""The API reference's request samples are real code: each language's sample for one GET and one
POST operation of the sample site's OpenAPI file is run with its own toolchain (curl, Python with
requests, Node's fetch, Go, Java, Swift) against a small local server that records what arrives,
and every one must send the same method, path, credentials, headers and body as the document
says. A language whose toolchain is missing is skipped, and the skip says which."""
import json
import os
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SERVER = "https://api.parcelbird.example/v2"
TOKEN = "pb_test_e2e_token"
FENCE = re.compile(r'^```(\w+) tab="([^"]+)"\n(.*?)^```$', re.M | re.S)
# What each language needs, and how its sample file is run.
TOOLCHAINS = {
    "curl": (["bash"], "sample.sh", lambda f: ["bash", f]),
    "Python": (["python3"], "sample.py", lambda f: ["python3", f]),
    "JavaScript": (["node"], "sample.mjs", lambda f: ["node", f]),
    "Go": (["go"], "sample.go", lambda f: ["go", "run", f]),
    "Java": (["java", "javac"], "Example.java", lambda f: ["java", f]),
    "Swift": (["swift"], "sample.swift", lambda f: ["swift", f]),
}


class Recorder(BaseHTTPRequestHandler):
    """Answers every request 200 and keeps what it was: the test then says whether it was right."""
    received: list = []

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        Recorder.received.append({"method": self.command, "path": self.path, "headers": dict(self.headers.items()), "body": body})
        payload = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _record

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def samples(tmp_path_factory, redline_bin):
    """The samples of the reference's shipments page, as the built site's Markdown twin holds them:
    {operation: {language: code}}, keyed by the curl sample's method and path."""
    root = Path(__file__).resolve().parents[2]
    work = tmp_path_factory.mktemp("samples")
    shutil.copytree(root / "content", work / "content")
    shutil.copytree(root / "templates", work / "templates")
    built = subprocess.run([str(redline_bin), "build", "--now", "2026-11-21"], cwd=work, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stderr
    twin = (work / "public/docs/v2/reference/shipments/index.md").read_text()
    operations: dict = {}
    blocks = FENCE.findall(twin)
    assert len(blocks) % 6 == 0 and blocks, "six tabs per operation"
    for index in range(0, len(blocks), 6):
        group = {label: code for _, label, code in blocks[index:index + 6]}
        assert list(group) == ["curl", "Python", "JavaScript", "Go", "Java", "Swift"]
        method, url = re.match(r"curl -X (\w+) '([^']+)'", group["curl"]).groups()
        operations[(method, url.removeprefix(SERVER))] = group
    return operations


@pytest.fixture(scope="module")
def recorder():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v2"
    server.shutdown()
    server.server_close()


CASES = [(method, path, language) for method, path in [("GET", "/shipments"), ("POST", "/shipments")] for language in TOOLCHAINS]


@pytest.mark.parametrize("method,path,language", CASES, ids=[f"{m} {p} {lang}" for m, p, lang in CASES])
def test_each_languages_sample_sends_the_documented_request(samples, recorder, tmp_path, method, path, language):
    tools, file_name, command = TOOLCHAINS[language]
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{language} sample not run: {', '.join(missing)} not installed (make test-deps installs it)")
    group = samples[(method, path)]
    # The same program, pointed at the recorder instead of the real API.
    source = tmp_path / file_name
    source.write_text(group[language].replace(SERVER, recorder) + "\n")
    env = {**os.environ, "TOKEN": TOKEN, "HOME": str(tmp_path), "GOCACHE": str(tmp_path / "go-cache"), "GOFLAGS": "-mod=mod"}
    Recorder.received.clear()
    result = subprocess.run(command(str(source)), cwd=tmp_path, capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, f"{language}: {result.stdout}\n{result.stderr}"
    if language != "curl":  # curl prints the body only, as curl does
        assert result.stdout.startswith("200"), f"{language} prints the status: {result.stdout}"
    assert len(Recorder.received) == 1, f"{language} sent {len(Recorder.received)} requests"
    request = Recorder.received[0]
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert request["method"] == method
    assert request["path"] == "/v2" + path
    assert headers.get("authorization") == f"Bearer {TOKEN}", f"{language}: the token comes from the environment"
    if method == "POST":
        expected = json.loads(re.search(r"-d '(.*)'\s*\Z", group["curl"], re.S).group(1))
        assert headers.get("content-type", "").startswith("application/json"), language
        assert json.loads(request["body"]) == expected, f"{language} sends the documented body"
    else:
        assert request["body"] == b""
