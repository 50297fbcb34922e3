"""`redline serve --config FILE`: settings in layers (flags over REDLINE_* over the file over
defaults), `--print-config` with secrets masked, and a bad file refused with its lines."""
import os
import subprocess
import time

import processes
from conftest import free_port
from helpers import request


def serve(redline_bin, workdir, *args, env=None, timeout=30):
    return subprocess.run([str(redline_bin), "serve", *args], cwd=workdir, capture_output=True, text=True, timeout=timeout,
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("REDLINE_")}, **(env or {})})


def test_settings_layer_flags_over_environment_over_the_file_and_secrets_are_masked(redline_bin, workdir):
    (workdir / "redline.yaml").write_text(
        "port: 9090\nrate-limit: 100\nrate-burst: 7\ntrusted-proxies: [10.0.0.0/8, 127.0.0.1]\n"
        "db: postgres://app:hunter2@db.internal:5432/redline\nsmtp-url: smtp://mailer:pw-in-url@smtp.internal:587\nsmtp-password: hunter3\n")
    result = serve(redline_bin, workdir, "--config", "redline.yaml", "--port", "9191", "--print-config", env={"REDLINE_RATE_LIMIT": "200"})
    assert result.returncode == 0, result.stderr
    settings = dict(line.split(": ", 1) for line in result.stdout.splitlines() if not line.startswith("#"))
    assert settings["port"] == "9191", "a flag wins"
    assert settings["rate-limit"] == "200", "a variable wins over the file"
    assert settings["rate-burst"] == "7" and settings["trusted-proxies"] == "[10.0.0.0/8, 127.0.0.1]", "the file wins over defaults"
    assert settings["host"] == "127.0.0.1", "a default stays"
    assert settings["db"] == "postgres://app:***@db.internal:5432/redline"
    assert settings["smtp-url"] == "smtp://mailer:***@smtp.internal:587" and settings["smtp-password"] == "***"
    assert not any(secret in result.stdout + result.stderr for secret in ("hunter2", "hunter3", "pw-in-url"))


def test_a_json_settings_file_runs_the_server(redline_bin, workdir, run):
    assert run("build", "--now", "2026-11-21").returncode == 0
    port = free_port()
    (workdir / "redline.json").write_text(f'{{"port": {port}, "db": "state/consent.sqlite", "rate-limit": 0}}')
    process = processes.spawn([str(redline_bin), "serve", "--config", "redline.json"], cwd=workdir,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={k: v for k, v in os.environ.items() if not k.startswith("REDLINE_")})
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if request("GET", f"http://127.0.0.1:{port}/readyz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert request("GET", f"http://127.0.0.1:{port}/readyz")[0] == 200
        assert (workdir / "state" / "consent.sqlite").exists(), "the database named in the file"
    finally:
        processes.stop(process)


def test_a_bad_settings_file_is_refused_with_every_problem_and_its_line(redline_bin, workdir):
    (workdir / "bad.yaml").write_text("port: 9090\nrate-limt: 5\nsmtp_url: smtp://x\n")
    result = serve(redline_bin, workdir, "--config", "bad.yaml")
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["error: bad.yaml:2: unknown setting 'rate-limt' (did you mean rate-limit?)",
                                          "error: bad.yaml:3: unknown setting 'smtp_url' (did you mean smtp-url?)"]
    (workdir / "broken.yaml").write_text("port: [9090\n")
    result = serve(redline_bin, workdir, "--config", "broken.yaml")
    assert result.returncode == 1 and result.stderr.startswith("error: broken.yaml: not valid YAML or JSON")
    result = serve(redline_bin, workdir, "--config", "nowhere.yaml")
    assert result.returncode == 1 and "nowhere.yaml: cannot be read" in result.stderr
    (workdir / "wrong.yaml").write_text("port: eighty\n")
    result = serve(redline_bin, workdir, "--config", "wrong.yaml")
    assert result.returncode != 0 and "eighty" in result.stderr


def test_a_settings_file_built_to_expand_is_refused_at_its_anchor(redline_bin, workdir):
    """A YAML alias bomb (nine anchors, each ten aliases of the one before: 10^9 nodes in 300 bytes)."""
    bomb = "\n".join(["x1: &l1 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"] +
                     [f"x{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(2, 10)])
    (workdir / "bomb.yaml").write_text("port: 9090\n" + bomb + "\n")
    result = serve(redline_bin, workdir, "--config", "bomb.yaml", "--print-config", timeout=300)
    assert result.returncode == 1, result.stdout
    assert "bomb.yaml:" in result.stderr and "alias bomb" in result.stderr, result.stderr
