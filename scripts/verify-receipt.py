#!/usr/bin/env python3
"""Verifies a Redline consent receipt: a C2SP tlog-proof (https://c2sp.org/tlog-proof) whose `extra`
line is the consent record itself. Needs only the standard library and the `cryptography` package."""
import argparse, base64, hashlib, json, re, sys
from pathlib import Path
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

NUMBER = r"0|[1-9][0-9]*"  # a decimal without leading zeros


def require(condition, problem):
    if not condition:
        sys.exit("FAIL: " + problem)  # to stderr, exit status 1


def b64(text, size=None):
    """Standard base64 (RFC 4648 §4) of `size` bytes if given; None if it is not."""
    try:
        data = base64.b64decode(text, validate=True)
        return data if size in (None, len(data)) else None
    except ValueError:
        return None


def sha256(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def vkey(text, key_type):
    """A verifier key `name+keyID+base64(type || Ed25519 key)` (c2sp.org/signed-note) as (name, key ID, key),
    or None if it is malformed, of another type, or its key ID is not SHA-256(name || 0x0A || type || key)[:4]."""
    name, key_id, key = (text.split("+", 2) + ["", ""])[:3]
    key = b64(key, 33)
    if name and key and key[0] == key_type and sha256(name.encode(), b"\n", key)[:4].hex() == key_id:
        return name, bytes.fromhex(key_id), key[1:]
    return None


def verifies(key, signature, message):
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, message)
        return True
    except InvalidSignature:
        return False


cli = argparse.ArgumentParser(description="Verifies a Redline consent receipt (a C2SP tlog-proof).")
cli.add_argument("proof_file", metavar="PROOF_FILE")
cli.add_argument("--log-key", required=True, metavar="VKEY", help="the log's verifier key (type 0x01)")
cli.add_argument("--witness-key", action="append", default=[], metavar="VKEY", help="a witness's key (type 0x04)")
cli.add_argument("--quorum", type=int, help="cosignatures required (default: one by every witness key)")
args = cli.parse_args()

log_name, log_id, log_key = vkey(args.log_key, 0x01) or cli.error(f"not a log vkey (type 0x01): {args.log_key}")
witnesses = {vkey(text, 0x04) or cli.error(f"not a witness vkey (type 0x04): {text}") for text in args.witness_key}
quorum = len(witnesses) if args.quorum is None else args.quorum
if not 0 <= quorum <= len(witnesses):
    cli.error(f"--quorum must be between 0 and the number of witness keys ({len(witnesses)})")

# 1. Format: header, blank line, checkpoint (the signed note's text), blank line, signature lines.
try:
    parts = Path(args.proof_file).read_bytes().decode("utf-8").split("\n\n")
except (OSError, UnicodeError) as error:
    sys.exit(f"FAIL: cannot read the proof: {error}")
require(len(parts) == 3 and parts[2].endswith("\n"),
        "not a tlog-proof: expected a header, a blank line, a checkpoint, a blank line and signature lines")
header, body, note = parts[0].split("\n"), parts[1].split("\n"), (parts[1] + "\n").encode()
require(header[0] == "c2sp.org/tlog-proof@v1", "the first line is not c2sp.org/tlog-proof@v1")
require(len(header) >= 3 and header[1].startswith("extra ") and re.fullmatch(f"index ({NUMBER})", header[2]),
        "the proof needs an `extra` line (the consent record), then an `index` line")
leaf, index, proof = b64(header[1][6:]), int(header[2][6:]), [b64(line, 32) for line in header[3:]]
require(leaf is not None, "the extra line is not base64")
require(None not in proof, "an inclusion proof line is not a base64 SHA-256 hash")
require(len(body) >= 3 and "" not in body and re.fullmatch(NUMBER, body[1]) and b64(body[2], 32),
        "the checkpoint needs an origin, a decimal tree size and a base64 SHA-256 root hash")
origin, size, root = body[0], int(body[1]), b64(body[2])
signatures = {}  # (key name, key ID) -> the signatures under them
for line in parts[2][:-1].split("\n"):
    match = re.fullmatch("\u2014 (\\S+) (\\S+)", line)  # em dash, key name, base64(key ID || signature)
    signature = b64(match[2]) if match else None
    require(signature, f"not a signature line: {line!r}")
    signatures.setdefault((match[1], signature[:4]), []).append(signature[4:])

# 2. The log's signature over the note text; 3. Redline names the log's key after its origin.
require((log_name, log_id) in signatures, f"no signature by the log key {log_name}")
require(all(verifies(log_key, signature, note) for signature in signatures[log_name, log_id]),
        f"the log's signature by {log_name} does not verify: the checkpoint was altered")
require(origin == log_name, f"the checkpoint's origin {origin!r} is not the log key's name {log_name!r}")

# 4. Inclusion, RFC 9162 §2.1.3.2: hash up from the leaf, the proof's hashes as siblings in turn.
entry_hash = hashlib.sha256(leaf).hexdigest()
require(index < size, f"index {index} is not below the tree size {size}")
fn, sn, r = index, size - 1, sha256(b"\x00", leaf)
for p in proof:
    require(sn > 0, f"the inclusion proof is too long for index {index} in a tree of size {size}")
    if fn & 1 or fn == sn:
        r = sha256(b"\x01", p, r)
        while not fn & 1 and fn != 0:
            fn, sn = fn >> 1, sn >> 1
    else:
        r = sha256(b"\x01", r, p)
    fn, sn = fn >> 1, sn >> 1
require(sn == 0, f"the inclusion proof is too short for index {index} in a tree of size {size}")
require(r == root, f"the inclusion proof of entry {index} (entryHash {entry_hash}) does not lead to the root")

# 5. Witnesses: a cosignature is an 8-byte big-endian timestamp || an Ed25519 signature.
for name, key_id, key in witnesses:
    for signature in signatures.get((name, key_id), []):
        time = int.from_bytes(signature[:8], "big")
        message = f"cosignature/v1\ntime {time}\n".encode() + note
        require(len(signature) == 72 and time < 2**63 and verifies(key, signature[8:], message),
                f"the cosignature by witness {name} does not verify")
cosigned = sum((name, key_id) in signatures for name, key_id, _ in witnesses)
require(cosigned >= quorum, f"only {cosigned} of {len(witnesses)} witnesses cosigned (quorum {quorum})")

try:
    receipt = f"; receipt {json.loads(leaf)['recordId']}"
except (ValueError, TypeError, KeyError):
    receipt = ""
print(f"OK: entry {index} (entryHash {entry_hash}) is in {origin} at tree size {size}, "
      f"cosigned by {cosigned} of {len(witnesses)} witnesses{receipt}")

