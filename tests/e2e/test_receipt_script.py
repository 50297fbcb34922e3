"""scripts/verify-receipt.py, the receipt verifier the README prints, against tlog-proofs built here from the
specifications (tlog.py) with keys made for the test: it needs no redline binary."""
import ast
import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tlog

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "verify-receipt.py"

LOG = tlog.Signer("consent.example.com/log")
WITNESS_A = tlog.Signer("witness-a.example/w1", tlog.COSIGNATURE_KEY)
WITNESS_B = tlog.Signer("witness-b.example/w2", tlog.COSIGNATURE_KEY)


def record(i: int) -> bytes:
    """A consent record as Redline hashes it: canonical JSON, sorted keys and no spaces."""
    fields = {"recordId": f"rec-{i:04d}", "subject": f"visitor-{i}", "choices": {"analytics": i % 2 == 0}}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def leaves(n: int) -> list[bytes]:
    return [record(i) for i in range(n)]


def flip(data: bytes, at: int = 0) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def ok_line(proof: tlog.TlogProof, cosigned: int = 0, witnesses: int = 0) -> str:
    checkpoint = tlog.Checkpoint.parse(proof.checkpoint.text)
    receipt = json.loads(proof.extra)["recordId"]
    return (f"OK: entry {proof.index} (entryHash {hashlib.sha256(proof.extra).hexdigest()}) is in "
            f"{checkpoint.origin} at tree size {checkpoint.size}, cosigned by {cosigned} of {witnesses} witnesses"
            f"; receipt {receipt}\n")


@pytest.fixture
def verify(tmp_path):
    """Runs the script on a proof (a TlogProof, its text or its bytes), as the README shows it run."""
    def _verify(proof, *args: str) -> subprocess.CompletedProcess:
        path = tmp_path / "receipt.tlog-proof"
        path.write_bytes(proof if isinstance(proof, bytes) else str(proof).encode())
        return subprocess.run([sys.executable, str(SCRIPT), str(path), *args], capture_output=True, text=True,
                              timeout=120)
    return _verify


def assert_fails(result: subprocess.CompletedProcess, problem: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("FAIL: ") and result.stderr.count("\n") == 1, result.stderr
    assert problem in result.stderr, result.stderr


# The tree helpers against RFC 6962's test data (the leaves of certificate-transparency's merkle tests).

RFC6962_LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
                  bytes(range(0x50, 0x58)), bytes(range(0x60, 0x70))]
RFC6962_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}


@pytest.mark.parametrize("size, root", RFC6962_ROOTS.items())
def test_tree_roots_are_the_rfc6962_test_vectors(size, root):
    assert tlog.tree_hash(RFC6962_LEAVES[:size]).hex() == root


