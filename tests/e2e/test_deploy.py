"""The files in deploy/, tried for real: the nginx configuration in front of `redline serve`
(Debian's nginx, started by the test), and the systemd unit checked by systemd-analyze."""
import http.client
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

import processes
from conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def nginx_conf(tmp_path: Path, nginx_port: int, redline_port: int | list[int]) -> Path:
    """deploy/nginx.conf as the server block of a throwaway nginx, with the test's ports: one
    upstream entry per redline server, as the file's comment says."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    ports = redline_port if isinstance(redline_port, list) else [redline_port]
    site = site.replace("server 127.0.0.1:8080;", " ".join(f"server 127.0.0.1:{port};" for port in ports))
    site = site.replace("listen 80;", f"listen 127.0.0.1:{nginx_port};")
    for folder in ("logs", "body", "proxy"):
        (tmp_path / folder).mkdir(exist_ok=True)
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {tmp_path}/logs/access.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
{site}
}}
""")
    return conf


def wait_for_nginx(nginx: subprocess.Popen, port: int) -> dict:
    """The manifest through nginx, once it answers."""
    deadline = time.monotonic() + 10
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/manifest.json")
            return json.loads(connection.getresponse().read())
        except OSError:
            assert time.monotonic() < deadline and nginx.poll() is None, nginx.stderr.read().decode() if nginx.stderr else ""
            time.sleep(0.1)


def consent_for(manifest: dict):
    """A maker of consent bodies naming the policies in force in `manifest`."""
    by_id = {doc["id"]: doc for doc in manifest["documents"]}
    policies = [{"id": d, "version": next(v["effective"] for v in by_id[d]["versions"] if v["status"] == "current")}
                for d in ("privacy", "cookies")]

    def consent(subject: str) -> dict:
        return {"subject": subject, "granted": ["analytics"], "denied": ["marketing"], "method": "custom",
                "policies": policies, "notice": manifest["consent"]["notice"]}
    return consent


def post_from(source: str, port: int, body: dict, headers: dict) -> int:
    """A POST from a given loopback address, as a visitor on another machine would send it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    connection.request("POST", "/api/v1/consent", body=json.dumps(body), headers={"Content-Type": "application/json", **headers})
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is installed by `make test`")
def test_behind_the_deploy_nginx_each_visitor_has_a_rate_limit_and_cannot_spoof_one(run, serve, tmp_path):
    assert run("build", "--now", "2026-11-21").returncode == 0
    # redline trusts only 127.0.0.1, the address nginx connects from (proxy_bind); visitors come
    # from 127.0.0.2 and 127.0.0.3.
    server = serve(REDLINE_RATE_LIMIT="2", REDLINE_RATE_BURST="2", REDLINE_TRUSTED_PROXIES="127.0.0.1")
    nginx_port = free_port()
    nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(nginx_conf(tmp_path, nginx_port, server.port))],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        manifest = wait_for_nginx(nginx, nginx_port)
        consent = consent_for(manifest)

        # A visitor who writes a new X-Forwarded-For each time still has one limit: nginx appends
        # the address it saw, and that is the one redline believes.
        spoofing = [post_from("127.0.0.2", nginx_port, consent(f"spoof-{n}"), {"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(5)]
        assert spoofing[:2] == [201, 201] and spoofing.count(429) >= 2, spoofing
        # Another visitor behind the same proxy is not affected.
        assert post_from("127.0.0.3", nginx_port, consent("other"), {}) == 201
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
    server.stop()
    assert "127.0.0.2" not in server.log.read_text() and "203.0.113" not in server.log.read_text()


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is installed by `make test`")
def test_behind_the_deploy_nginx_a_forged_forwarded_header_picks_no_bucket_and_no_network(run, serve, tmp_path):
    """nginx sets X-Forwarded-For; a visitor's own `Forwarded: for=…` (or X-Real-IP) must neither
    give them a fresh rate limit each time nor be stored as their network."""
    assert run("build", "--now", "2026-11-21").returncode == 0
    server = serve(REDLINE_RATE_LIMIT="2", REDLINE_RATE_BURST="2", REDLINE_TRUSTED_PROXIES="127.0.0.1",
                   REDLINE_IP_RETENTION="truncate")
    nginx_port = free_port()
    nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(nginx_conf(tmp_path, nginx_port, server.port))],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        consent = consent_for(wait_for_nginx(nginx, nginx_port))
        forged = [post_from("127.0.0.2", nginx_port, consent(f"forged-{n}"),
                            {"Forwarded": f"for=203.0.{n}.9;proto=https", "X-Real-IP": f"198.51.{n}.1"}) for n in range(6)]
        assert forged[:2] == [201, 201] and forged.count(429) >= 3, forged
        # Another visitor behind the same proxy keeps a limit of their own.
        assert post_from("127.0.0.3", nginx_port, consent("bystander"), {}) == 201
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
    # Read straight from redline (its peer, 127.0.0.1, forwards nothing here).
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/api/v1/subjects/forged-0/records")
    records = json.loads(connection.getresponse().read())["records"]
    connection.close()
    assert records[0]["ipToken"] == "127.0.0.0/24", "the address nginx saw, not the forged one"
    server.stop()
    assert "203.0." not in server.log.read_text() and "198.51." not in server.log.read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze comes with Debian's systemd")
def test_the_systemd_unit_is_valid_and_hardened(redline_bin, tmp_path):
    unit = (ROOT / "deploy" / "redline.service").read_text()
    for directive in ("DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=redline", "Restart=on-failure",
                      "NoNewPrivileges=yes", "CapabilityBoundingSet=\n"):
        assert directive in unit, directive
    # Checked with the real binary in the place the unit names.
    local = tmp_path / "redline.service"
    local.write_text(unit.replace("/usr/local/bin/redline", str(redline_bin)))
    result = subprocess.run(["systemd-analyze", "verify", str(local)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "redline.service" not in result.stderr, result.stderr


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is installed by `make test`")
def test_the_deploy_nginx_spreads_visitors_over_two_servers_on_one_postgres_and_rides_out_one_dying(run, serve, tmp_path, workdir, postgres):
    assert run("build", "--now", "2026-11-21").returncode == 0
    db = postgres.create_database("behind_nginx")
    fleet = [serve(db, REDLINE_TRUSTED_PROXIES="127.0.0.1", REDLINE_RATE_LIMIT="0", REDLINE_RECEIPT_KEY=str(workdir / "keys" / "receipt-key"),
                   REDLINE_CHECKPOINT_LOG=str(workdir / "data" / f"server-{n}.checkpoints")) for n in range(2)]
    nginx_port = free_port()
    nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(nginx_conf(tmp_path, nginx_port, [s.port for s in fleet]))],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        manifest = wait_for_nginx(nginx, nginx_port)
        consent = consent_for(manifest)

        assert [post_from("127.0.0.2", nginx_port, consent(f"n-{n}"), {}) for n in range(20)] == [201] * 20
        served = [metric(s.base, "redline_consent_records_total") for s in fleet]
        assert all(count > 0 for count in served), f"both servers took consents: {served}"

        # One server dies: nginx sends the rest to the other, and nothing acknowledged is lost.
        fleet[0].kill()
        assert [post_from("127.0.0.2", nginx_port, consent(f"after-{n}"), {}) for n in range(10)] == [201] * 10
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
    assert postgres.psql("SELECT COUNT(*) FROM consent_record", database="behind_nginx") == "30"
    fleet[1].stop()
    verify = run("consent", "verify", "--db", db, "--receipt-key", "keys/receipt-key",
                 "--checkpoints", "data/server-1.checkpoints")
    assert verify.returncode == 0 and "30 records verified" in verify.stdout, verify.stdout + verify.stderr


def metric(base: str, name: str) -> float:
    """The sum of a Prometheus counter's samples from /metrics."""
    import urllib.request
    with urllib.request.urlopen(base + "/metrics", timeout=5) as response:
        text = response.read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name) and not line.startswith("#"))


