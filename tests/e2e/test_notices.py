"""Change notices end to end: the real binary, a real SQLite file, a real SMTP server (aiosmtpd)."""
import json
import re
import time
from pathlib import Path

import pytest

from helpers import request

BASE_URL = "https://legal.parcelbird.example/"
MATERIAL_TERMS = """---
title: Terms of Service
effective: 2027-02-01
material: true
summary: Disputes now go to the courts of Dublin, and accounts left unused for three years are closed.
---

# Terms of Service

## Disputes

Disputes go to the courts of Dublin.

## Inactive accounts

We close accounts that nobody has signed in to for three years, after warning their owner twice.
"""
EDITORIAL_COOKIES = """---
title: Cookie Policy
effective: 2027-01-15
material: false
---

# Cookie Policy

We use a handful of cookies; this version only tidies the wording.
"""


@pytest.fixture
def site(run, workdir):
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return workdir / "public"


@pytest.fixture
def admin_key(run, workdir):
    result = run("keys", "create", "--db", "data/redline.sqlite", "--name", "e2e")
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert key.startswith("rlk_")
    return key


def wait_for(predicate, timeout=300.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def campaigns(server, key):
    status, _, body = request("GET", server.base + "/api/v1/admin/campaigns", headers={"Authorization": f"Bearer {key}"})
    assert status == 200, body
    return body["campaigns"]


def finished(server, key):
    found = campaigns(server, key)
    return found if found and all(c["state"] != "pending" and c["queued"] == 0 and c["sending"] == 0 for c in found) else None


def approve(run, server, key, document, version, *extra):
    """`redline notify approve` for the campaign of (document, version), once it exists."""
    found = wait_for(lambda: [c for c in campaigns(server, key) if (c["document"], c["version"]) == (document, version)])
    assert found, f"no campaign for {document} {version}"
    result = run("notify", "approve", str(found[0]["id"]), "--db", "data/redline.sqlite", *extra)
    assert result.returncode == 0, result.stderr
    return found[0]["id"]


def import_users(run, workdir, rows):
    csv = workdir / "users.csv"
    csv.write_text("userId,email,locale\n" + "".join(f"{u},{e},{l}\n" for u, e, l in rows))
    result = run("users", "import", str(csv), "--db", "data/redline.sqlite")
    assert result.returncode == 0, result.stderr
    return result


def notice_env(sink, **extra):
    return {"REDLINE_SMTP_URL": sink.url, "REDLINE_MAIL_FROM": "Parcelbird Legal <notices@parcelbird.example>",
            "REDLINE_MAIL_RATE": "0", **extra}


def linked_file(site: Path, url: str) -> Path:
    assert url.startswith(BASE_URL), url
    return site / url[len(BASE_URL):] / "index.html"


def test_every_user_gets_exactly_one_notice_per_material_version(site, serve, run, workdir, smtp_sink, admin_key):
    server = serve(**notice_env(smtp_sink))
    auth = {"Authorization": f"Bearer {admin_key}"}
    for user_id, email, locale in [("u-1", "ana@example.com", "en-GB"), ("u-2", "bo@example.org", "de")]:
        status, _, body = request("PUT", f"{server.base}/api/v1/admin/users/{user_id}", {"email": email, "locale": locale}, auth)
        assert status == 201, body
    import_users(run, workdir, [("u-3", "cy@example.net", "en"), ("u-4", "dee@example.com", "fr")])
    users = {"ana@example.com", "bo@example.org", "cy@example.net", "dee@example.com"}

    # At the server's first look, versions in force are history; the upcoming material privacy
    # version nobody was told about waits for approval, like any other.
    [first] = wait_for(lambda: campaigns(server, admin_key))
    assert (first["document"], first["version"], first["trigger"], first["state"]) == ("privacy", "2027-03-01", "upcoming-at-first-start", "pending")
    assert "history" in server.log.read_text() and "announced=1" in server.log.read_text()
    cancelled = run("notify", "cancel", str(first["id"]), "--db", "data/redline.sqlite")
    assert cancelled.returncode == 0 and "cancelled" in cancelled.stdout

    # An editorial version is published: nobody is told.
    (workdir / "content/policies/cookies/2027-01-15.md").write_text(EDITORIAL_COOKIES)
    assert run("build", "--now", "2026-11-21").returncode == 0
    time.sleep(2.5)
    assert len(campaigns(server, admin_key)) == 1
    assert smtp_sink.messages() == []

    # A material version is published (ahead of taking effect): its campaign waits for review.
    (workdir / "content/policies/terms/2027-02-01.md").write_text(MATERIAL_TERMS)
    assert run("build", "--now", "2026-11-21").returncode == 0
    [campaign] = wait_for(lambda: [c for c in campaigns(server, admin_key) if c["document"] == "terms"])
    assert (campaign["trigger"], campaign["state"], campaign["recipients"]) == ("published", "pending", 4)
    time.sleep(1.5)
    assert smtp_sink.messages() == [], "nothing is sent before approval"
    listing = run("notify", "list", "--db", "data/redline.sqlite").stdout
    assert f"#{campaign['id']} terms 2027-02-01 [pending]" in listing and "[cancelled]" in listing

    # A reviewer gets the exact message, marked as a test; nobody else does.
    test = run("notify", "test", str(campaign["id"]), "--to", "reviewer@parcelbird.example", "--db", "data/redline.sqlite",
               "--site", "public", env=notice_env(smtp_sink))
    assert test.returncode == 0, test.stderr
    [copy] = smtp_sink.messages()
    assert copy["To"].addresses[0].addr_spec == "reviewer@parcelbird.example" and copy["X-Redline-Test"] == "yes"
    assert copy["Subject"].startswith("[Test] ") and "Disputes now go to the courts of Dublin" in copy.get_body(("plain",)).get_content()
    smtp_sink.maildir.clear()

    # Approved: every user is told, once.
    approve(run, server, admin_key, "terms", "2027-02-01")
    wait_for(lambda: finished(server, admin_key))
    [campaign] = [c for c in campaigns(server, admin_key) if c["document"] == "terms"]
    assert (campaign["recipients"], campaign["sent"], campaign["failed"], campaign["state"]) == (4, 4, 0, "approved")

    messages = smtp_sink.messages()
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == sorted(users)
    message_ids = {m["Message-ID"] for m in messages}
    assert len(message_ids) == 4
    for message in messages:
        assert message["Date"] and message["Auto-Submitted"] == "auto-generated"
        assert re.fullmatch(r"<notice-\d+-[0-9a-f]{16}@parcelbird\.example>", message["Message-ID"])
        assert message["From"].addresses[0].addr_spec == "notices@parcelbird.example"
        assert "Terms of Service" in message["Subject"] and "1 February 2027" in message["Subject"]
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Disputes now go to the courts of Dublin" in text and "Disputes now go to the courts of Dublin" in html
        links = set(re.findall(r"https://legal\.parcelbird\.example/[^\s\"<]*", text))
        assert links == {BASE_URL + "terms/changes/2027-02-01/", BASE_URL + "terms/2027-02-01/"}
        assert links == set(re.findall(r'href="(https://[^"]+)"', html))
        for link in links:
            assert linked_file(site, link).exists(), link

    # Asking again, by API or by command, adds nothing and sends nothing.
    status, _, again = request("POST", server.base + "/api/v1/admin/campaigns", {"document": "terms", "version": "2027-02-01"}, auth)
    assert status == 200 and again["id"] == campaign["id"]
    result = run("notify", "terms", "2027-02-01", "--db", "data/redline.sqlite", "--site", "public")
    assert result.returncode == 0 and "exists already" in result.stdout
    # Editorial and first versions are refused by hand too.
    status, _, refused = request("POST", server.base + "/api/v1/admin/campaigns", {"document": "cookies", "version": "2027-01-15"}, auth)
    assert status == 422 and refused["error"]["code"] == "not_announceable"
    assert run("notify", "cookies", "2025-03-01", "--db", "data/redline.sqlite", "--site", "public").returncode == 1
    time.sleep(1)
    assert len(smtp_sink.messages()) == 4


def test_an_approval_may_wait_for_a_time_and_a_cancel_stops_the_rest(site, serve, run, workdir, smtp_sink, admin_key):
    import_users(run, workdir, [(f"u-{n}", f"user{n}@example.com", "en") for n in range(30)])
    server = serve(**notice_env(smtp_sink, REDLINE_MAIL_RATE="10"))
    from datetime import datetime, timedelta, timezone
    at = (datetime.now(timezone.utc) + timedelta(seconds=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    campaign_id = approve(run, server, admin_key, "privacy", "2027-03-01", "--at", at)
    time.sleep(1.5)
    assert smtp_sink.messages() == [], "scheduled: nothing before its time"
    wait_for(lambda: len(smtp_sink.messages()) >= 5)
    result = run("notify", "cancel", str(campaign_id), "--db", "data/redline.sqlite")
    assert result.returncode == 0, result.stderr
    time.sleep(1)
    sent = len(smtp_sink.messages())
    [campaign] = campaigns(server, admin_key)
    assert campaign["state"] == "cancelled" and 5 <= campaign["sent"] < 30 and campaign["sent"] + campaign["cancelled"] >= 29
    time.sleep(1.5)
    assert len(smtp_sink.messages()) == sent, "nothing more after the cancel"
    again = run("notify", "approve", str(campaign_id), "--db", "data/redline.sqlite")
    assert again.returncode == 1 and "cancelled" in again.stderr


def test_a_refusing_address_fails_for_good_and_an_outage_is_ridden_out(site, serve, run, workdir, smtp_sink, admin_key):
    smtp_sink.refuse.add("bounce@example.com")
    import_users(run, workdir, [(f"u-{n}", f"user{n}@example.com", "en") for n in range(5)] + [("u-bounce", "bounce@example.com", "en")])
    smtp_sink.stop()   # the mail server is down when the campaign starts
    server = serve(**notice_env(smtp_sink, REDLINE_MAIL_RETRY_BASE_MS="300"))
    result = run("notify", "privacy", "2027-03-01", "--db", "data/redline.sqlite", "--site", "public")
    assert result.returncode == 0, result.stderr
    approve(run, server, admin_key, "privacy", "2027-03-01")

    time.sleep(2.5)
    [campaign] = campaigns(server, admin_key)
    assert campaign["sent"] == 0 and campaign["queued"] + campaign["sending"] == 6
    smtp_sink.start()

    [campaign] = wait_for(lambda: finished(server, admin_key))
    assert (campaign["sent"], campaign["failed"]) == (5, 1)
    assert sorted(m["To"].addresses[0].addr_spec for m in smtp_sink.messages()) == [f"user{n}@example.com" for n in range(5)]
    status = run("notify", "status", "--db", "data/redline.sqlite")
    assert "5 sent, 1 failed" in status.stdout
    assert "u-bounce" in status.stdout and "550" in status.stdout and "mailbox unavailable" in status.stdout
    # The log says what happened without naming anybody's address.
    assert "@example.com" not in server.log.read_text()


def test_a_crash_mid_campaign_still_reaches_everyone_with_the_same_message(site, serve, run, workdir, smtp_sink, admin_key):
    count = 60
    import_users(run, workdir, [(f"u-{n}", f"user{n}@example.com", "en") for n in range(count)])
    db = workdir / "data" / "redline.sqlite"
    # A short lease: what the killed server had claimed is taken again 3 s after its last renewal.
    server = serve(db, **notice_env(smtp_sink, REDLINE_MAIL_RATE="15", REDLINE_MAIL_CONCURRENCY="2", REDLINE_OUTBOX_LEASE="3"))
    assert run("notify", "privacy", "2027-03-01", "--db", "data/redline.sqlite", "--site", "public").returncode == 0
    approve(run, server, admin_key, "privacy", "2027-03-01")
    # Killed mid-batch: a batch is 15 messages at this rate.
    wait_for(lambda: len(smtp_sink.messages()) >= 22)
    server.kill()
    delivered_before = len(smtp_sink.messages())
    assert delivered_before < count

    server = serve(db, **notice_env(smtp_sink, REDLINE_MAIL_RATE="0", REDLINE_OUTBOX_LEASE="3"))
    [campaign] = wait_for(lambda: finished(server, admin_key))
    assert (campaign["sent"], campaign["failed"]) == (count, 0)

    by_recipient: dict[str, list] = {}
    for message in smtp_sink.messages():
        by_recipient.setdefault(message["To"].addresses[0].addr_spec, []).append(message)
    assert set(by_recipient) == {f"user{n}@example.com" for n in range(count)}
    # Only a message on the wire at the crash may arrive twice (at most one per connection,
    # REDLINE_MAIL_CONCURRENCY), and only as the same notice.
    for copies in by_recipient.values():
        assert len({m["Message-ID"] for m in copies}) == 1
        assert len({m.get_body(("plain",)).get_content() for m in copies}) == 1
    duplicates = sum(len(c) for c in by_recipient.values()) - count
    assert duplicates <= 2, f"{duplicates} notices sent twice"


def test_without_smtp_notices_are_written_as_eml_files(site, serve, run, workdir, admin_key):
    import_users(run, workdir, [("u-1", "ana@example.com", "en")])
    server = serve()
    assert run("notify", "privacy", "2027-03-01", "--db", "data/redline.sqlite", "--site", "public").returncode == 0
    approve(run, server, admin_key, "privacy", "2027-03-01")
    wait_for(lambda: finished(server, admin_key))
    [eml] = list((workdir / "data" / "outbox").glob("*.eml"))
    text = eml.read_text()
    assert "Auto-Submitted: auto-generated" in text and "To: ana@example.com" in text


def test_admin_api_refuses_without_a_valid_key(site, serve, admin_key, run):
    server = serve()
    bodies = set()
    for headers in [{}, {"Authorization": "Bearer nope"}, {"Authorization": f"Bearer {admin_key[:-1]}x"}]:
        status, response_headers, body = request("PUT", server.base + "/api/v1/admin/users/u-1", {"email": "a@example.com", "locale": "en"}, headers)
        assert status == 401 and response_headers["WWW-Authenticate"].startswith("Bearer")
        bodies.add(json.dumps(body))
    assert len(bodies) == 1
    assert run("keys", "revoke", "e2e", "--db", "data/redline.sqlite").returncode == 0
    assert request("GET", server.base + "/api/v1/admin/campaigns", headers={"Authorization": f"Bearer {admin_key}"})[0] == 401
    listing = run("keys", "list", "--db", "data/redline.sqlite").stdout
    assert "e2e" in listing and "revoked" in listing and admin_key not in listing


def test_a_version_in_force_is_announced_only_with_force(site, run, workdir):
    """privacy 2026-06-01 has been in force for months: a notice now would say it "takes effect" on a past day."""
    import_users(run, workdir, [("u-1", "ana@example.com", "en")])
    refused = run("notify", "privacy", "2026-06-01", "--db", "data/redline.sqlite", "--site", "public")
    assert refused.returncode == 1 and "already in force" in refused.stderr and "--force" in refused.stderr, refused.stderr
    assert "Campaign" not in run("notify", "list", "--db", "data/redline.sqlite").stdout
    forced = run("notify", "privacy", "2026-06-01", "--db", "data/redline.sqlite", "--site", "public", "--force")
    assert forced.returncode == 0 and "created" in forced.stdout, forced.stderr


def test_every_command_that_sends_mail_or_opens_the_database_reads_the_serve_settings_file(site, run, workdir, smtp_sink):
    """The file names the database and the SMTP server: `notify test --config` sends through that
    server as `serve --config` would, instead of writing an .eml file."""
    (workdir / "redline.yaml").write_text(f"db: data/redline.sqlite\nsite: public\nsmtp-url: {smtp_sink.url}\n"
                                          "mail-from: Parcelbird Legal <notices@parcelbird.example>\n")
    import_users(run, workdir, [("u-1", "ana@example.com", "en")])
    created = run("notify", "privacy", "2027-03-01", "--config", "redline.yaml")
    assert created.returncode == 0, created.stderr
    campaign = re.search(r"Campaign (\d+)", created.stdout).group(1)
    listing = run("notify", "list", "--config", "redline.yaml")
    assert f"#{campaign} privacy 2027-03-01 [pending]" in listing.stdout, listing.stderr
    test = run("notify", "test", campaign, "--to", "reviewer@parcelbird.example", "--config", "redline.yaml")
    assert test.returncode == 0, test.stderr
    [copy] = smtp_sink.messages()
    assert copy["To"].addresses[0].addr_spec == "reviewer@parcelbird.example" and copy["X-Redline-Test"] == "yes"
    assert not (workdir / "data" / "outbox").exists(), "an .eml file was written though the settings name an SMTP server"
    # Without a database from anywhere, a command says where to give one.
    nowhere = run("keys", "list")
    assert nowhere.returncode != 0 and "--db" in nowhere.stderr, nowhere.stderr
