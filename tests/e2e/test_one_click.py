"""Optional notices of editorial versions and their one-click unsubscribe (RFC 8058), end to end:
the real binary, a real SQLite file, a real SMTP server that keeps each message's exact bytes,
and an HTTP client on the live socket in the place of a reader's mail provider.

It proves that with `notices: editorial: optional` an editorial version gets an *optional*
campaign whose every message carries a `List-Unsubscribe` link of its own (in the headers, the
text and the HTML) with `List-Unsubscribe-Post`; that a GET of that link changes nothing, a
tampered or spliced link is refused, and a POST as Gmail or Yahoo sends it unsubscribes exactly
that message's user; that later optional notices skip that user while a required notice still
reaches them, without any unsubscribe; that the log never names an address or a link; and that
site.yaml accepts no other value for `editorial`."""
import email
import email.policy
import re
import sqlite3
import urllib.parse
from pathlib import Path

import pytest

from helpers import request
from test_notice_proof import RawSMTPSink
from test_notices import BASE_URL, MATERIAL_TERMS, approve, campaigns, import_users, notice_env, wait_for

DB = "data/redline.sqlite"
NOW = "2026-11-21"
USERS = [("u-ana", "ana@example.com", "en"), ("u-bo", "bo@example.org", "en"), ("u-cy", "cy@example.net", "en")]
LINK = re.compile(r"https://legal\.parcelbird\.example/notices/unsubscribe/(\d+)\.([0-9a-f]{32})")
TEST_LINK = BASE_URL + "notices/unsubscribe/test"
# What a mail provider sends to the List-Unsubscribe address on a click (RFC 8058 section 3.1).
ONE_CLICK = ("List-Unsubscribe=One-Click", {"Content-Type": "application/x-www-form-urlencoded"})
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def version(title: str, effective: str, material: bool, summary: str, text: str) -> str:
    return f"---\ntitle: {title}\neffective: {effective}\nmaterial: {str(material).lower()}\nsummary: {summary}\n---\n\n# {title}\n\n{text}\n"


EDITORIAL_COOKIES = version("Cookie Policy", "2027-01-15", False, "Plainer wording; the cookies we use are the same.",
                            "We use a handful of cookies; this version only tidies the wording.")
SECOND_EDITORIAL_COOKIES = version("Cookie Policy", "2027-01-29", False, "A typo fixed; nothing else changes.",
                                   "We use a handful of cookies; this version only fixes a typo.")


@pytest.fixture
def sink(tmp_path: Path):
    server = RawSMTPSink(tmp_path / "maildir").start()
    yield server
    server.stop()


def publish(run, workdir: Path, files: dict[str, str]) -> None:
    """What an editor does: new version files, then a build, which the running server picks up."""
    for path, text in files.items():
        (workdir / "content/policies" / path).write_text(text)
    result = run("build", "--now", NOW)
    assert result.returncode == 0, result.stderr


def parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def bodies(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def on_server(server, link: str) -> str:
    """The link's path on the test server: the site's baseURL is a host the test cannot reach."""
    return server.base + urllib.parse.urlsplit(link).path


def user(server, key: str, user_id: str) -> dict:
    status, _, body = request("GET", f"{server.base}/api/v1/admin/users/{user_id}", headers={"Authorization": f"Bearer {key}"})
    assert status == 200, body
    return body


def unsubscribed(server, key: str) -> dict[str, str | None]:
    return {user_id: user(server, key, user_id).get("unsubscribedAt") for user_id, _, _ in USERS}


def outbox(workdir: Path, campaign_id: int) -> dict[str, tuple[int, str, str | None]]:
    """userId -> (outbox id, status, last_error) of the campaign's rows."""
    with sqlite3.connect(workdir / DB) as db:
        rows = db.execute("SELECT u.user_id, o.id, o.status, o.last_error FROM outbox o JOIN app_user u ON u.id = o.user_ref "
                          "WHERE o.campaign_id = ?", (campaign_id,)).fetchall()
    return {user_id: (outbox_id, status, error) for user_id, outbox_id, status, error in rows}


def send(run, server, key: str, document: str, version_: str) -> dict:
    """Approves the campaign of (document, version) and waits until each of its messages is done
    (another campaign may still wait for its review meanwhile)."""
    campaign_id = approve(run, server, key, document, version_)

    def done():
        [campaign] = [c for c in campaigns(server, key) if c["id"] == campaign_id]
        return campaign if campaign["state"] == "approved" and campaign["queued"] == 0 and campaign["sending"] == 0 else None
    campaign = wait_for(done)
    assert campaign, campaigns(server, key)
    return campaign


def first_optional_notices(run, workdir: Path, serve, sink):
    """The operator's setup: site.yaml offers optional notices, three users, a server sending
    through the sink; the upcoming material privacy version a first start queues is cancelled, so
    only what this test publishes is sent. Then the editorial cookies 2027-01-15 is published,
    reviewed with a test copy, approved and sent. Returns (server, key, campaign, {userId: raw})."""
    with (workdir / "content/site.yaml").open("a") as site_yaml:
        site_yaml.write("notices:\n  editorial: optional\n")
    assert run("build", "--now", NOW).returncode == 0
    key = run("keys", "create", "--db", DB, "--name", "e2e").stdout.strip()
    import_users(run, workdir, USERS)
    server = serve(**notice_env(sink))
    [upcoming] = wait_for(lambda: campaigns(server, key))
    assert (upcoming["document"], upcoming["optional"]) == ("privacy", False), upcoming
    assert run("notify", "cancel", str(upcoming["id"]), "--db", DB).returncode == 0

    publish(run, workdir, {"cookies/2027-01-15.md": EDITORIAL_COOKIES})
    [campaign] = wait_for(lambda: [c for c in campaigns(server, key) if c["document"] == "cookies"])
    assert (campaign["version"], campaign["trigger"], campaign["state"], campaign["optional"]) == ("2027-01-15", "published", "pending", True)
    listing = run("notify", "list", "--db", DB).stdout
    assert f"#{campaign['id']} cookies 2027-01-15 [pending] optional " in listing, listing
    assert f"#{upcoming['id']} privacy 2027-03-01 [cancelled] (" in listing, listing

    # The reviewer's copy links to the page that unsubscribes nobody.
    test = run("notify", "test", str(campaign["id"]), "--to", "reviewer@parcelbird.example", "--db", DB, "--site", "public",
               env=notice_env(sink))
    assert test.returncode == 0, test.stderr
    [copy] = [parsed(raw) for raw in sink.raw]
    assert copy["X-Redline-Test"] == "yes" and copy["List-Unsubscribe"] == f"<{TEST_LINK}>", copy["List-Unsubscribe"]

    campaign = send(run, server, key, "cookies", "2027-01-15")
    assert (campaign["recipients"], campaign["sent"], campaign["failed"], campaign["cancelled"]) == (3, 3, 0, 0), campaign
    assert len(sink.raw) == 1 + 3, "one notice to each user, once"
    notices = {}
    for raw in sink.raw[1:]:
        [to] = parsed(raw)["To"].addresses
        notices[next(u for u, address, _ in USERS if address == to.addr_spec)] = raw
    assert sorted(notices) == sorted(u for u, _, _ in USERS)
    return server, key, campaign, notices


def assert_log_is_clean(server, links: list[str]) -> None:
    """The log tells of the unsubscribe (so this reads a real log) without naming anybody."""
    def told():
        text = server.log.read_text()
        return text if "unsubscribed from optional notices" in text else None
    log = wait_for(told)
    assert log, server.log.read_text()
    for _, address, _ in USERS:
        assert address not in log, f"the server's log names {address}"
    for link in links:
        token = link.rsplit("/", 1)[1]
        assert token not in log and token.split(".")[1] not in log, f"the server's log holds the link {link}"


def test_an_optional_notice_carries_its_own_one_click_link_and_only_a_post_to_it_unsubscribes(run, workdir, serve, sink):
    server, key, campaign, notices = first_optional_notices(run, workdir, serve, sink)
    rows = outbox(workdir, campaign["id"])
    links = {}
    for user_id, raw in notices.items():
        message = parsed(raw)
        assert message["List-Id"], user_id
        [header] = message.get_all("List-Unsubscribe")
        match = LINK.fullmatch(header.removeprefix("<").removesuffix(">"))
        assert match and header == f"<{match.group(0)}>", header
        assert message.get_all("List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"]
        # The link names this user's message of this campaign, and nothing else about them.
        assert int(match.group(1)) == rows[user_id][0], (user_id, rows)
        text, html = bodies(message)
        assert match.group(0) in text and f'href="{match.group(0)}"' in html
        assert "Plainer wording; the cookies we use are the same." in text
        links[user_id] = match.group(0)
    assert len(set(links.values())) == 3

    # A GET, as a link scanner or prefetcher makes, shows a button and changes nothing.
    status, _, page = request("GET", on_server(server, links["u-bo"]))
    assert status == 200 and '<form method="post">' in page, page
    assert unsubscribed(server, key) == {"u-ana": None, "u-bo": None, "u-cy": None}

    # A link with one hex digit changed, or one spliced from two real links, is refused.
    outbox_id, mac = links["u-bo"].rsplit("/", 1)[1].split(".")
    tampered = links["u-bo"][:-1] + ("0" if mac[-1] != "0" else "1")
    spliced = links["u-ana"].rsplit(".", 1)[0] + "." + mac
    for link in (tampered, spliced):
        status, _, page = request("POST", on_server(server, link), *ONE_CLICK)
        assert status == 403, (link, status, page)
    # A test copy's link unsubscribes nobody, whichever way it is followed.
    for method, body in (("GET", (None, None)), ("POST", ONE_CLICK)):
        status, _, page = request(method, on_server(server, TEST_LINK), *body)
        assert status == 200 and "test copy" in page, (method, status, page)
    assert unsubscribed(server, key) == {"u-ana": None, "u-bo": None, "u-cy": None}

    # The mail provider's one-click POST: bo, and only bo, gets no more optional notices.
    status, _, page = request("POST", on_server(server, links["u-bo"]), *ONE_CLICK)
    assert status == 200 and "no more optional notices" in page, (status, page)
    after = unsubscribed(server, key)
    assert TIMESTAMP.fullmatch(after["u-bo"] or ""), after
    assert "unsubscribedAt" not in user(server, key, "u-ana") and "unsubscribedAt" not in user(server, key, "u-cy")
    # Providers may send it twice: the same answer, and the first time stays the time.
    status, _, page = request("POST", on_server(server, links["u-bo"]), *ONE_CLICK)
    assert status == 200 and "no more optional notices" in page, (status, page)
    assert unsubscribed(server, key) == after

    assert_log_is_clean(server, list(links.values()))


def test_after_one_click_optional_notices_skip_the_user_and_required_ones_still_reach_them(run, workdir, serve, sink):
    server, key, first, notices = first_optional_notices(run, workdir, serve, sink)
    link = LINK.search(parsed(notices["u-bo"])["List-Unsubscribe"]).group(0)
    status, _, page = request("POST", on_server(server, link), *ONE_CLICK)
    assert status == 200, (status, page)

    # The next build publishes another editorial version and a material one at once.
    delivered = len(sink.raw)
    publish(run, workdir, {"cookies/2027-01-29.md": SECOND_EDITORIAL_COOKIES, "terms/2027-02-01.md": MATERIAL_TERMS})
    editorial = send(run, server, key, "cookies", "2027-01-29")
    material = send(run, server, key, "terms", "2027-02-01")

    assert editorial["optional"] is True and material["optional"] is False
    assert (editorial["recipients"], editorial["sent"], editorial["failed"], editorial["cancelled"]) == (3, 2, 0, 1), editorial
    assert (material["recipients"], material["sent"], material["failed"], material["cancelled"]) == (3, 3, 0, 0), material
    _, bo_status, bo_error = outbox(workdir, editorial["id"])["u-bo"]
    assert bo_status == "cancelled" and (bo_error or "").startswith("unsubscribed from optional notices"), (bo_status, bo_error)
    status_lines = {line.split(" ", 1)[0]: line for line in run("notify", "status", "--db", DB).stdout.splitlines() if line.startswith("#")}
    assert " optional " in status_lines[f"#{editorial['id']}"] and "1 cancelled" in status_lines[f"#{editorial['id']}"], status_lines
    assert " optional " not in status_lines[f"#{material['id']}"], status_lines

    received = [parsed(raw) for raw in sink.raw[delivered:]]
    assert len(received) == 5
    by_document: dict[str, dict] = {"Cookie Policy": {}, "Terms of Service": {}}
    for message in received:
        document = next(d for d in by_document if d in message["Subject"])
        by_document[document][message["To"].addresses[0].addr_spec] = message
    assert sorted(by_document["Cookie Policy"]) == ["ana@example.com", "cy@example.net"]
    assert sorted(by_document["Terms of Service"]) == ["ana@example.com", "bo@example.org", "cy@example.net"]
    for message in by_document["Cookie Policy"].values():
        assert LINK.fullmatch(message["List-Unsubscribe"].strip("<>")) and message["List-Id"]
    # A required notice offers no way out, to bo as to everybody.
    for raw in sink.raw[delivered:]:
        message = parsed(raw)
        if "Terms of Service" not in message["Subject"]:
            continue
        assert message["List-Id"] and message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
        text, html = bodies(message)
        assert "unsubscribe" not in (text + html).lower() and b"unsubscribe" not in raw.lower()
        assert "Disputes now go to the courts of Dublin" in text

    # Every link sent (three of the first campaign, two of the second), the test copy's aside.
    links = [match.group(0) for match in (LINK.search(parsed(raw)["List-Unsubscribe"] or "") for raw in sink.raw) if match]
    assert len(links) == 5
    assert_log_is_clean(server, links)


def test_site_yaml_offers_editorial_notices_as_none_or_optional_only(run, workdir):
    site_yaml = workdir / "content/site.yaml"
    original = site_yaml.read_text()
    site_yaml.write_text(original + "notices:\n  editorial: sometimes\n")
    line = len(original.splitlines()) + 2
    refused = run("build", "--now", NOW)
    assert refused.returncode != 0
    assert re.search(rf"site\.yaml:{line}: .*'editorial'.*'sometimes'", refused.stderr), refused.stderr
    # The default, said out loud, is accepted.
    site_yaml.write_text(original + "notices:\n  editorial: none\n")
    accepted = run("build", "--now", NOW)
    assert accepted.returncode == 0, accepted.stderr
