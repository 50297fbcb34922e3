"""Small helpers shared by the end-to-end tests."""
import json
import urllib.error
import urllib.request


def request(method: str, url: str, body: dict | str | None = None, headers: dict | None = None, timeout: float = 120):
    """Returns (status, headers, parsed JSON or text) without raising on 4xx/5xx. The timeout
    only ends a hung test: a busy machine's slow answer never comes near it."""
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, response_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, response_headers, raw = error.code, error.headers, error.read()
    text = raw.decode()
    try:
        return status, response_headers, json.loads(text)
    except ValueError:
        return status, response_headers, text


def approve_campaign(run, document: str, version: str) -> int:
    """Approves the campaign of (document, version) with `redline notify approve`; returns its id."""
    import re
    listing = run("notify", "list", "--db", "data/redline.sqlite").stdout
    match = re.search(rf"^#(\d+) {document} {version} ", listing, re.MULTILINE)
    assert match, listing
    result = run("notify", "approve", match.group(1), "--db", "data/redline.sqlite")
    assert result.returncode == 0, result.stderr
    return int(match.group(1))


class LoopbackOrigin:
    """A second origin on loopback (a third party to the site under test) serving `files`, a map
    of path to (body, content type), 404 for anything else, and remembering every path asked for."""

    def __init__(self, files: dict[str, tuple[bytes, str]]):
        import http.server
        import threading
        from conftest import free_port
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the stdlib's name)
                path = self.path.split("?")[0]
                outer.requests.append(path)
                body, kind = files.get(path, (b"", "text/plain"))
                self.send_response(200 if path in files else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
