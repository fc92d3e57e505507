from django.db import migrations


def create_state(apps, schema_editor):
    apps.get_model("records", "TreeState").objects.get_or_create(pk=1, defaults={"size": 0})


class Migration(migrations.Migration):
    dependencies = [("records", "0001_public_record")]

    operations = [migrations.RunPython(create_state, migrations.RunPython.noop)]