def test_the_empty_tree_hashes_to_the_hash_of_nothing():
    assert tlog.tree_hash([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize("index, size, proof", [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
])
def test_inclusion_proofs_are_the_rfc6962_test_vectors(index, size, proof):
    assert [h.hex() for h in tlog.inclusion_proof(index, RFC6962_LEAVES[:size])] == proof


@pytest.mark.parametrize("first, second, proof", [
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
])
def test_consistency_proofs_are_the_rfc6962_test_vectors(first, second, proof):
    assert [h.hex() for h in tlog.consistency_proof(first, RFC6962_LEAVES[:second])] == proof


def test_inclusion_proofs_verify_for_every_index_and_only_there():
    for size in range(1, 18):
        tree, root = leaves(size), tlog.tree_hash(leaves(size))
        for index in range(size):
            proof, hash = tlog.inclusion_proof(index, tree), tlog.leaf_hash(tree[index])
            assert tlog.verify_inclusion(index, size, hash, proof, root)
            assert not tlog.verify_inclusion(index + 1, size, hash, proof, root)
            assert not tlog.verify_inclusion(index, size, tlog.leaf_hash(b"other"), proof, root)
            assert not tlog.verify_inclusion(index, size, hash, proof + [root], root)
            for at in range(len(proof)):
                assert not tlog.verify_inclusion(index, size, hash, proof[:at] + proof[at + 1:], root)
                tampered = [*proof[:at], flip(proof[at]), *proof[at + 1:]]
                assert not tlog.verify_inclusion(index, size, hash, tampered, root)


def test_consistency_proofs_verify_for_every_pair_of_sizes_up_to_17():
    tree = leaves(17)
    for second in range(1, 18):
        new_root = tlog.tree_hash(tree[:second])
        for first in range(1, second + 1):
            old_root, proof = tlog.tree_hash(tree[:first]), tlog.consistency_proof(first, tree[:second])
            assert tlog.verify_consistency(first, second, old_root, new_root, proof), (first, second)


def test_a_tampered_consistency_proof_fails():
    tree = leaves(17)
    for second in range(2, 18):
        new_root = tlog.tree_hash(tree[:second])
        for first in range(1, second):
            old_root, proof = tlog.tree_hash(tree[:first]), tlog.consistency_proof(first, tree[:second])
            assert not tlog.verify_consistency(first, second, flip(old_root), new_root, proof)
            assert not tlog.verify_consistency(first, second, old_root, flip(new_root), proof)
            assert not tlog.verify_consistency(first, second, old_root, new_root, proof + [new_root])
            for at in range(len(proof)):
                assert not tlog.verify_consistency(first, second, old_root, new_root, proof[:at] + proof[at + 1:])
                tampered = [*proof[:at], flip(proof[at]), *proof[at + 1:]]
                assert not tlog.verify_consistency(first, second, old_root, new_root, tampered), (first, second, at)
    # A tree is consistent with itself only by an empty proof and an equal root.
    assert tlog.verify_consistency(5, 5, tlog.tree_hash(tree[:5]), tlog.tree_hash(tree[:5]), [])
    assert not tlog.verify_consistency(5, 5, tlog.tree_hash(tree[:5]), tlog.tree_hash(tree[:6]), [])


def test_vkeys_and_proof_files_read_back_as_written():
    key = tlog.VerifierKey.parse(LOG.vkey)
    assert (key.name, key.key_type, str(key)) == (LOG.name, tlog.NOTE_KEY, LOG.vkey)
    with pytest.raises(ValueError):
        tlog.VerifierKey.parse(LOG.vkey.replace("+", "+0", 1)[:-1])
    proof = tlog.TlogProof.build(leaves(6), 4, LOG, WITNESS_A)
    assert str(tlog.TlogProof.parse(str(proof))) == str(proof)
    assert tlog.Checkpoint.parse(proof.checkpoint.text).root == tlog.tree_hash(leaves(6))
    log_line, cosignature = proof.checkpoint.signatures
    assert tlog.verify_signature(proof.checkpoint.text, log_line, LOG.verifier)
    assert tlog.verify_signature(proof.checkpoint.text, cosignature, WITNESS_A.verifier)
    assert not tlog.verify_signature(proof.checkpoint.text + "x\n", cosignature, WITNESS_A.verifier)
    assert not tlog.verify_signature(proof.checkpoint.text, cosignature, WITNESS_B.verifier)


# The script.

def test_the_script_is_an_executable_that_needs_only_the_standard_library_and_cryptography():
    source = SCRIPT.read_text()
    assert source.startswith("#!/usr/bin/env python3\n") and os.access(SCRIPT, os.X_OK)
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported - sys.stdlib_module_names == {"cryptography"}


@pytest.mark.parametrize("size", range(1, 18))
def test_a_valid_proof_verifies_for_every_index(verify, size):
    for index in range(size):
        proof = tlog.TlogProof.build(leaves(size), index, LOG)
        result = verify(proof, "--log-key", LOG.vkey)
        assert (result.returncode, result.stdout, result.stderr) == (0, ok_line(proof), ""), (size, index)


def test_the_script_runs_as_an_executable(tmp_path):
    proof = tlog.TlogProof.build(leaves(3), 2, LOG, WITNESS_A)
    (tmp_path / "receipt.tlog-proof").write_text(str(proof))
    result = subprocess.run([str(SCRIPT), str(tmp_path / "receipt.tlog-proof"), "--log-key", LOG.vkey,
                             "--witness-key", WITNESS_A.vkey], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (0, ok_line(proof, 1, 1)), result.stderr


def test_a_leaf_that_is_not_a_record_verifies_without_a_receipt_id(verify):
    tree = [b"not json", b'["a list"]', b'{"no": "recordId"}']
    for index in range(3):
        result = verify(tlog.TlogProof.build(tree, index, LOG), "--log-key", LOG.vkey)
        assert result.returncode == 0 and "receipt" not in result.stdout, result
        assert f"(entryHash {hashlib.sha256(tree[index]).hexdigest()})" in result.stdout


def valid() -> tlog.TlogProof:
    """Entry 6 of 11, cosigned by witness A."""
    return tlog.TlogProof.build(leaves(11), 6, LOG, WITNESS_A)


def with_flipped_root(proof: tlog.TlogProof, sign_again: bool) -> tlog.TlogProof:
    """The checkpoint's root hash changed after the log signed it, or before (then signed again)."""
    checkpoint = tlog.Checkpoint.parse(proof.checkpoint.text)
    text = dataclasses.replace(checkpoint, root=flip(checkpoint.root)).text
    note = tlog.Note(text).signed_by(LOG, WITNESS_A) if sign_again else tlog.Note(text, proof.checkpoint.signatures)
    return dataclasses.replace(proof, checkpoint=note)


def with_signature(proof: tlog.TlogProof, at: int, change) -> tlog.TlogProof:
    signatures = list(proof.checkpoint.signatures)
    signatures[at] = dataclasses.replace(signatures[at], signature=change(signatures[at].signature))
    return dataclasses.replace(proof, checkpoint=tlog.Note(proof.checkpoint.text, signatures))


OTHER_LOG = tlog.Signer(LOG.name)  # the log's name, another key
IMPOSTOR = tlog.Signer(WITNESS_A.name, tlog.COSIGNATURE_KEY)  # witness A's name, another key
ARGS = ("--log-key", LOG.vkey, "--witness-key", WITNESS_A.vkey)

TAMPERED = {
    "a flipped byte in the leaf": (
        lambda p: dataclasses.replace(p, extra=flip(p.extra, 20)), ARGS, "does not lead to the root"),
    "a flipped byte in a proof hash": (
        lambda p: dataclasses.replace(p, hashes=[p.hashes[0], flip(p.hashes[1], 31), *p.hashes[2:]]), ARGS,
        "does not lead to the root"),
    "a flipped byte in the root": (
        lambda p: with_flipped_root(p, sign_again=False), ARGS, f"the log's signature by {LOG.name} does not verify"),
    "a flipped byte in the root, the checkpoint signed again": (
        lambda p: with_flipped_root(p, sign_again=True), ARGS, "does not lead to the root"),
    "a flipped byte in the log's signature": (
        lambda p: with_signature(p, 0, lambda s: flip(s, 10)), ARGS,
        f"the log's signature by {LOG.name} does not verify"),
    "the wrong log key": (
        lambda p: p, ("--log-key", OTHER_LOG.vkey), f"no signature by the log key {LOG.name}"),
    "a checkpoint whose origin is not the key's name": (
        lambda p: tlog.TlogProof.build(leaves(11), 6, LOG, origin="elsewhere.example/log"), ("--log-key", LOG.vkey),
        "the checkpoint's origin 'elsewhere.example/log' is not the log key's name"),
    "the index one too high": (
        lambda p: dataclasses.replace(p, index=7), ARGS, "does not lead to the root"),
    "the index one too low": (
        lambda p: dataclasses.replace(p, index=5), ARGS, "does not lead to the root"),
    "the index of the tree size": (
        lambda p: dataclasses.replace(p, index=11), ARGS, "index 11 is not below the tree size 11"),
    "a proof line removed": (
        lambda p: dataclasses.replace(p, hashes=p.hashes[:-1]), ARGS, "the inclusion proof is too short"),
    "a proof line added": (
        lambda p: dataclasses.replace(p, hashes=p.hashes + p.hashes[:1]), ARGS, "the inclusion proof is too long"),
    "a cosignature by an unknown witness": (
        lambda p: tlog.TlogProof.build(leaves(11), 6, LOG, WITNESS_B), ARGS,
        "only 0 of 1 witnesses cosigned (quorum 1)"),
    "a cosignature under the witness's name by another key": (
        lambda p: tlog.TlogProof.build(leaves(11), 6, LOG, IMPOSTOR), ARGS,
        "only 0 of 1 witnesses cosigned (quorum 1)"),
    "a flipped byte in a cosignature": (
        lambda p: with_signature(p, 1, lambda s: flip(s, 40)), ARGS,
        f"the cosignature by witness {WITNESS_A.name} does not verify"),
    "a changed cosignature timestamp": (
        lambda p: with_signature(p, 1, lambda s: flip(s, 7)), ARGS,
        f"the cosignature by witness {WITNESS_A.name} does not verify"),
    "a cosignature cut short": (
        lambda p: with_signature(p, 1, lambda s: s[:-1]), ARGS,
        f"the cosignature by witness {WITNESS_A.name} does not verify"),
    "one cosignature of two with the default quorum": (
        lambda p: p, ARGS + ("--witness-key", WITNESS_B.vkey), "only 1 of 2 witnesses cosigned (quorum 2)"),
}


def test_the_unchanged_proof_verifies(verify):
    result = verify(valid(), *ARGS)
    assert (result.returncode, result.stdout, result.stderr) == (0, ok_line(valid(), 1, 1), "")


@pytest.mark.parametrize("case", TAMPERED)
def test_a_tampered_proof_fails_and_names_the_problem(verify, case):
    change, args, problem = TAMPERED[case]
    assert_fails(verify(change(valid()), *args), problem)


@pytest.mark.parametrize("cosigners, args, line", [
    ((WITNESS_A, WITNESS_B), ("--witness-key", WITNESS_A.vkey, "--witness-key", WITNESS_B.vkey, "--quorum", "2"),
     "cosigned by 2 of 2 witnesses"),
    ((WITNESS_A, WITNESS_B), ("--witness-key", WITNESS_A.vkey, "--witness-key", WITNESS_B.vkey),
     "cosigned by 2 of 2 witnesses"),
    ((WITNESS_B,), ("--witness-key", WITNESS_A.vkey, "--witness-key", WITNESS_B.vkey, "--quorum", "1"),
     "cosigned by 1 of 2 witnesses"),
    ((WITNESS_A, WITNESS_B), ("--witness-key", WITNESS_A.vkey, "--witness-key", WITNESS_A.vkey),
     "cosigned by 1 of 1 witnesses"),
    ((WITNESS_A,), (), "cosigned by 0 of 0 witnesses"),
])
def test_cosignatures_count_towards_the_quorum(verify, cosigners, args, line):
    proof = tlog.TlogProof.build(leaves(5), 3, LOG, *cosigners)
    result = verify(proof, "--log-key", LOG.vkey, *args)
    assert result.returncode == 0 and line in result.stdout, result


def replace_line(text: str, number: int, line: str | None) -> str:
    lines = text.split("\n")
    lines[number:number + 1] = [] if line is None else [line]
    return "\n".join(lines)


MALFORMED = {
    "another first line": (lambda t: replace_line(t, 0, "c2sp.org/tlog-proof@v2"), "the first line is not"),
    "no extra line": (lambda t: replace_line(t, 1, None), "`extra` line"),
    "an index with a leading zero": (lambda t: t.replace("index 6\n", "index 06\n"), "`index` line"),
    "a negative index": (lambda t: t.replace("index 6\n", "index -6\n"), "`index` line"),
    "an extra line that is not base64": (lambda t: replace_line(t, 1, "extra {not base64}"), "the extra line"),
    "a proof hash of 31 bytes": (lambda t: replace_line(t, 3, tlog.b64(bytes(31))), "not a base64 SHA-256 hash"),
    "a blank line inside the proof": (lambda t: replace_line(t, 4, ""), "not a tlog-proof"),
    "a checkpoint without its root hash": (lambda t: t.replace("\n11\n", "\n", 1), "the checkpoint needs"),
    "a tree size with a sign": (lambda t: t.replace("\n11\n", "\n+11\n", 1), "the checkpoint needs"),
    "no signature lines": (lambda t: t[:t.rindex("\n\n") + 2], "not a tlog-proof"),
    "no final newline": (lambda t: t[:-1], "not a tlog-proof"),
    "a signature line with a hyphen": (lambda t: t.replace("\u2014 ", "- ", 1), "not a signature line"),
    "Windows line ends": (lambda t: t.replace("\n", "\r\n"), "not a tlog-proof"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_proof_fails_and_names_the_problem(verify, case):
    change, problem = MALFORMED[case]
    assert_fails(verify(change(str(valid())), *ARGS), problem)


def test_a_proof_that_is_not_utf8_or_not_there_fails(verify, tmp_path):
    assert_fails(verify(b"c2sp.org/tlog-proof@v1\n\xff\n", *ARGS), "cannot read the proof")
    result = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "missing"), *ARGS], capture_output=True,
                            text=True, timeout=120)
    assert_fails(result, "cannot read the proof")


@pytest.mark.parametrize("args", [
    (),
    ("--log-key", LOG.vkey.replace("+", "+0", 1)),  # a key ID of 9 digits
    ("--log-key", LOG.vkey[:-4] + "AAA="),  # the key ID no longer matches the key
    ("--log-key", WITNESS_A.vkey),  # a cosigner key (type 0x04) as the log's
    ("--log-key", LOG.vkey, "--witness-key", LOG.vkey),  # a note key (type 0x01) as a witness's
    ("--log-key", "consent.example.com/log"),
    ("--log-key", LOG.vkey, "--witness-key", WITNESS_A.vkey, "--quorum", "2"),
    ("--log-key", LOG.vkey, "--quorum", "-1"),
])
def test_usage_errors_and_malformed_keys_exit_2(verify, args):
    result = verify(valid(), *args)
    assert result.returncode == 2 and "usage:" in result.stderr and result.stdout == "", result


def test_the_readme_shows_the_script_the_suite_runs():
    """The README's independent verifier is this very file, so what readers copy is what is tested."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A witnessed log", 1)[1]
    block = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert block == SCRIPT.read_text(encoding="utf-8")
