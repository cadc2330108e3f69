from django.db import migrations


def seed(apps, schema_editor):
    from fazhi.disclosure.catalogue import SEED_CATEGORIES

    Category = apps.get_model("disclosure", "Category")
    for name, group, basis, order in SEED_CATEGORIES:
        Category.objects.get_or_create(name=name, defaults={"group": group, "basis": basis, "order": order})


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
