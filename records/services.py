"""Writes on the public record: append an entry, erase content, sign a checkpoint."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from consult.models import User
from records import verify
from records.models import Checkpoint, Entry, EntryContent, Node, TreeState

SALT_BYTES = 16


# --- keys and names ---------------------------------------------------------------------------


def origin() -> str:
    """The log's name: the first line of every checkpoint and the signer's name."""
    if settings.RECORDS_ORIGIN:
        return settings.RECORDS_ORIGIN
    host = urlsplit(settings.SITE_URL).netloc or "localhost"
    return f"{host}/records"


def signing_key():
    """The Ed25519 private key, from RECORDS_SIGNING_KEY or the key file."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = settings.RECORDS_SIGNING_KEY
    if not raw and settings.RECORDS_SIGNING_KEY_FILE.exists():
        raw = settings.RECORDS_SIGNING_KEY_FILE.read_text().strip()
    if not raw:
        raise ImproperlyConfigured(
            "RECORDS_SIGNING_KEY is not set (`manage.py records_keygen` makes one)"
        )
    try:
        seed = base64.b64decode(raw, validate=True)
        if len(seed) != 32:
            raise ValueError("not 32 bytes")
    except ValueError as exc:
        raise ImproperlyConfigured(
            "RECORDS_SIGNING_KEY must be the base64 of a 32-byte Ed25519 seed"
        ) from exc
    return Ed25519PrivateKey.from_private_bytes(seed)


def new_signing_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def verifier_key_line() -> str:
    public = signing_key().public_key().public_bytes_raw()
    return verify.verifier_key(origin(), public)


def participant_id(*, consultation_id: int, user_id: int) -> str:
    """A pseudonym for one person in one consultation: not linkable across consultations."""
    message = f"{consultation_id}:{user_id}".encode()
    digest = hmac.new(
        settings.RECORDS_PSEUDONYM_KEY.encode(), b"records-participant:" + message, hashlib.sha256
    )
    return digest.hexdigest()[:20]


# --- appending ----------------------------------------------------------------------------


def locked_state() -> TreeState:
    """The tree-state row, locked until the end of the transaction (created when missing)."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        # Every comment post waits here: the lock and the read in one short statement.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT size, edge FROM {TreeState._meta.db_table} WHERE id = 1 FOR UPDATE"
            )
            row = cursor.fetchone()
        if row is not None:
            edge = json.loads(row[1]) if isinstance(row[1], str) else row[1]
            return TreeState(pk=1, size=row[0], edge=edge)
    state = TreeState.objects.select_for_update().filter(pk=1).first()
    if state is None:
        TreeState.objects.bulk_create([TreeState(pk=1, size=0, edge=[])], ignore_conflicts=True)
        state = TreeState.objects.select_for_update().get(pk=1)
    return state


def entry_time(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_of(row: Entry) -> verify.Entry:
    return verify.Entry(
        index=row.index,
        time=entry_time(row.created_at),
        kind=row.kind,
        consultation="-" if row.consultation_id is None else str(row.consultation_id),
        subject=row.subject,
        commitment=bytes(row.commitment).hex(),
    )


def entry_append(
    *,
    kind: str,
    subject: str,
    content: dict[str, Any],
    consultation_id: int | None = None,
    user: User | None = None,
    comment_id: int | None = None,
    when: datetime | None = None,
) -> Entry:
    """Append one entry in the caller's transaction (rolled back with it). The tree-state row
    lock serialises appends, so indexes have no gaps; the cost is O(log n)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("entry_append runs inside the transaction of the write it records")
    state = locked_state()
    when = when or timezone.now()
    salt = os.urandom(SALT_BYTES)
    canonical = verify.canonical_json(content)
    commitment = hashlib.sha256(salt + canonical).digest()
    row = Entry(
        index=state.size,
        created_at=when,
        kind=kind,
        consultation_id=consultation_id,
        subject=subject,
        commitment=commitment,
    )
    leaf = verify.leaf_hash(entry_of(row).line().encode())
    row.leaf_hash = leaf
    tree = verify.CompactTree(state.size, [bytes.fromhex(h) for h in state.edge])
    created = tree.append(leaf)
    content = EntryContent(
        entry=row, salt=salt, canonical=canonical.decode(), user=user, comment_id=comment_id
    )
    nodes = [Node(key=verify.node_key(level, index), hash=h) for level, index, h in created]
    state.size = tree.size
    state.edge = [h.hex() for h in tree.edge]
    if transaction.get_connection().vendor == "postgresql":
        _write_append(row, content, nodes, state)
        return row
    Entry.objects.bulk_create([row])
    EntryContent.objects.bulk_create([content])
    if nodes:
        Node.objects.bulk_create(nodes)
    state.save(update_fields=["size", "edge", "updated_at"])
    return row


