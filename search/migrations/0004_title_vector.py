"""PostgreSQL: a small tsvector of the title alone, stored beside the document's.

Ranking first by the title reads only this column; the whole document's vector (tens of
kilobytes, compressed out of line) is read for a bounded number of candidates only."""

from django.db import migrations


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """ALTER TABLE search_document ADD COLUMN title_vector tsvector
               GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED"""
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE search_document DROP COLUMN IF EXISTS title_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_fts5_prefix_index")]

    operations = [migrations.RunPython(add, drop)]