def unit_command(unit: str) -> tuple[list[str], dict[str, str], str]:
    """The unit's ExecStart (continuation lines joined), its Environment= and its WorkingDirectory."""
    import shlex
    joined = unit.replace("\\\n", " ")
    command = next(line.split("=", 1)[1] for line in joined.splitlines() if line.startswith("ExecStart="))
    env = dict(line.split("=", 1)[1].split("=", 1) for line in joined.splitlines() if line.startswith("Environment="))
    workdir = next(line.split("=", 1)[1] for line in joined.splitlines() if line.startswith("WorkingDirectory="))
    return shlex.split(command), env, workdir


def test_the_units_exact_command_serves_from_an_empty_working_folder(redline_bin, run, workdir, tmp_path):
    """What `systemctl start redline` runs, in /var/lib/redline as systemd makes it: an empty folder
    with no templates/ beside it. Only the places change (binary, site, state folder, port)."""
    assert run("build", "--now", "2026-11-21").returncode == 0
    argv, env, working = unit_command((ROOT / "deploy" / "redline.service").read_text())
    assert argv[0] == "/usr/local/bin/redline" and working == "/var/lib/redline", (argv, working)
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    port = free_port()
    places = {"/usr/local/bin/redline": str(redline_bin), "/srv/redline/public": str(workdir / "public"),
              "/var/lib/redline": str(state), "8080": str(port)}
    argv = [places.get(arg, arg).replace("/var/lib/redline/", f"{state}/") for arg in argv]
    clean_env = {"PATH": "/usr/bin:/bin", **env}
    log = tmp_path / "unit.log"
    server = processes.spawn(argv, cwd=state, env=clean_env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        manifest = None
        while manifest is None:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                with urllib.request.urlopen(base + "/manifest.json", timeout=5) as response:
                    manifest = json.loads(response.read())
            except OSError:
                time.sleep(0.2)
        status = post_from("127.0.0.1", port, consent_for(manifest)("unit-subject"), {})
        assert status == 201
    finally:
        processes.stop(server)
    assert (state / "redline.sqlite").exists() and (state / "redline.sqlite.receipt-key").exists()
    # The server announced the upcoming material version with the e-mail templates it carries.
    assert "templates" not in log.read_text(), log.read_text()
