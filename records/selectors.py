"""Reads on the public record: proofs, checkpoints, receipts, public entries, the full check."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Max
from django.utils import timezone

from comments.models import Comment, Status
from consult.models import User
from records import verify
from records.models import Checkpoint, Entry, EntryContent, Node, TreeState
from records.services import TEXT_KINDS, entry_of, origin, verifier_key_line
from topics.models import Consultation

MAX_PAGE = 10_000


def nodes_getter() -> verify.NodeGetter:
    """Perfect-subtree hashes from the database: leaves from entries, the rest from nodes."""

    def get(keys: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        found: dict[tuple[int, int], bytes] = {}
        leaves = [index for level, index in keys if level == 0]
        inner = {verify.node_key(level, index): (level, index) for level, index in keys if level}
        if leaves:
            rows = Entry.objects.filter(index__in=leaves).values_list("index", "leaf_hash")
            for index, h in rows:
                found[(0, index)] = bytes(h)
        if inner:
            for key, h in Node.objects.filter(key__in=list(inner)).values_list("key", "hash"):
                found[inner[key]] = bytes(h)
        return found

    return get


def tree_size() -> int:
    return TreeState.objects.filter(pk=1).values_list("size", flat=True).first() or 0


def inclusion_proof(*, index: int, size: int) -> list[bytes]:
    return verify.inclusion_proof(index, size, nodes_getter())


def consistency_proof(*, first: int, second: int) -> list[bytes]:
    return verify.consistency_proof(first, second, nodes_getter())


def b64(values: list[bytes]) -> list[str]:
    return [base64.b64encode(v).decode() for v in values]


# --- checkpoints ----------------------------------------------------------------------------


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def checkpoint_at(size: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(size=size).first()


def checkpoints(*, limit: int = 100, before: int | None = None) -> list[Checkpoint]:
    qs = Checkpoint.objects.order_by("-size")
    if before is not None:
        qs = qs.filter(size__lt=before)
    return list(qs[:limit])


def checkpoint_covering(
    *, index: int | None = None, consultation: Consultation | None = None
) -> Checkpoint | None:
    """The first signed checkpoint that contains entry ``index``, or every entry recorded so
    far about ``consultation`` (what a hearing report or a data package cites)."""
    if consultation is not None:
        index = Entry.objects.filter(consultation_id=consultation.pk).aggregate(m=Max("index"))["m"]
        if index is None:
            return None
    if index is None:
        raise ValueError("give an index or a consultation")
    return Checkpoint.objects.filter(size__gt=index).order_by("size").first()


# --- entries and contents -------------------------------------------------------------------


def entry_lines(*, start: int, end: int) -> list[str]:
    end = min(end, start + MAX_PAGE)
    return [entry_of(row).line() for row in Entry.objects.filter(index__gte=start, index__lt=end)]


def _latest_text_entries(comment_ids: set[int]) -> dict[int, int]:
    subjects = [f"comment:{pk}" for pk in comment_ids]
    rows = (
        Entry.objects.filter(subject__in=subjects, kind__in=TEXT_KINDS)
        .values("subject")
        .annotate(last=Max("index"))
    )
    return {int(r["subject"].split(":")[1]): r["last"] for r in rows}


def _comment_id(entry: Entry) -> int | None:
    if entry.subject.startswith("comment:"):
        return int(entry.subject.split(":")[1])
    return None


def contents(rows: list[EntryContent], *, viewer: User | None = None) -> dict[int, tuple[str, Any]]:
    """Salt and content of the given rows that ``viewer`` may see: public content (a published
    comment's text, votes, positions, decisions, a published consultation) and the viewer's
    own. A comment's current text comes from the comment itself, as published, so anyone can
    check the page against the log."""
    now = timezone.now()
    comment_ids = {cid for r in rows if (cid := _comment_id(r.entry)) is not None}
    comments = {
        c["pk"]: c
        for c in Comment.objects.filter(pk__in=comment_ids).values("pk", "status", "body")
    }
    latest = _latest_text_entries(
        {cid for r in rows if r.entry.kind in TEXT_KINDS and (cid := _comment_id(r.entry))}
    )
    consultation_ids = {r.entry.consultation_id for r in rows if r.entry.consultation_id}
    published = set(
        Consultation.objects.filter(
            pk__in=consultation_ids, published_at__isnull=False, published_at__lte=now
        ).values_list("pk", flat=True)
    )
    out: dict[int, tuple[str, Any]] = {}
    for r in rows:
        entry = r.entry
        own = viewer is not None and viewer.is_authenticated and r.user_id == viewer.pk
        content = json.loads(r.canonical)
        public = entry.consultation_id is None or entry.consultation_id in published
        cid = _comment_id(entry)
        if entry.kind in TEXT_KINDS and cid is not None:
            comment = comments.get(cid)
            public = public and comment is not None and comment["status"] == Status.PUBLISHED
            if comment is not None and latest.get(cid) == entry.index:
                content["body"] = comment["body"]
        if public or own:
            out[entry.index] = (bytes(r.salt).hex(), content)
    return out


def public_contents(*, start: int, end: int) -> list[dict[str, Any]]:
    end = min(end, start + MAX_PAGE)
    rows = list(
        EntryContent.objects.select_related("entry")
        .filter(entry_id__gte=start, entry_id__lt=end)
        .order_by("entry_id")
    )
    shown = contents(rows)
    return [{"index": i, "salt": salt, "content": c} for i, (salt, c) in sorted(shown.items())]


# --- receipts -------------------------------------------------------------------------------


def receipt(*, index: int, viewer: User | None = None) -> dict[str, Any] | None:
    row = Entry.objects.filter(index=index).first()
    if row is None:
        return None
    checkpoint = checkpoint_covering(index=index)
    try:
        key_line = verifier_key_line()
    except ImproperlyConfigured:  # no key yet: nothing is signed either
        key_line = None
    data: dict[str, Any] = {
        "origin": origin(),
        "key": key_line,
        "index": index,
        "kind": row.kind,
        "time": row.created_at.isoformat(),
        "entry": entry_of(row).line(),
        "leaf_hash": bytes(row.leaf_hash).hex(),
        "checkpoint": checkpoint.note if checkpoint else None,
        "tree_size": checkpoint.size if checkpoint else None,
        "inclusion_proof": (
            b64(inclusion_proof(index=index, size=checkpoint.size)) if checkpoint else []
        ),
        "salt": None,
        "content": None,
        "content_erased": False,
    }
    content_row = EntryContent.objects.select_related("entry").filter(entry_id=index).first()
    if content_row is None:
        data["content_erased"] = True
    else:
        shown = contents([content_row], viewer=viewer).get(index)
        if shown is not None:
            data["salt"], data["content"] = shown
    return data


def receipts_of(user: User, *, limit: int = 200) -> list[Entry]:
    """The person's own entries, newest first (their "my activity")."""
    return list(
        Entry.objects.filter(content__user=user)
        .order_by("-index")
        .select_related("content")[:limit]
    )


def receipt_for(*, kinds: tuple[str, ...], subject: str, user: User) -> Entry | None:
    """The person's latest entry of these kinds about this subject (to link after posting)."""
    return (
        Entry.objects.filter(kind__in=kinds, subject=subject, content__user=user)
        .order_by("-index")
        .first()
    )


# --- the full check (manage.py verify_records) ----------------------------------------------

CHUNK = 5_000


def check_all() -> Iterator[str]:
    """Check the whole record from the database; yields each problem found (naming the entry).

    1. entries are numbered without gaps and each stored leaf hash matches its entry;
    2. the tree re-derived from the entries gives every signed checkpoint's root, the
       checkpoints' signatures hold, and the stored subtree nodes match;
    3. every content still held matches its commitment, and each comment's current text
       matches the latest text the log recorded for it.
    """
    roots: dict[int, bytes] = {}
    signed = Checkpoint.objects.order_by("size")
    try:
        verifier = verify.Verifier.parse(verifier_key_line())
    except ImproperlyConfigured as exc:
        if signed.exists():
            yield f"the checkpoints cannot be checked: {exc}"
        signed = Checkpoint.objects.none()
    for cp in signed:
        try:
            opened = verify.open_checkpoint(cp.note, verifier)
        except verify.VerificationError as exc:
            yield f"checkpoint {cp.size}: {exc}"
            continue
        if opened.size != cp.size:
            yield f"checkpoint {cp.size}: its text says size {opened.size}"
        roots[opened.size] = opened.root
    state = TreeState.objects.filter(pk=1).first() or TreeState(size=0, edge=[])
    tree = verify.CompactTree()
    expected = 0
    last_good = 0
    pending_nodes: dict[int, bytes] = {}
    qs = Entry.objects.order_by("index")
    last_index = -1
    while True:
        chunk = list(qs.filter(index__gt=last_index)[:CHUNK])
        if not chunk:
            break
        last_index = chunk[-1].index
        for row in chunk:
            if row.index != expected:
                yield f"entry {expected}: missing (the next entry is {row.index})"
                return
            leaf = verify.leaf_hash(entry_of(row).line().encode())
            if leaf != bytes(row.leaf_hash):
                yield f"entry {row.index}: its stored hash does not match its fields (rewritten)"
            for level, idx, h in tree.append(leaf):
                pending_nodes[verify.node_key(level, idx)] = h
            expected += 1
            want = roots.get(expected)
            if want is not None:
                if tree.root() != want:
                    yield (
                        f"entries {last_good}..{expected - 1}: they do not give the root signed "
                        f"for size {expected}"
                    )
                last_good = expected
        stored = dict(Node.objects.filter(key__in=list(pending_nodes)).values_list("key", "hash"))
        for key, h in pending_nodes.items():
            if bytes(stored.get(key, b"")) != h:
                yield f"tree node {key}: missing or wrong (proofs would be wrong)"
        pending_nodes.clear()
    if expected != state.size:
        yield f"the tree state says {state.size} entries; there are {expected}"
    if [bytes.fromhex(h) for h in state.edge] != tree.edge:
        yield "the tree state's right edge does not match the entries"
    for size in roots:
        if size > expected:
            yield f"checkpoint {size}: covers more entries than there are ({expected})"
    yield from _check_contents()


def _check_contents() -> Iterator[str]:
    last = -1
    latest_text: dict[int, int] = {}
    texts: dict[int, str] = {}
    while True:
        rows = list(
            EntryContent.objects.select_related("entry")
            .filter(entry_id__gt=last)
            .order_by("entry_id")[:CHUNK]
        )
        if not rows:
            break
        last = rows[-1].entry_id
        for r in rows:
            entry = entry_of(r.entry)
            content = json.loads(r.canonical)
            if verify.commitment(bytes(r.salt), content).hex() != entry.commitment:
                yield f"entry {entry.index}: the content held does not match its commitment"
            cid = _comment_id(r.entry)
            if r.entry.kind in TEXT_KINDS and cid is not None:
                latest_text[cid] = entry.index
                texts[cid] = content.get("body", "")
    for start in range(0, len(latest_text), CHUNK):
        ids = list(latest_text)[start : start + CHUNK]
        for pk, body in Comment.objects.filter(pk__in=ids).values_list("pk", "body"):
            if body != texts[pk] and body != "":
                yield (
                    f"entry {latest_text[pk]}: comment {pk}'s text differs from what the log "
                    "recorded"
                )
