"""The search index: one row per consultation (title; summary, agency and every section) and
per published comment, holding Thai-segmented text. PostgreSQL adds a generated ``tsvector``
column with a GIN index; SQLite an FTS5 table over the same rows (see the migration)."""

from __future__ import annotations

from django.db import models


class DocKind(models.TextChoices):
    CONSULTATION = "c", "consultation"
    COMMENT = "m", "comment"


class Document(models.Model):
    kind = models.CharField(max_length=1, choices=DocKind.choices)
    object_id = models.BigIntegerField()
    consultation = models.ForeignKey(
        "topics.Consultation", on_delete=models.CASCADE, related_name="+"
    )
    title = models.TextField(blank=True)  # segmented, lower-cased
    body = models.TextField(blank=True)  # segmented, lower-cased
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_doc_once")
        ]
        db_table = "search_document"
        indexes = [
            models.Index(fields=["consultation", "kind"], name="search_doc_cons"),
            # Small enough to read for every match of a query (SQLite's ranking uses it).
            models.Index(fields=["id", "kind", "consultation"], name="search_doc_ident"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}{self.object_id}"
