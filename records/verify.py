#!/usr/bin/env python3
"""Check the platform's public record yourself: standard library + ``cryptography`` only.

The record is an append-only Merkle tree (RFC 9162 section 2.1: leaf = SHA-256(0x00 || entry),
node = SHA-256(0x01 || left || right)). The platform signs checkpoints in the C2SP
signed-note / tlog-checkpoint text format with an Ed25519 key.

Usage (files as downloaded from the platform's public record pages)::

    python verify.py receipt  --key KEY.txt receipt.json
    python verify.py consistency --key KEY.txt old-checkpoint.txt new-checkpoint.txt proof.json
    python verify.py tree --key KEY.txt --entries entries.txt [--contents contents.jsonl]
                          checkpoint.txt [more checkpoints ...]

``KEY.txt`` is the verifier key line (``name+keyid+base64key``). Each command prints what it
checked and exits 0, or prints the first problem (naming the entry) and exits 1.

This file is also what the platform itself uses to build and check proofs, so the two can
never disagree.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
LINE_VERSION = "v1"


class VerificationError(Exception):
    """A check failed. ``index`` names the entry concerned when there is one."""

    def __init__(self, message: str, *, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


# --- hashing (RFC 9162 section 2.1.1) ------------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes: list[bytes]) -> bytes:
    """MTH over a list of leaf hashes (reference implementation, recursive)."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = _split(n)
    return node_hash(root_of(leaf_hashes[:k]), root_of(leaf_hashes[k:]))


# --- perfect subtrees ------------------------------------------------------------------------
# A perfect subtree is (level, index): the 2**level leaves starting at index * 2**level.
# Any subtree the proofs use, D[lo:hi], is a run of perfect subtrees, largest first.


def node_key(level: int, index: int) -> int:
    """One integer per perfect subtree (in-order numbering), for storage."""
    return (index << (level + 1)) + (1 << level) - 1


def perfect_parts(lo: int, hi: int) -> list[tuple[int, int]]:
    parts = []
    while lo < hi:
        size = hi - lo
        k = size if size & (size - 1) == 0 else _split(size)
        level = k.bit_length() - 1
        if lo % k:
            raise ValueError(f"range [{lo}, {hi}) is not aligned")
        parts.append((level, lo >> level))
        lo += k
    return parts


def fold(hashes: list[bytes]) -> bytes:
    """Hash of a run of perfect subtrees, largest first (right-to-left fold)."""
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


NodeGetter = Callable[[list[tuple[int, int]]], dict[tuple[int, int], bytes]]


def _ranges_hashes(ranges: list[tuple[int, int]], get: NodeGetter) -> list[bytes]:
    plan = [perfect_parts(lo, hi) for lo, hi in ranges]
    wanted = sorted({p for parts in plan for p in parts})
    found = get(wanted) if wanted else {}
    missing = [p for p in wanted if p not in found]
    if missing:
        raise LookupError(f"missing tree nodes: {missing[:5]}")
    return [fold([found[p] for p in parts]) for parts in plan]


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The subtrees whose hashes form PATH(index, D[0:size]), in proof order."""
    if not 0 <= index < size:
        raise ValueError("index out of range")
    out: list[tuple[int, int]] = []
    lo, hi, m = 0, size, index
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo, m = lo + k, m - k
    return out[::-1]


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The subtrees whose hashes form PROOF(first, D[0:second]) (RFC 9162 2.1.4.1)."""
    if not 0 < first <= second:
        raise ValueError("sizes out of range")
    out: list[tuple[int, int]] = []
    lo, hi, m, whole = 0, second, first, True
    while True:
        n = hi - lo
        if m == n:
            if not whole:
                out.append((lo, hi))
            break
        k = _split(n)
        if m <= k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo, m, whole = lo + k, m - k, False
    return out[::-1]


def inclusion_proof(index: int, size: int, get: NodeGetter) -> list[bytes]:
    return _ranges_hashes(inclusion_ranges(index, size), get)


def consistency_proof(first: int, second: int, get: NodeGetter) -> list[bytes]:
    if first == second:
        return []
    return _ranges_hashes(consistency_ranges(first, second), get)


def root_from_nodes(size: int, get: NodeGetter) -> bytes:
    if size == 0:
        return EMPTY_ROOT
    return _ranges_hashes([(0, size)], get)[0]