def _write_append(row: Entry, content: EntryContent, nodes: list[Node], state: TreeState) -> None:
    """The four writes of an append as one PostgreSQL statement (one round trip while the
    tree's lock is held): the entry, its content, the new nodes and the tree state."""
    state.updated_at = timezone.now()
    sql = f"""
        WITH entry AS (
            INSERT INTO {Entry._meta.db_table}
                (index, created_at, kind, consultation_id, subject, commitment, leaf_hash)
            VALUES (%s, %s, %s, %s, %s, %s, %s)
        ), content AS (
            INSERT INTO {EntryContent._meta.db_table}
                (entry_id, salt, canonical, user_id, comment_id)
            VALUES (%s, %s, %s, %s, %s)
        ), nodes AS (
            INSERT INTO {Node._meta.db_table} (key, hash)
            SELECT * FROM unnest(%s::bigint[], %s::bytea[])
        )
        UPDATE {TreeState._meta.db_table} SET size = %s, edge = %s::jsonb, updated_at = %s
        WHERE id = %s"""
    params = [
        row.index,
        row.created_at,
        row.kind,
        row.consultation_id,
        row.subject,
        row.commitment,
        row.leaf_hash,
        row.index,
        content.salt,
        content.canonical,
        content.user_id,
        content.comment_id,
        [n.key for n in nodes],
        [n.hash for n in nodes],
        state.size,
        json.dumps(state.edge),
        state.updated_at,
        state.pk,
    ]
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(sql, params)


# --- erasure ------------------------------------------------------------------------------


TEXT_KINDS = ("comment.created", "comment.edited")


def contents_erase(*, comment_ids: list[int] | None = None, user_id: int | None = None) -> int:
    """Delete salt and content (PDPA erasure): of the text entries of ``comment_ids``, and of
    the votes and positions of ``user_id``. The entries and the tree stay; they then prove
    only that something was recorded."""
    total = 0
    if comment_ids:
        total += EntryContent.objects.filter(
            comment_id__in=comment_ids, entry__kind__in=TEXT_KINDS
        ).delete()[0]
    if user_id is not None:
        total += EntryContent.objects.filter(
            user_id=user_id, entry__kind__in=("vote.cast", "position.set")
        ).delete()[0]
        EntryContent.objects.filter(user_id=user_id).update(user=None)
    return total


# --- checkpoints --------------------------------------------------------------------------


@transaction.atomic
def checkpoint_sign() -> Checkpoint | None:
    """Sign a checkpoint of the tree as it is now, unless the latest already covers it."""
    state = locked_state()
    latest = Checkpoint.objects.order_by("-size").first()
    if state.size == 0 or (latest is not None and latest.size >= state.size):
        return latest
    tree = verify.CompactTree(state.size, [bytes.fromhex(h) for h in state.edge])
    root = tree.root()
    now = timezone.now()
    body = verify.Checkpoint(
        origin=origin(), size=tree.size, root=root, extensions=(f"time {int(now.timestamp())}",)
    ).body()
    note = verify.sign_note(body, origin(), signing_key())
    return Checkpoint.objects.create(size=tree.size, root=root, note=note, created_at=now)
