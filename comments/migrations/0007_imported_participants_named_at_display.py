from django.db import migrations


def name_at_display(apps, schema_editor):
    """Imported Polis participants were stored as "Participant N" in English: the name is now
    made when shown, in the reader's language."""
    Comment = apps.get_model("comments", "Comment")
    rows = Comment.objects.filter(channel="import", author__isnull=True).exclude(external_author="")
    for pk, name, who in rows.values_list("pk", "author_name", "external_author").iterator():
        if name == f"Participant {who}":
            Comment.objects.filter(pk=pk).update(author_name="")


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0006_comment_stance_unstated"),
    ]

    operations = [
        migrations.RunPython(name_at_display, migrations.RunPython.noop),
    ]