# --- proof verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2) -----------------------------


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> None:
    if not 0 <= index < size:
        raise VerificationError("the entry is not inside the tree", index=index)
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise VerificationError("the inclusion proof is too long", index=index)
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationError("the inclusion proof is too short", index=index)
    if r != root:
        raise VerificationError("the inclusion proof does not lead to the root", index=index)


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]
) -> None:
    if not 0 <= first <= second:
        raise VerificationError("the first tree is larger than the second")
    if first == second:
        if proof:
            raise VerificationError("equal sizes need an empty proof")
        if first_root != second_root:
            raise VerificationError("two different roots for the same size")
        return
    if first == 0:
        if proof:
            raise VerificationError("a proof from the empty tree must be empty")
        return
    if not proof:
        raise VerificationError("the consistency proof is empty")
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the first root is the first node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerificationError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationError("the consistency proof is too short")
    if fr != first_root:
        raise VerificationError("the proof does not lead to the first root")
    if sr != second_root:
        raise VerificationError("the proof does not lead to the second root")


# --- the compact tree (the "right edge"): O(log n) append ------------------------------------


class CompactTree:
    """Size and the hashes of the perfect subtrees along the right edge, largest first."""

    __slots__ = ("size", "edge")

    def __init__(self, size: int = 0, edge: list[bytes] | None = None) -> None:
        self.size = size
        self.edge = list(edge or [])
        if len(self.edge) != bin(size).count("1"):
            raise ValueError("the right edge does not match the size")

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; returns the new perfect subtrees (level >= 1, index, hash)."""
        created = []
        n = self.size
        h = leaf
        level = 0
        edge = self.edge
        while n & 1:
            h = node_hash(edge.pop(), h)
            level += 1
            n >>= 1
            created.append((level, n, h))
        edge.append(h)
        self.size += 1
        return created

    def root(self) -> bytes:
        return fold(self.edge) if self.edge else EMPTY_ROOT


# --- entries and commitments -----------------------------------------------------------------


def canonical_json(content: object) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def commitment(salt: bytes, content: object) -> bytes:
    """H(salt || canonical JSON): proves the content once salt and content are shown."""
    return hashlib.sha256(salt + canonical_json(content)).digest()


@dataclass(frozen=True)
class Entry:
    """One entry of the log. Its leaf input is one tab-separated line (``line()``)."""

    index: int
    time: str  # UTC, ISO 8601 with microseconds and Z
    kind: str  # comment.created, vote.cast, consultation.closed ...
    consultation: str  # the consultation's id, or "-"
    subject: str  # what it is about, e.g. comment:42
    commitment: str  # hex

    def line(self) -> str:
        return "\t".join(
            (
                LINE_VERSION,
                str(self.index),
                self.time,
                self.kind,
                self.consultation,
                self.subject,
                self.commitment,
            )
        )

    @classmethod
    def parse(cls, line: str) -> Entry:
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 7 or parts[0] != LINE_VERSION:
            raise VerificationError("an entry is not a valid line")
        return cls(int(parts[1]), parts[2], parts[3], parts[4], parts[5], parts[6])


def check_content(entry: Entry, salt_hex: str, content: object) -> None:
    if commitment(bytes.fromhex(salt_hex), content).hex() != entry.commitment:
        raise VerificationError(
            f"entry {entry.index}: the content shown does not match what the log recorded",
            index=entry.index,
        )


# --- signed notes and checkpoints (C2SP signed-note, tlog-checkpoint) ------------------------

SIG_ED25519 = 0x01


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([SIG_ED25519]) + public_key).digest()[:4]


def verifier_key(name: str, public_key: bytes) -> str:
    """The verifier key line: ``name+hex(key id)+base64(0x01 || public key)``."""
    blob = base64.b64encode(bytes([SIG_ED25519]) + public_key).decode()
    return f"{name}+{key_id(name, public_key).hex()}+{blob}"


@dataclass(frozen=True)
class Verifier:
    name: str
    id: bytes
    public_key: bytes

    @classmethod
    def parse(cls, text: str) -> Verifier:
        try:
            name, hex_id, blob = text.strip().split("+", 2)
            raw = base64.b64decode(blob, validate=True)
        except ValueError as exc:
            raise VerificationError("the verifier key is malformed") from exc
        if len(raw) != 33 or raw[0] != SIG_ED25519:
            raise VerificationError("the verifier key is not an Ed25519 key")
        if key_id(name, raw[1:]).hex() != hex_id:
            raise VerificationError("the verifier key's id does not match the key")
        return cls(name, bytes.fromhex(hex_id), raw[1:])


def sign_note(body: str, name: str, private_key) -> str:
    """``body`` (ending in a newline) + a blank line + one signature line."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    assert isinstance(private_key, Ed25519PrivateKey)
    if not body.endswith("\n"):
        raise ValueError("a note's text ends with a newline")
    public = private_key.public_key().public_bytes_raw()
    signature = private_key.sign(body.encode())
    blob = base64.b64encode(key_id(name, public) + signature).decode()
    return f"{body}\n\u2014 {name} {blob}\n"


