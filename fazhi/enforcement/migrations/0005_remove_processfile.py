"""The evidence store (fazhi.evidence) is the only file store of a full-process record: the fallback
ProcessFile table (Django storage, not write-once) goes. Its rows, if any, cannot be moved into the
write-once store without an actor and the original upload context, so the migration refuses to run
while any exist: move them with the evidence upload page first (the product never wrote any, since
fazhi.evidence is always installed)."""

from django.db import migrations


def refuse_if_any(apps, schema_editor):
    ProcessFile = apps.get_model("enforcement", "ProcessFile")
    n = ProcessFile.objects.using(schema_editor.connection.alias).count()
    if n:
        raise RuntimeError(
            f"enforcement.ProcessFile 仍有 {n} 个附件（旧的备用文件存储）。请先将这些文件上传到证据库"
            "（fazhi.evidence，关联对应的全过程记录），删除这些行后再运行迁移。")


class Migration(migrations.Migration):

    dependencies = [
        ("enforcement", "0004_merge_20261202_0703"),
    ]

    operations = [
        migrations.RunPython(refuse_if_any, migrations.RunPython.noop),
        migrations.DeleteModel(name="ProcessFile"),
    ]
