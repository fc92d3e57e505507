from django.db import migrations, models
import django.db.models.deletion

POSTGRES = [
    """ALTER TABLE search_document ADD COLUMN vector tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
       ) STORED""",
    "CREATE INDEX search_document_vector ON search_document USING GIN (vector)",
]
# Thai vowels and tone marks are Unicode category M: they must stay inside words.
SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
         title, body, content='search_document', content_rowid='id',
         tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'")""",
    """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
         INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    """CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
         INSERT INTO search_fts(search_fts, rowid, title, body)
         VALUES ('delete', old.id, old.title, old.body); END""",
    """CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
         INSERT INTO search_fts(search_fts, rowid, title, body)
         VALUES ('delete', old.id, old.title, old.body);
         INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TABLE IF EXISTS search_fts",
]


def full_text(apps, schema_editor):
    from search.backend import fts5_available

    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        statements = POSTGRES
    elif connection.vendor == "sqlite" and fts5_available(connection):
        statements = SQLITE
    else:
        return  # no full-text engine: search falls back to matching segmented words
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_full_text(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS search_document_vector")
            cursor.execute("ALTER TABLE search_document DROP COLUMN IF EXISTS vector")
        elif connection.vendor == "sqlite":
            for sql in SQLITE_DROP:
                cursor.execute(sql)


class Migration(migrations.Migration):
    initial = True
    dependencies = [("topics", "0005_position_counts")]

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("c", "consultation"), ("m", "comment")], max_length=1)),
                ("object_id", models.BigIntegerField()),
                ("title", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="topics.consultation",
                    ),
                ),
            ],
            options={"db_table": "search_document"},
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(fields=("kind", "object_id"), name="search_doc_once"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["consultation", "kind"], name="search_doc_cons"),
        ),
        migrations.RunPython(full_text, drop_full_text),
    ]
