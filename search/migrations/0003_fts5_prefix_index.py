"""SQLite: rebuild the FTS5 table with prefix indexes of 1 to 4 characters.

Every query word matches as a prefix, and a Thai word typed only in part is segmented into
short pieces ("ชาวประม" into "ชาว", "ประ", "ม"): without a prefix index FTS5 merges the
entries of every indexed word starting with such a piece (a single consonant starts
thousands). FTS5 counts prefix lengths in characters, not bytes (a Thai character is 3 bytes
in UTF-8), so '1 2 3 4' covers pieces of up to four Thai characters, vowel and tone marks
included. The index grows about threefold. Longer prefixes start few words and need none."""

from django.db import migrations


def _statements(prefix: str) -> list[str]:
    option = f", prefix='{prefix}'" if prefix else ""
    return [
        "DROP TRIGGER IF EXISTS search_document_ai",
        "DROP TRIGGER IF EXISTS search_document_ad",
        "DROP TRIGGER IF EXISTS search_document_au",
        "DROP TABLE IF EXISTS search_fts",
        f"""CREATE VIRTUAL TABLE search_fts USING fts5(
             title, body, content='search_document', content_rowid='id',
             tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'"{option})""",
        """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
             INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
        """CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
             INSERT INTO search_fts(search_fts, rowid, title, body)
             VALUES ('delete', old.id, old.title, old.body); END""",
        """CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
             INSERT INTO search_fts(search_fts, rowid, title, body)
             VALUES ('delete', old.id, old.title, old.body);
             INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
        # An external-content table is filled from search_document.
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


def _rebuild(prefix: str):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'")
            if cursor.fetchone() is None:
                return  # built without FTS5: the LIKE fallback needs no index
            for sql in _statements(prefix):
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_match_index")]

    operations = [migrations.RunPython(_rebuild("1 2 3 4"), _rebuild(""))]
