"""Proof of notice end to end: every delivery outcome of a change notice is a record of the signed
consent log, `redline notify verify` proves from that log alone who was told in time (and names who
was not, and why), and `redline notify bounces` turns the mail server's bounces (RFC 3464) and
complaints (RFC 5965) from a maildir into records too. The real binary, a real SQLite file and a
real SMTP server (aiosmtpd) that keeps the exact bytes each message arrived as."""
import hashlib
import hmac
import json
import re
import sqlite3
import time
import zipfile
from base64 import b64decode
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import SMTPSink
from test_notices import MATERIAL_TERMS, approve, campaigns, finished, import_users, notice_env, wait_for

DB = "data/redline.sqlite"
HEX64 = re.compile(r"[0-9a-f]{64}")


class RawSMTPSink(SMTPSink):
    """The conftest sink, keeping besides its Maildir the exact bytes of every message as the
    server received them (`envelope.original_content`: the DATA section, dot-unstuffed), which
    the Maildir copy is not (aiosmtpd adds X-Peer, X-MailFrom and X-RcptTo headers to it)."""

    def __init__(self, maildir: Path):
        super().__init__(maildir)
        self.raw: list[bytes] = []

    def start(self) -> "RawSMTPSink":
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Mailbox

        sink = self

        class Handler(Mailbox):
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in sink.refuse:
                    return "550 5.1.1 <%s>: mailbox unavailable" % address
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                sink.raw.append(bytes(envelope.original_content))
                return await super().handle_DATA(server, session, envelope)

        self.controller = Controller(Handler(str(self.maildir_path)), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self


@pytest.fixture
def sink(tmp_path: Path):
    server = RawSMTPSink(tmp_path / "maildir").start()
    yield server
    server.stop()


@pytest.fixture
def site(run, workdir):
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return workdir / "public"


@pytest.fixture
def admin_key(run):
    result = run("keys", "create", "--db", DB, "--name", "e2e")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def users(count: int) -> list[tuple[str, str, str]]:
    """(userId, email, locale) rows whose ids and addresses cannot be mistaken for hex or JSON."""
    return [(f"user-{n:04d}", f"reader{n:04d}@example.com", "en") for n in range(count)]


def send_privacy_campaign(run, workdir, serve, sink, admin_key, rows, **env):
    """Imports `rows`, starts a server, approves the upcoming privacy 2027-03-01 campaign and waits
    until every message of it has a final outcome. Returns (server, campaign id)."""
    import_users(run, workdir, rows)
    server = serve(**notice_env(sink, **env))
    campaign_id = approve(run, server, admin_key, "privacy", "2027-03-01")
    assert wait_for(lambda: finished(server, admin_key)), campaigns(server, admin_key)
    return server, campaign_id


def notice_records(workdir: Path) -> list[dict]:
    """Every notice record of the log, read straight from the SQLite rows (with the row's columns)."""
    with sqlite3.connect(workdir / DB) as db:
        rows = db.execute("SELECT sequence, record_id, subject, personal_json, evidence_json FROM consent_record ORDER BY sequence").fetchall()
    records = []
    for sequence, record_id, subject, personal, evidence in rows:
        parsed = json.loads(evidence)
        if parsed.get("kind") == "notice":
            records.append({"row": {"sequence": sequence, "record_id": record_id, "subject": subject, "personal_json": personal,
                                    "evidence_json": evidence}, **parsed})
    return records


def recipient_id(workdir: Path, user_id: str) -> str:
    """The keyed id a notice record names its recipient by: HMAC-SHA256 under the server's secret."""
    secret = b64decode((workdir / (DB + ".secret")).read_text().strip())
    return hmac.new(secret, f"notice-recipient\n{user_id}".encode(), hashlib.sha256).hexdigest()


def verify_notice(run, campaign_id, *extra):
    return run("notify", "verify", str(campaign_id), "--db", DB, "--site", "public", *extra)


def message_to(sink, address: str):
    [message] = [m for m in sink.messages() if m["To"].addresses[0].addr_spec == address]
    return message


def crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


def dsn(notice, *, report_id: str, action="failed", status="5.1.1",
        diagnostic="smtp; 550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table") -> bytes:
    """A delivery status notification (RFC 3464) as Postfix writes it about `notice` (the message
    the sink received): a human-readable part, message/delivery-status with a per-message and a
    per-recipient group, and the original's headers as text/rfc822-headers."""
    to = notice["To"].addresses[0].addr_spec
    headers = "".join(f"{name}: {notice[name]}\n" for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Auto-Submitted"))
    return crlf(f"""Return-Path: <>
Received: by mx1.example.com (Postfix) id 4Q9XyZ1kQpz9t; Tue,  8 Dec 2026 09:14:02 +0000 (UTC)
Date: Tue,  8 Dec 2026 09:14:02 +0000 (UTC)
From: MAILER-DAEMON@mx1.example.com (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: notices@parcelbird.example
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Q9XyZ1kQpz9t.1733649242/mx1.example.com"
Content-Transfer-Encoding: 8bit
Message-Id: <{report_id}>

This is a MIME-encapsulated message.

--4Q9XyZ1kQpz9t.1733649242/mx1.example.com
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx1.example.com.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<{to}>: host mail.example.com[192.0.2.25] said: 550 5.1.1
    <{to}>: Recipient address rejected: User unknown in virtual mailbox
    table (in reply to RCPT TO command)

--4Q9XyZ1kQpz9t.1733649242/mx1.example.com
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx1.example.com
X-Postfix-Queue-ID: 4Q9XyZ1kQpz9t
X-Postfix-Sender: rfc822; notices@parcelbird.example
Arrival-Date: Tue,  8 Dec 2026 09:14:01 +0000 (UTC)

Final-Recipient: rfc822; {to}
Original-Recipient: rfc822;{to}
Action: {action}
Status: {status}
Remote-MTA: dns; mail.example.com
Diagnostic-Code: {diagnostic.format(to=to)}

--4Q9XyZ1kQpz9t.1733649242/mx1.example.com
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{headers}
--4Q9XyZ1kQpz9t.1733649242/mx1.example.com--
""")


def arf(notice, *, report_id: str) -> bytes:
    """An abuse report (RFC 5965 ARF) as a mailbox provider's feedback loop sends it about `notice`."""
    to = notice["To"].addresses[0].addr_spec
    headers = "".join(f"{name}: {notice[name]}\n" for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"))
    return crlf(f"""From: <staff@fbl.example.net>
Date: Wed, 9 Dec 2026 11:02:44 +0000
Subject: FW: Parcelbird Legal & Developers notice
To: <abuse@parcelbird.example>
MIME-Version: 1.0
Message-ID: <{report_id}>
Content-Type: multipart/report; report-type=feedback-report;
	boundary="part1_13d.2e68ed54_boundary"

--part1_13d.2e68ed54_boundary
Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP
192.0.2.1 on Tue, 8 Dec 2026 09:14:01 +0000.
For more information about this format please see
https://www.rfc-editor.org/rfc/rfc5965.

--part1_13d.2e68ed54_boundary
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <notices@parcelbird.example>
Original-Rcpt-To: <{to}>
Arrival-Date: Tue, 8 Dec 2026 09:14:01 +0000
Reported-Domain: parcelbird.example
Source-IP: 192.0.2.1

--part1_13d.2e68ed54_boundary
Content-Type: text/rfc822-headers

{headers}
--part1_13d.2e68ed54_boundary--
""")


def maildir(root: Path) -> Path:
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return root


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def bounces(run, root: Path):
    return run("notify", "bounces", "--maildir", str(root), "--db", DB)


def test_a_thousand_notices_are_each_a_record_of_the_log_and_the_log_proves_the_campaign(site, serve, run, workdir, sink, admin_key):
    """1,000 users are sent the privacy 2027-03-01 notice: the log holds exactly one `sent` record
    per user, naming them only by a keyed hash (never an address or user id), with the SHA-256 of
    the exact bytes the mail server received and of the redline page the notice links to; the
    whole log verifies, a bundle of the day carries the 1,000 records and verifies offline, and
    `notify verify` proves all 1,000 addressees were told at least 30 days before 2027-03-01."""
    rows = users(1000)
    server, campaign_id = send_privacy_campaign(run, workdir, serve, sink, admin_key, rows)
    [campaign] = [c for c in campaigns(server, admin_key) if c["id"] == campaign_id]
    assert (campaign["recipients"], campaign["sent"], campaign["failed"]) == (1000, 1000, 0)

    proof = verify_notice(run, campaign_id)
    assert proof.returncode == 0, proof.stderr
    assert f"campaign {campaign_id}: the log proves all 1000 addressees were sent the notice by 2027-01-30T00:00:00.000Z, 30 days before it took effect" in proof.stdout, proof.stdout

    records = [r for r in notice_records(workdir) if r["campaign"] == campaign_id]
    assert len(records) == 1000 and all(r["outcome"] == "sent" for r in records)
    assert all((r["document"], r["version"], r["effective"], r["locale"]) == ("privacy", "2027-03-01", "2027-03-01", "en") for r in records)
    assert all(r["row"]["subject"] is None and r["row"]["personal_json"] is None for r in records)
    for record in records:
        text = record["row"]["evidence_json"]
        assert "@" not in text and "user-" not in text and "reader" not in text and "example.com" not in text, text
    # Each user once, by the keyed id only the server's secret links back to them.
    assert sorted(r["recipient"] for r in records) == sorted(recipient_id(workdir, user_id) for user_id, _, _ in rows)

    # What was hashed is what the mail server got, byte for byte.
    assert len(sink.raw) == 1000
    received = {hashlib.sha256(raw).hexdigest() for raw in sink.raw}
    hashes = [r["messageSHA256"] for r in records]
    assert all(HEX64.fullmatch(h) for h in hashes) and len(set(hashes)) == 1000
    assert set(hashes) == received

    checked = run("consent", "verify", "--db", DB)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    bundle = workdir / "evidence.zip"
    exported = run("consent", "export", "--db", DB, "--from", today, "--to", today, "--out", str(bundle))
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(bundle) as archive:
        lines = archive.read("notices.jsonl").decode().splitlines()
    assert len(lines) == 1000
    assert {json.loads(line)["recordId"] for line in lines} == {r["recordId"] for r in records}
    offline = run("consent", "verify", "--bundle", str(bundle))
    assert offline.returncode == 0, offline.stdout + offline.stderr

    # The redline page the notice links to, hashed as built.
    page = hashlib.sha256((site / "privacy" / "changes" / "2027-03-01" / "index.html").read_bytes()).hexdigest()
    assert {r.get("redlineSHA256") for r in records} == {page}, "redlineSHA256 is missing or does not match the built page"


def test_a_bounce_and_a_complaint_from_a_maildir_become_records_and_a_bounce_breaks_the_proof(site, serve, run, workdir, sink, admin_key):
    """A hard bounce (RFC 3464) about one user's notice is recorded as `bounced` and marks their
    address undeliverable; `notify verify` then fails naming exactly that user. Reading the maildir
    again records nothing new. A complaint (RFC 5965) about another user is recorded as
    `complained` and does not count against the proof. A report about a message that is no
    notice, one about a notice to nobody addressed, a plain e-mail and a 2 MB file are each named
    with exit 1, while the good reports of the same run are still recorded; the maildir is only read."""
    rows = users(6)
    _, campaign_id = send_privacy_campaign(run, workdir, serve, sink, admin_key, rows)
    assert verify_notice(run, campaign_id).returncode == 0
    bounced_user, bounced_address = rows[2][0], rows[2][1]
    complaining_user = rows[4][0]
    box = maildir(workdir / "bounces")
    (box / "new" / "1733649242.V801I1a2bM1.mx1").write_bytes(dsn(message_to(sink, bounced_address), report_id="20261208091402.4Q9XyZ1kQpz9t@mx1.example.com"))
    before = snapshot(box)

    first = bounces(run, box)
    assert first.returncode == 0, first.stderr
    assert re.search(rf"^new/1733649242\.V801I1a2bM1\.mx1: hard bounce of campaign {campaign_id} to user {bounced_user} "
                     rf"\(5\.1\.1 smtp; 550 5\.1\.1 <{re.escape(bounced_address)}>: Recipient address rejected: User unknown in virtual mailbox table\): "
                     r"recorded as record \d+; address marked undeliverable$", first.stdout, re.MULTILINE), first.stdout
    assert "1 message read, 1 report recorded, 0 not about a notice" in first.stdout, first.stdout
    assert snapshot(box) == before, "the maildir was changed"
    [record] = [r for r in notice_records(workdir) if r["outcome"] == "bounced"]
    assert record["campaign"] == campaign_id and record["recipient"] == recipient_id(workdir, bounced_user)
    assert record["reply"].startswith("5.1.1")

    proof = verify_notice(run, campaign_id, "--show", "100")
    assert proof.returncode == 1, proof.stdout + proof.stderr
    assert proof.stderr.startswith(f"campaign {campaign_id}: not proven: user {bounced_user}: bounced: 5.1.1"), proof.stderr
    assert [u for u in re.findall(r"user (user-\d+)", proof.stderr)] == [bounced_user], proof.stderr
    assert "5 of 6 addressees told in time, 1 not" in proof.stderr, proof.stderr

    listed = run("users", "list", "--undeliverable", "--db", DB)
    assert listed.returncode == 0, listed.stderr
    entries = [line for line in listed.stdout.splitlines() if line.startswith("user-")]
    assert len(entries) == 1 and entries[0].startswith(bounced_user + ",") and "5.1.1" in entries[0], listed.stdout

    again = bounces(run, box)
    assert again.returncode == 0, again.stderr
    assert "already recorded" in again.stdout and "0 reports recorded" in again.stdout, again.stdout
    assert len(notice_records(workdir)) == 7

    # A complaint, and four messages that are no report about a notice, in the same run.
    (box / "cur").joinpath("1733742164.V801I1b07M2.fbl:2,S").write_bytes(arf(message_to(sink, rows[4][1]), report_id="fbl-7731@fbl.example.net"))
    stranger = message_to(sink, rows[0][1])
    del stranger["Message-ID"]
    stranger["Message-ID"] = "<CAF=Yx1q3bT0@mail.gmail.com>"
    (box / "new" / "2-unknown-message-id").write_bytes(dsn(stranger, report_id="unknown@mx1.example.com"))
    nobody = message_to(sink, rows[0][1])
    del nobody["Message-ID"]
    nobody["Message-ID"] = f"<notice-{campaign_id}-0123456789abcdef@parcelbird.example>"
    (box / "new" / "3-notice-to-nobody").write_bytes(dsn(nobody, report_id="nobody@mx1.example.com"))
    (box / "new" / "4-plain").write_bytes(crlf("From: Ana <reader0000@example.com>\nTo: notices@parcelbird.example\n"
                                              "Subject: Re: our Privacy Policy changes\nMessage-ID: <reply-1@example.com>\n\nThanks, noted.\n"))
    # A real bounce about user-0001's notice, but 2 MB: refused unread.
    huge = dsn(message_to(sink, rows[1][1]), report_id="huge@mx1.example.com")
    (box / "new" / "5-huge").write_bytes(huge.replace(b"The mail system\r\n", b"The mail system\r\n" + (b"x" * 76 + b"\r\n") * 26_000, 1))
    assert (box / "new" / "5-huge").stat().st_size > 2_000_000
    before = snapshot(box)

    mixed = bounces(run, box)
    assert mixed.returncode == 1, mixed.stdout + mixed.stderr
    assert re.search(rf"^cur/1733742164\.V801I1b07M2\.fbl:2,S: complaint of campaign {campaign_id} to user {complaining_user} "
                     r"\(complaint: abuse\): recorded as record \d+$", mixed.stdout, re.MULTILINE), mixed.stdout
    assert re.search(r"^new/1733649242\.V801I1a2bM1\.mx1: .*already recorded", mixed.stdout, re.MULTILINE), mixed.stdout
    problems = dict(line.split(": ", 1) for line in mixed.stderr.splitlines() if ": " in line)
    assert set(problems) == {"new/2-unknown-message-id", "new/3-notice-to-nobody", "new/4-plain", "new/5-huge"}, mixed.stderr
    assert "not a Redline notice" in problems["new/2-unknown-message-id"]
    assert "nobody" in problems["new/3-notice-to-nobody"]
    assert "not a delivery report" in problems["new/4-plain"]
    assert "bytes" in problems["new/5-huge"]
    assert "6 messages read, 1 report recorded, 4 not about a notice" in mixed.stdout, mixed.stdout
    assert snapshot(box) == before, "the maildir was changed"

    records = notice_records(workdir)
    assert len(records) == 8 and sorted(r["outcome"] for r in records[6:]) == ["bounced", "complained"]
    [complaint] = [r for r in records if r["outcome"] == "complained"]
    assert complaint["recipient"] == recipient_id(workdir, complaining_user)
    proof = verify_notice(run, campaign_id, "--show", "100")
    assert proof.returncode == 1 and [u for u in re.findall(r"user (user-\d+)", proof.stderr)] == [bounced_user], proof.stderr
    assert "5 of 6 addressees told in time, 1 not" in proof.stderr, proof.stderr
    assert run("consent", "verify", "--db", DB).returncode == 0
    # Last, as it is the one a product bug would stop: the log never holds an address (the
    # diagnostic of a bounce usually quotes it).
    for record in records:
        assert "@" not in record["row"]["evidence_json"], record["row"]["evidence_json"]


def test_the_next_campaign_skips_an_undeliverable_address_and_its_proof_says_so(site, serve, run, workdir, sink, admin_key):
    """After a hard bounce, the next material version is not sent to that address: the mail
    server gets nothing for it, the outbox row fails with "undeliverable address", and `notify
    verify` of the new campaign names that user as not sent. A new address clears the mark."""
    rows = users(5)
    server, first_id = send_privacy_campaign(run, workdir, serve, sink, admin_key, rows)
    bounced_user, bounced_address = rows[3][0], rows[3][1]
    box = maildir(workdir / "bounces")
    (box / "new" / "bounce-1").write_bytes(dsn(message_to(sink, bounced_address), report_id="b1@mx1.example.com"))
    marked = bounces(run, box)
    assert marked.returncode == 0 and "address marked undeliverable" in marked.stdout, marked.stdout + marked.stderr
    delivered = len(sink.raw)
    assert delivered == 5

    (workdir / "content/policies/terms/2027-02-01.md").write_text(MATERIAL_TERMS)
    assert run("build", "--now", "2026-11-21").returncode == 0
    second_id = approve(run, server, admin_key, "terms", "2027-02-01")
    assert second_id != first_id
    assert wait_for(lambda: finished(server, admin_key))
    [second] = [c for c in campaigns(server, admin_key) if c["id"] == second_id]
    assert (second["recipients"], second["sent"], second["failed"]) == (5, 4, 1), second

    terms_notices = [m for m in sink.messages() if "Terms of Service" in m["Subject"]]
    assert len(sink.raw) == delivered + 4 and len(terms_notices) == 4
    assert bounced_address not in {m["To"].addresses[0].addr_spec for m in terms_notices}
    with sqlite3.connect(workdir / DB) as db:
        status, error = db.execute("SELECT o.status, o.last_error FROM outbox o JOIN app_user u ON u.id = o.user_ref "
                                   "WHERE o.campaign_id = ? AND u.user_id = ?", (second_id, bounced_user)).fetchone()
    assert status == "failed" and error.startswith("undeliverable address"), (status, error)

    proof = verify_notice(run, second_id, "--show", "100")
    assert proof.returncode == 1, proof.stdout + proof.stderr
    assert proof.stderr.startswith(f"campaign {second_id}: not proven: user {bounced_user}: not sent"), proof.stderr
    assert [u for u in re.findall(r"user (user-\d+)", proof.stderr)] == [bounced_user], proof.stderr
    assert "4 of 5 addressees told in time, 1 not" in proof.stderr, proof.stderr

    # A changed address is a new chance: the mark goes.
    import_users(run, workdir, [(bounced_user, "new-address@example.org", "en")])
    listed = run("users", "list", "--undeliverable", "--db", DB)
    assert listed.returncode == 0 and bounced_user not in listed.stdout, listed.stdout
    # Last, as it is the one a product bug would stop: the log never holds an address.
    for record in notice_records(workdir):
        assert "@" not in record["row"]["evidence_json"], record["row"]["evidence_json"]


def test_an_address_the_mail_server_refuses_is_named_as_not_sent_with_its_reply(site, serve, run, workdir, sink, admin_key):
    """The SMTP server answers 550 for one address: that outcome is a `failed` record carrying the
    reply, and `notify verify` names that user, and only that user, as not sent with the 550."""
    rows = users(4)
    refused_user, refused_address = rows[1][0], rows[1][1]
    sink.refuse.add(refused_address)
    _, campaign_id = send_privacy_campaign(run, workdir, serve, sink, admin_key, rows)

    proof = verify_notice(run, campaign_id, "--show", "100")
    assert proof.returncode == 1, proof.stdout + proof.stderr
    first_line = proof.stderr.splitlines()[0]
    assert first_line.startswith(f"campaign {campaign_id}: not proven: user {refused_user}: not sent"), proof.stderr
    assert "550" in first_line and "mailbox unavailable" in first_line, proof.stderr
    assert [u for u in re.findall(r"user (user-\d+)", proof.stderr)] == [refused_user], proof.stderr
    assert "3 of 4 addressees told in time, 1 not" in proof.stderr, proof.stderr
    [failed] = [r for r in notice_records(workdir) if r["outcome"] == "failed"]
    assert failed["recipient"] == recipient_id(workdir, refused_user) and "550" in failed["reply"]
    # Last, as it is the one a product bug would stop: the log never holds the address, though
    # the mail server's reply quotes it.
    assert refused_address not in failed["row"]["evidence_json"], failed["row"]["evidence_json"]


def test_a_notice_sent_less_than_the_period_ahead_is_named_as_sent_late(site, serve, run, workdir, sink, admin_key):
    """With a 400-day period, notices sent now for 2027-03-01 are late: every user is named as
    `sent late`, with when it was sent and the period."""
    rows = users(3)
    _, campaign_id = send_privacy_campaign(run, workdir, serve, sink, admin_key, rows)
    assert verify_notice(run, campaign_id).returncode == 0

    late = verify_notice(run, campaign_id, "--period-days", "400")
    assert late.returncode == 1, late.stdout + late.stderr
    assert re.match(rf"campaign {campaign_id}: not proven: user user-0000: sent late: \d{{4}}-\d\d-\d\dT[0-9:.]+Z, \d+ days before 2027-03-01; "
                    r"the notice period is 400 days", late.stderr), late.stderr
    assert sorted(re.findall(r"user (user-\d+): sent late", late.stderr)) == [u for u, _, _ in rows], late.stderr
    assert "0 of 3 addressees told in time, 3 not" in late.stderr, late.stderr


def test_a_changed_notice_record_breaks_the_log_and_the_proof(site, serve, run, workdir, sink, admin_key):
    """Someone with write access turns one `sent` record into `failed` in the database:
    `consent verify --db` names that record, and `notify verify` refuses to prove anything from
    a log that does not verify. Pointing a record at another recipient is caught the same way."""
    rows = users(4)
    server, campaign_id = send_privacy_campaign(run, workdir, serve, sink, admin_key, rows)
    server.stop()
    assert run("consent", "verify", "--db", DB).returncode == 0
    target = notice_records(workdir)[2]
    original = target["row"]["evidence_json"]

    for changed in (original.replace('"outcome":"sent"', '"outcome":"failed"'),
                    original.replace(target["recipient"], recipient_id(workdir, "user-9999"))):
        assert changed != original
        with sqlite3.connect(workdir / DB) as db:
            db.execute("UPDATE consent_record SET evidence_json = ? WHERE sequence = ?", (changed, target["row"]["sequence"]))
        checked = run("consent", "verify", "--db", DB)
        assert checked.returncode == 1, checked.stdout + checked.stderr
        assert f"record {target['row']['sequence']}" in checked.stderr or target["recordId"] in checked.stderr, checked.stderr

        proof = verify_notice(run, campaign_id)
        assert proof.returncode == 1, proof.stdout + proof.stderr
        assert f"campaign {campaign_id}: the log does not verify, so it proves nothing" in proof.stderr, proof.stderr
        assert "not proven" not in proof.stderr and proof.stdout == ""

        with sqlite3.connect(workdir / DB) as db:
            db.execute("UPDATE consent_record SET evidence_json = ? WHERE sequence = ?", (original, target["row"]["sequence"]))
        assert run("consent", "verify", "--db", DB).returncode == 0
        assert verify_notice(run, campaign_id).returncode == 0


def test_bounces_are_read_from_an_imap_folder_too(site, serve, run, workdir, sink, admin_key):
    """`notify bounces --imap` reads the same reports from an IMAP folder (a real Dovecot): the
    bounce is recorded and the address marked undeliverable; reading again records nothing new;
    nothing in the folder is moved or deleted; the password comes from the environment and is never
    printed; a wrong password is one clear line and exit 2."""
    import imapserver
    rows = users(3)
    _, campaign_id = send_privacy_campaign(run, workdir, serve, sink, admin_key, rows)
    bounced_user, bounced_address = rows[1][0], rows[1][1]
    server = imapserver.IMAPServer().start()
    try:
        server.deliver("1733649300.M1.mx1", dsn(message_to(sink, bounced_address), report_id="imap-report-1@mx1.example.com"))
        server.deliver("1733649301.M2.mx1", crlf("From: someone@example.org\nSubject: hello\nMessage-ID: <hi@example.org>\n\nNot a report.\n"))
        url = f"imap://{server.user}@127.0.0.1:{server.port}/INBOX"
        env = {"REDLINE_IMAP_PASSWORD": server.password}
        first = run("notify", "bounces", "--imap", url, "--db", DB, env=env)
        assert first.returncode == 1, first.stdout + first.stderr
        assert re.search(rf"^UID 1: hard bounce of campaign {campaign_id} to user {bounced_user} .*: recorded as record \d+; address marked undeliverable$",
                         first.stdout, re.MULTILINE), first.stdout
        assert re.search(r"^UID 2: not a delivery report", first.stderr, re.MULTILINE), first.stderr
        assert "2 messages read, 1 report recorded, 1 not about a notice" in first.stdout
        assert server.password not in first.stdout + first.stderr
        again = run("notify", "bounces", "--imap", url, "--db", DB, env=env)
        assert "already recorded" in again.stdout and "0 reports recorded" in again.stdout, again.stdout
        assert len(list((server.maildir / "cur").iterdir())) + len(list((server.maildir / "new").iterdir())) == 2, "a message was moved or deleted"
        assert [r["outcome"] for r in notice_records(workdir)].count("bounced") == 1
        proof = verify_notice(run, campaign_id)
        assert proof.returncode == 1 and f"user {bounced_user}: bounced" in proof.stderr, proof.stderr

        wrong = run("notify", "bounces", "--imap", url, "--db", DB, env={"REDLINE_IMAP_PASSWORD": "not it"})
        assert wrong.returncode == 2 and wrong.stderr.startswith("error: imap://127.0.0.1:"), wrong.stderr
        assert "not it" not in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1, wrong.stderr
    finally:
        server.stop()
