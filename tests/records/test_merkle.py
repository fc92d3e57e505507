"""The tree hashing and proofs of records/verify.py (pure Python, no database).

Known answers: the test vectors of transparency-dev/merkle (Apache-2.0), commit
417fb0c314750d94e53942e9f92e79b6d35915db — leaf inputs and roots from
``testonly/constants.go`` (LeafInputs, NodeHashes, RootHashes), proofs from
``testdata/inclusion/*/happy-path.json`` and ``testdata/consistency/*/happy-path.json``.
They are RFC 6962 / RFC 9162 section 2.1 trees (same hashing).
"""

from __future__ import annotations

import base64
import random

import pytest

from records import verify

LEAF_INPUTS = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
]
ROOTS = [  # by tree size 0..8
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
LEAF_HASHES = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
]
# (leaf index, tree size, proof): testdata/inclusion/{1,2,3,4}/happy-path.json
INCLUSION = [
    (
        0,
        8,
        [
            "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=",
            "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
            "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=",
        ],
    ),
    (
        5,
        8,
        [
            "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=",
            "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=",
            "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=",
        ],
    ),
    (2, 3, ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="]),
    (
        1,
        5,
        [
            "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
            "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
            "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=",
        ],
    ),
]
# (size1, size2, proof): testdata/consistency/{1,2,3,4}/happy-path.json
CONSISTENCY = [
    (
        1,
        8,
        [
            "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=",
            "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
            "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=",
        ],
    ),
    (
        6,
        8,
        [
            "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=",
            "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=",
            "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=",
        ],
    ),
    (
        2,
        5,
        [
            "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
            "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=",
        ],
    ),
    (
        6,
        7,
        [
            "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=",
            "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=",
            "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=",
        ],
    ),
]


def _b(values: list[str]) -> list[bytes]:
    return [base64.b64decode(v) for v in values]


def leaves() -> list[bytes]:
    return [verify.leaf_hash(bytes.fromhex(x)) for x in LEAF_INPUTS]


def memory_getter(leaf_hashes: list[bytes]) -> verify.NodeGetter:
    """Perfect-subtree hashes computed from a list of leaves (what the database stores)."""

    def get(keys):
        out = {}
        for level, index in keys:
            lo = index << level
            out[(level, index)] = verify.root_of(leaf_hashes[lo : lo + (1 << level)])
        return out

    return get


def test_leaf_hashes_match_the_published_vectors():
    assert [h.hex() for h in leaves()] == LEAF_HASHES


def test_roots_of_every_size_match_the_published_vectors():
    hashes = leaves()
    for size, expected in enumerate(ROOTS):
        assert verify.root_of(hashes[:size]).hex() == expected
        tree = verify.CompactTree()
        for h in hashes[:size]:
            tree.append(h)
        assert tree.root().hex() == expected  # the O(log n) right edge agrees
        assert verify.root_from_nodes(size, memory_getter(hashes)).hex() == expected


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_proofs_match_the_published_vectors(index, size, proof):
    hashes = leaves()
    assert verify.inclusion_proof(index, size, memory_getter(hashes)) == _b(proof)
    verify.verify_inclusion(hashes[index], index, size, _b(proof), bytes.fromhex(ROOTS[size]))


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY)
def test_consistency_proofs_match_the_published_vectors(first, second, proof):
    hashes = leaves()
    assert verify.consistency_proof(first, second, memory_getter(hashes)) == _b(proof)
    verify.verify_consistency(
        first, second, bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second]), _b(proof)
    )


def test_published_failure_cases_are_rejected():
    # testdata/inclusion/4/wrong-leaf.json and testdata/consistency/2/wrong-root2.json
    index, size, proof = INCLUSION[3]
    with pytest.raises(verify.VerificationError):
        verify.verify_inclusion(
            base64.b64decode("V3JvbmdMZWFm"), index, size, _b(proof), bytes.fromhex(ROOTS[size])
        )
    first, second, proof = CONSISTENCY[1]
    with pytest.raises(verify.VerificationError):
        verify.verify_consistency(
            first, second, bytes.fromhex(ROOTS[first]), base64.b64decode("V3JvbmdSb290"), _b(proof)
        )


def _flip(proof: list[bytes], rng: random.Random) -> list[bytes]:
    bad = list(proof)
    i = rng.randrange(len(bad))
    b = bytearray(bad[i])
    b[rng.randrange(32)] ^= 1 << rng.randrange(8)
    bad[i] = bytes(b)
    return bad


