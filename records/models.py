"""The public record: an append-only Merkle tree (RFC 9162) of what the platform did.

``Entry`` rows are never updated or deleted. The salted content behind an entry's commitment
lives in ``EntryContent``, which erasure deletes; the entry (and the tree) stay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class TreeState(models.Model):
    """One row: the tree's size and right edge. Appends lock it, so numbering has no gaps."""

    size = models.BigIntegerField(default=0)
    edge = models.JSONField(default=list)  # hex hashes of the right-edge perfect subtrees
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"tree of {self.size}"


class Entry(models.Model):
    index = models.BigIntegerField(primary_key=True)
    created_at = models.DateTimeField()
    kind = models.CharField(max_length=40)
    consultation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject = models.CharField(max_length=60, db_index=True)
    commitment = models.BinaryField()
    leaf_hash = models.BinaryField()

    class Meta:
        ordering = ["index"]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"{self.index} {self.kind} {self.subject}"


class Node(models.Model):
    """A perfect subtree above the leaves, keyed by ``records.verify.node_key``."""

    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField()

    def __str__(self) -> str:
        return f"node {self.key}"


class EntryContent(models.Model):
    """What an entry commits to: H(salt || canonical JSON). Deleted on erasure."""

    entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, primary_key=True, related_name="content"
    )
    salt = models.BinaryField()
    canonical = models.TextField()  # the canonical JSON, exactly as hashed
    # Whose receipt it is (cleared when the account goes); and the comment it is about.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="record_contents",
    )
    comment_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "entry"], name="records_receipts")]

    def __str__(self) -> str:
        return f"content of {self.entry_id}"


class Checkpoint(models.Model):
    """A signed checkpoint (C2SP signed note), published as is."""

    size = models.BigIntegerField(primary_key=True)
    root = models.BinaryField()
    note = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"

    def get_absolute_url(self) -> str:
        return reverse("records:checkpoint_at", args=[self.size])