def open_note(note: str, verifier: Verifier) -> str:
    """Return the note's text once a signature by ``verifier`` checks out."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    body, sep, signatures = note.rpartition("\n\n")
    if not sep:
        raise VerificationError("not a signed note")
    body += "\n"
    key = Ed25519PublicKey.from_public_bytes(verifier.public_key)
    for line in signatures.splitlines():
        if not line.startswith("\u2014 "):
            raise VerificationError("a signature line is malformed")
        try:
            name, blob = line[2:].split(" ")
            raw = base64.b64decode(blob, validate=True)
        except ValueError as exc:
            raise VerificationError("a signature line is malformed") from exc
        if name != verifier.name or raw[:4] != verifier.id:
            continue
        try:
            key.verify(raw[4:], body.encode())
        except InvalidSignature as exc:
            raise VerificationError("the checkpoint's signature is not valid") from exc
        return body
    raise VerificationError("the checkpoint is not signed by this key")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        lines = body.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not lines[1].isdigit():
            raise VerificationError("the checkpoint text is malformed")
        root = base64.b64decode(lines[2], validate=True)
        if len(root) != 32:
            raise VerificationError("the checkpoint's root hash is malformed")
        return cls(lines[0], int(lines[1]), root, tuple(lines[3:-1]))


def open_checkpoint(note: str, verifier: Verifier) -> Checkpoint:
    checkpoint = Checkpoint.parse(open_note(note, verifier))
    if checkpoint.origin != verifier.name:
        raise VerificationError("the checkpoint is for another log")
    return checkpoint


# --- the three checks ------------------------------------------------------------------------


def _b64list(values: Iterable[str]) -> list[bytes]:
    return [base64.b64decode(v, validate=True) for v in values]


def check_receipt(receipt: dict, verifier: Verifier) -> Checkpoint | None:
    """A receipt: the entry line, its salted content (if still held), the signed checkpoint
    and the inclusion proof. Returns the checkpoint it is in (None while none is signed)."""
    entry = Entry.parse(receipt["entry"])
    if entry.index != receipt["index"]:
        raise VerificationError("the receipt's index does not match its entry", index=entry.index)
    leaf = leaf_hash(receipt["entry"].encode())
    if receipt.get("leaf_hash") and bytes.fromhex(receipt["leaf_hash"]) != leaf:
        raise VerificationError(
            "the receipt's leaf hash does not match its entry", index=entry.index
        )
    if receipt.get("salt") and receipt.get("content") is not None:
        check_content(entry, receipt["salt"], receipt["content"])
    if not receipt.get("checkpoint"):
        return None
    checkpoint = open_checkpoint(receipt["checkpoint"], verifier)
    verify_inclusion(
        leaf, entry.index, checkpoint.size, _b64list(receipt["inclusion_proof"]), checkpoint.root
    )
    return checkpoint


def check_consistency(old_note: str, new_note: str, proof: list[str], verifier: Verifier) -> None:
    old = open_checkpoint(old_note, verifier)
    new = open_checkpoint(new_note, verifier)
    verify_consistency(old.size, new.size, old.root, new.root, _b64list(proof))


BATCH = 1 << 12  # entries hashed together (a perfect subtree of 4,096 leaves)


def _lines_of(source) -> Iterator[bytes]:
    """Lines without their newline, from a binary file (read in large blocks) or an iterable
    of lines."""
    read = getattr(source, "read", None)
    if read is None:
        for line in source:
            yield line[:-1] if line.endswith(b"\n") else line
        return
    rest = b""
    while True:
        block = read(1 << 23)
        if not block:
            break
        parts = (rest + block).split(b"\n")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


def _first_misplaced(batch: list[bytes], start: int) -> int | None:
    for offset, line in enumerate(batch):
        if not line.startswith(b"v1\t%d\t" % (start + offset)):
            return start + offset
    return None


def _misplaced_error(index: int, line: bytes) -> VerificationError:
    number = line.split(b"\t")[1].decode(errors="replace") if line.count(b"\t") else "?"
    return VerificationError(
        f"entry {index}: found entry {number} in its place (missing, added or reordered)",
        index=index,
    )


def rederive(source, roots: dict[int, bytes]) -> Iterator[tuple[int, bytes]]:
    """Rebuild the tree from the entry lines (a binary file as the entries endpoint serves it,
    or an iterable of lines). Yields (size, root) at every size in ``roots`` and raises at the
    first mismatch, naming the entry or the range of entries that must hold the difference.

    Leaves are hashed 4,096 at a time and each batch reduced to its subtree root level by
    level; since every leaf input carries its own number, a missing, added or reordered line
    changes the root, and the batch is then searched for the misplaced line to name it."""
    sha = hashlib.sha256
    edge: list[tuple[int, bytes]] = []  # right-edge perfect subtrees (level, hash)
    size = 0
    last_good = 0
    pending = sorted(s for s in roots if s > 0)
    lines = _lines_of(source)
    top = BATCH.bit_length() - 1
    while True:
        batch = list(itertools.islice(lines, BATCH))
        if batch and not batch[-1]:  # a final newline leaves an empty line
            batch.pop()
        if not batch:
            break
        n = len(batch)
        if not batch[0].startswith(b"v1\t%d\t" % size) or not batch[-1].startswith(
            b"v1\t%d\t" % (size + n - 1)
        ):
            bad = _first_misplaced(batch, size)
            raise _misplaced_error(bad, batch[bad - size])
        level = [sha(b"\x00" + line).digest() for line in batch]
        levels = [level]
        while len(level) > 1:
            pairs = zip(level[0::2], level[1::2], strict=False)  # an odd last one waits
            level = [sha(b"\x01" + a + b).digest() for a, b in pairs]
            levels.append(level)
        while pending and pending[0] <= size + n:
            want_size = pending.pop(0)
            parts = perfect_parts(0, want_size - size)
            got = fold([h for _, h in edge] + [levels[lv][ix] for lv, ix in parts])
            if got != roots[want_size]:
                bad = _first_misplaced(batch, size)
                if bad is not None:
                    raise _misplaced_error(bad, batch[bad - size])
                raise VerificationError(
                    f"entries {last_good}..{want_size - 1}: the entries do not give the root "
                    f"signed for size {want_size} (one of them was changed)",
                    index=last_good,
                )
            last_good = want_size
            yield want_size, got
        if n == BATCH:
            h, lv = levels[top][0], top
            while edge and edge[-1][0] == lv:
                h = sha(b"\x01" + edge.pop()[1] + h).digest()
                lv += 1
            edge.append((lv, h))
        else:
            edge += [(lv, levels[lv][ix]) for lv, ix in perfect_parts(0, n)]
        size += n
    if pending:
        raise VerificationError(
            f"the log has {size} entries but a checkpoint covers {pending[0]}", index=size
        )


# --- command line ----------------------------------------------------------------------------


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("receipt", help="check a receipt")
    p.add_argument("--key", required=True)
    p.add_argument("receipt")
    p = sub.add_parser("consistency", help="check that a newer checkpoint extends an older one")
    p.add_argument("--key", required=True)
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("proof", help="JSON from the consistency-proof endpoint")
    p = sub.add_parser("tree", help="re-derive the tree from the public entries")
    p.add_argument("--key", required=True)
    p.add_argument("--entries", required=True)
    p.add_argument("--contents")
    p.add_argument("checkpoints", nargs="+")
    args = parser.parse_args(argv)
    try:
        verifier = Verifier.parse(_read(args.key))
        if args.command == "receipt":
            receipt = json.loads(_read(args.receipt))
            checkpoint = check_receipt(receipt, verifier)
            where = f"checkpoint of size {checkpoint.size}" if checkpoint else "no checkpoint yet"
            print(f"OK: entry {receipt['index']} is in the log ({where})")
        elif args.command == "consistency":
            proof = json.loads(_read(args.proof))["proof"]
            check_consistency(_read(args.old), _read(args.new), proof, verifier)
            print("OK: the newer checkpoint extends the older one")
        else:
            checkpoints = [open_checkpoint(_read(c), verifier) for c in args.checkpoints]
            roots = {c.size: c.root for c in checkpoints}
            with open(args.entries, "rb") as f:
                seen = list(rederive(f, roots))
            if args.contents:
                with open(args.entries, encoding="utf-8") as f:
                    entries = [Entry.parse(line) for line in f]
                with open(args.contents, encoding="utf-8") as f:
                    for line in f:
                        item = json.loads(line)
                        check_content(entries[item["index"]], item["salt"], item["content"])
            print(f"OK: {len(seen)} checkpoint(s) re-derived from the entries")
    except VerificationError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError, IndexError) as exc:
        print(f"FAILED: cannot read the input ({exc})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