def test_random_trees_every_proof_verifies_and_a_wrong_one_fails():
    rng = random.Random(9162)
    for _ in range(60):
        size = rng.randint(1, 300)
        hashes = [verify.leaf_hash(rng.randbytes(rng.randint(0, 40))) for _ in range(size)]
        get = memory_getter(hashes)
        root = verify.root_of(hashes)
        tree = verify.CompactTree()
        for h in hashes:
            tree.append(h)
        assert tree.root() == root
        for index in rng.sample(range(size), min(size, 6)):
            proof = verify.inclusion_proof(index, size, get)
            verify.verify_inclusion(hashes[index], index, size, proof, root)
            with pytest.raises(verify.VerificationError):
                verify.verify_inclusion(verify.leaf_hash(b"other"), index, size, proof, root)
            if proof:
                with pytest.raises(verify.VerificationError):
                    verify.verify_inclusion(hashes[index], index, size, _flip(proof, rng), root)
                with pytest.raises(verify.VerificationError):
                    verify.verify_inclusion(hashes[index], index, size, proof[:-1], root)
            if size > 1:
                other = (index + 1) % size
                with pytest.raises(verify.VerificationError):
                    verify.verify_inclusion(hashes[index], other, size, proof, root)
        for _ in range(6):
            first = rng.randint(1, size)
            proof = verify.consistency_proof(first, size, get)
            first_root = verify.root_of(hashes[:first])
            verify.verify_consistency(first, size, first_root, root, proof)
            if first < size:
                with pytest.raises(verify.VerificationError):
                    verify.verify_consistency(first, size, first_root, root, _flip(proof, rng))
                with pytest.raises(verify.VerificationError):
                    verify.verify_consistency(first, size, verify.leaf_hash(b"x"), root, proof)
                changed = list(hashes)
                changed[rng.randrange(first)] = verify.leaf_hash(b"rewritten")
                with pytest.raises(verify.VerificationError):
                    verify.verify_consistency(
                        first, size, first_root, verify.root_of(changed), proof
                    )


def test_signed_checkpoint_round_trip_and_key_id():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    public = key.public_key().public_bytes_raw()
    line = verify.verifier_key("example.org/records", public)
    verifier = verify.Verifier.parse(line)
    # C2SP signed-note: key id = SHA-256(name || 0x0A || 0x01 || key)[:4]
    import hashlib

    expected_id = hashlib.sha256(b"example.org/records\n\x01" + public).digest()[:4]
    assert verifier.id == expected_id
    body = verify.Checkpoint("example.org/records", 8, bytes.fromhex(ROOTS[8])).body()
    assert body == f"example.org/records\n8\n{base64.b64encode(bytes.fromhex(ROOTS[8])).decode()}\n"
    note = verify.sign_note(body, "example.org/records", key)
    assert note.startswith(body + "\n\u2014 example.org/records ")
    opened = verify.open_checkpoint(note, verifier)
    assert (opened.size, opened.root.hex()) == (8, ROOTS[8])
    with pytest.raises(verify.VerificationError):
        verify.open_checkpoint(note.replace("\n8\n", "\n9\n"), verifier)
    other = Ed25519PrivateKey.from_private_bytes(bytes(32))
    with pytest.raises(verify.VerificationError):
        verify.open_checkpoint(
            note,
            verify.Verifier.parse(
                verify.verifier_key("example.org/records", other.public_key().public_bytes_raw())
            ),
        )


def _lines(n: int) -> list[bytes]:
    return [
        verify.Entry(
            i, "2026-01-01T00:00:00.000000Z", "vote.cast", "7", f"comment:{i}", f"{i:064x}"
        )
        .line()
        .encode()
        for i in range(n)
    ]


def test_rederivation_across_batches_matches_every_checkpoint():
    lines = _lines(10_000)
    leaves_ = [verify.leaf_hash(x) for x in lines]
    sizes = [1, 3, 4095, 4096, 4097, 8192, 9001, 10_000]
    roots = {s: verify.root_of(leaves_[:s]) for s in sizes}
    import io

    as_file = io.BytesIO(b"".join(x + b"\n" for x in lines))
    assert list(verify.rederive(as_file, roots)) == [(s, roots[s]) for s in sizes]
    assert [s for s, _ in verify.rederive(iter(lines), roots)] == sizes

    swapped = list(lines)
    swapped[5000], swapped[5001] = swapped[5001], swapped[5000]
    with pytest.raises(verify.VerificationError, match="^entry 5000:"):
        list(verify.rederive(iter(swapped), roots))
    missing = lines[:7000] + lines[7001:]
    with pytest.raises(verify.VerificationError, match="^entry 7000:"):
        list(verify.rederive(iter(missing), roots))
    changed = list(lines)
    changed[9000] = changed[9000].replace(b"vote.cast", b"vote.gone")
    with pytest.raises(verify.VerificationError, match=r"^entries 8192\.\.9000:"):
        list(verify.rederive(iter(changed), roots))
    with pytest.raises(verify.VerificationError, match="covers 10001"):
        list(verify.rederive(iter(lines), {10_001: b"x" * 32}))
