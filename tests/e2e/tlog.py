"""Transparency-log primitives written from the specifications, apart from Redline's Swift code, so that the
end-to-end suite checks Redline's receipts against the specifications rather than against itself:

- Merkle trees, RFC 6962 §2.1 / RFC 9162 §2.1: leaf and node hashes, tree hashes, inclusion and
  consistency proofs, and their verification;
- verifier keys and signed notes, https://c2sp.org/signed-note;
- checkpoints, https://c2sp.org/tlog-checkpoint, and Ed25519 cosignatures, https://c2sp.org/tlog-cosignature;
- proof files, https://c2sp.org/tlog-proof.
"""
import base64
import hashlib
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

NOTE_KEY = 0x01  # a vkey's type byte for an Ed25519 note signature
COSIGNATURE_KEY = 0x04  # a vkey's type byte for an Ed25519 cosignature (cosignature/v1)
PROOF_HEADER = "c2sp.org/tlog-proof@v1"
EM_DASH = "\u2014"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    """Strict standard base64 (RFC 4648 §4): raises ValueError on anything else."""
    return base64.b64decode(text, validate=True)


# Merkle trees (RFC 6962 §2.1). Leaves are the entries' bytes; the functions hash them themselves.

def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _root(hashes: list[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return node_hash(_root(hashes[:k]), _root(hashes[k:]))


def tree_hash(leaves: list[bytes]) -> bytes:
    """MTH(D[n]), the root hash of the tree of these leaves."""
    return _root([leaf_hash(leaf) for leaf in leaves])


def _path(m: int, hashes: list[bytes]) -> list[bytes]:
    if len(hashes) <= 1:
        return []
    k = _split(len(hashes))
    if m < k:
        return _path(m, hashes[:k]) + [_root(hashes[k:])]
    return _path(m - k, hashes[k:]) + [_root(hashes[:k])]


def inclusion_proof(index: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]), RFC 6962 §2.1.1: the leaf's sibling first, the root's child last."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"index {index} is not in a tree of size {len(leaves)}")
    return _path(index, [leaf_hash(leaf) for leaf in leaves])


def _subproof(m: int, hashes: list[bytes], whole: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if whole else [_root(hashes)]
    k = _split(n)
    if m <= k:
        return _subproof(m, hashes[:k], whole) + [_root(hashes[k:])]
    return _subproof(m - k, hashes[k:], False) + [_root(hashes[:k])]


def consistency_proof(m: int, leaves: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true), RFC 6962 §2.1.2 (RFC 9162 §2.1.4.1): the tree of the
    first m leaves is a prefix of the tree of all of them."""
    if not 1 <= m <= len(leaves):
        raise ValueError(f"no consistency proof from size {m} to size {len(leaves)}")
    return _subproof(m, [leaf_hash(leaf) for leaf in leaves], True)


def verify_inclusion(index: int, size: int, hash: bytes, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: `hash` (a leaf hash) is at `index` in the tree of `size` leaves with `root`."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_hash: bytes, second_hash: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: the tree of size `second` with root `second_hash` extends the one of size
    `first` with root `first_hash`. Equal sizes need an empty proof and equal roots."""
    if not 1 <= first <= second:
        return False
    if first == second:
        return not proof and first_hash == second_hash
    if not proof:
        return False
    if first & (first - 1) == 0:  # a power of two: the old root is a node of the new tree
        proof = [first_hash] + proof
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_hash and sr == second_hash and sn == 0


# Verifier keys and signed notes (c2sp.org/signed-note).

def key_id(name: str, key_type: int, public_key: bytes) -> bytes:
    """SHA-256(name || 0x0A || type || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()[:4]


@dataclass(frozen=True)
class VerifierKey:
    """A vkey, `<name>+<hex key ID>+<base64(type || public key)>`; str() encodes it."""
    name: str
    key_type: int
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.key_type, self.public_key)

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{b64(bytes([self.key_type]) + self.public_key)}"

    @classmethod
    def parse(cls, text: str) -> "VerifierKey":
        """Raises ValueError for a malformed vkey, a key that is not Ed25519 or a key ID that does not match."""
        match = re.fullmatch(r"([^+\s]+)\+([0-9a-f]{8})\+(\S+)", text)
        if not match:
            raise ValueError(f"not a vkey: {text!r}")
        blob = unb64(match[3])
        if len(blob) != 33 or blob[0] not in (NOTE_KEY, COSIGNATURE_KEY):
            raise ValueError(f"not an Ed25519 vkey: {text!r}")
        key = cls(match[1], blob[0], blob[1:])
        if key.key_id.hex() != match[2]:
            raise ValueError(f"the key ID of {text!r} is not {key.key_id.hex()}")
        return key


@dataclass(frozen=True)
class Signature:
    """One signature line of a note: `— <name> base64(key ID || signature)`."""
    name: str
    key_id: bytes
    signature: bytes  # after the key ID: 64 bytes for a note signature, 72 for a cosignature

    @property
    def line(self) -> str:
        return f"{EM_DASH} {self.name} {b64(self.key_id + self.signature)}"

    @classmethod
    def parse(cls, line: str) -> "Signature":
        match = re.fullmatch(EM_DASH + r" (\S+) (\S+)", line)
        blob = unb64(match[2]) if match else b""
        if len(blob) < 5:
            raise ValueError(f"not a signature line: {line!r}")
        return cls(match[1], blob[:4], blob[4:])

    def by(self, key: VerifierKey) -> bool:
        """The line names this key (the name and key ID match): only then is it checked against it."""
        return (self.name, self.key_id) == (key.name, key.key_id)


def cosigned_message(text: str, timestamp: int) -> bytes:
    """What an Ed25519 cosignature/v1 signs: two header lines, then the note text."""
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


class Signer:
    """An Ed25519 key with its name: signs notes (key type 0x01) or cosigns them (key type 0x04)."""

    def __init__(self, name: str, key_type: int = NOTE_KEY, private_key: Ed25519PrivateKey | None = None):
        self.name, self.key_type = name, key_type
        self.private_key = private_key or Ed25519PrivateKey.generate()

    @property
    def verifier(self) -> VerifierKey:
        raw = self.private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return VerifierKey(self.name, self.key_type, raw)

    @property
    def vkey(self) -> str:
        return str(self.verifier)

    def sign(self, text: str, timestamp: int = 1_700_000_000) -> Signature:
        """A note signature over `text`, or for a cosigner key a cosignature at `timestamp`."""
        if self.key_type == COSIGNATURE_KEY:
            signed = timestamp.to_bytes(8, "big") + self.private_key.sign(cosigned_message(text, timestamp))
        else:
            signed = self.private_key.sign(text.encode())
        return Signature(self.name, self.verifier.key_id, signed)


def verify_signature(text: str, signature: Signature, key: VerifierKey) -> bool:
    """The line is by `key` and verifies over the note text (a cosignature: with its timestamp)."""
    if not signature.by(key):
        return False
    public = Ed25519PublicKey.from_public_bytes(key.public_key)
    if key.key_type == COSIGNATURE_KEY:
        if len(signature.signature) != 72:
            return False
        timestamp = int.from_bytes(signature.signature[:8], "big")
        message, signed = cosigned_message(text, timestamp), signature.signature[8:]
    else:
        message, signed = text.encode(), signature.signature
    try:
        public.verify(signed, message)
        return True
    except InvalidSignature:
        return False


@dataclass
class Note:
    """A signed note: its text (non-empty lines, each ending in a newline) and its signature lines."""
    text: str
    signatures: list[Signature] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text + "\n" + "".join(signature.line + "\n" for signature in self.signatures)

    @classmethod
    def parse(cls, signed: str) -> "Note":
        text, blank, signatures = signed.rpartition("\n\n")
        if not blank or not signatures.endswith("\n"):
            raise ValueError("not a signed note: no blank line before the signatures, or no final newline")
        return cls(text + "\n", [Signature.parse(line) for line in signatures[:-1].split("\n")])

    def signed_by(self, *signers: Signer, timestamp: int = 1_700_000_000) -> "Note":
        return Note(self.text, self.signatures + [signer.sign(self.text, timestamp) for signer in signers])


# Checkpoints (c2sp.org/tlog-checkpoint).

@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "".join(line + "\n" for line in (self.origin, str(self.size), b64(self.root), *self.extensions))

    @classmethod
    def parse(cls, text: str) -> "Checkpoint":
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not re.fullmatch(r"0|[1-9][0-9]*", lines[1]):
            raise ValueError(f"not a checkpoint: {text!r}")
        root = unb64(lines[2])
        if len(root) != 32:
            raise ValueError(f"the checkpoint's root hash is not 32 bytes: {lines[2]!r}")
        return cls(lines[0], int(lines[1]), root, tuple(lines[3:-1]))


# Proof files (c2sp.org/tlog-proof).

@dataclass
class TlogProof:
    index: int
    hashes: list[bytes]
    checkpoint: Note  # the signed checkpoint, as the log issued it
    extra: bytes | None = None  # for Redline: the leaf itself, the consent record's canonical JSON

    def __str__(self) -> str:
        lines = [PROOF_HEADER] + ([f"extra {b64(self.extra)}"] if self.extra is not None else [])
        lines += [f"index {self.index}"] + [b64(hash) for hash in self.hashes]
        return "\n".join(lines) + "\n\n" + str(self.checkpoint)

    @classmethod
    def parse(cls, text: str) -> "TlogProof":
        header, blank, checkpoint = text.partition("\n\n")
        lines = header.split("\n")
        if not blank or lines[0] != PROOF_HEADER:
            raise ValueError(f"not a tlog-proof: the first line is not {PROOF_HEADER}")
        extra = unb64(lines.pop(1)[len("extra "):]) if len(lines) > 1 and lines[1].startswith("extra ") else None
        if len(lines) < 2 or not re.fullmatch(r"index (0|[1-9][0-9]*)", lines[1]):
            raise ValueError("not a tlog-proof: no index line")
        hashes = [unb64(line) for line in lines[2:]]
        if any(len(hash) != 32 for hash in hashes):
            raise ValueError("an inclusion proof line is not a 32-byte hash")
        return cls(int(lines[1][len("index "):]), hashes, Note.parse(checkpoint), extra)

    @classmethod
    def build(cls, leaves: list[bytes], index: int, log: Signer, *witnesses: Signer, origin: str | None = None,
              timestamp: int = 1_700_000_000) -> "TlogProof":
        """A proof of leaves[index] in the tree of all the leaves, signed by `log` (its checkpoint's origin
        is the log key's name unless `origin` says otherwise) and cosigned by the witnesses."""
        checkpoint = Checkpoint(origin or log.name, len(leaves), tree_hash(leaves))
        note = Note(checkpoint.text).signed_by(log).signed_by(*witnesses, timestamp=timestamp)
        return cls(index, inclusion_proof(index, leaves), note, leaves[index])
