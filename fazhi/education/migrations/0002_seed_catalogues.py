from django.db import migrations


def forwards(apps, schema_editor):
    from fazhi.education.catalogue import seed

    seed(apps.get_model("education", "Law"), apps.get_model("education", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
