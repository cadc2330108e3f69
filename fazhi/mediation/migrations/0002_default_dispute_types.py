from django.db import migrations

DEFAULT_TYPES = ["婚姻家庭", "邻里", "土地山林", "劳资", "损害赔偿", "合同", "征地拆迁", "其他"]


def add_types(apps, schema_editor):
    DisputeType = apps.get_model("mediation", "DisputeType")
    for i, name in enumerate(DEFAULT_TYPES):
        DisputeType.objects.get_or_create(name=name, defaults={"order": (i + 1) * 10})


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
