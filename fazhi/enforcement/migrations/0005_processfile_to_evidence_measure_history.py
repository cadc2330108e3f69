"""The evidence store (fazhi.evidence) is the only file store of a full-process record: the fallback
ProcessFile table (Django storage, not write-once) goes. Its rows, if any, cannot be moved into the
write-once store without an actor and the original upload context, so the migration refuses to run
while any exist: move them with the evidence upload page first (the product never wrote any, since
fazhi.evidence is always installed).

Coercive measures get a status history (MeasureTransition), like cases: closing one is a step of
MEASURE_FLOW."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_if_any, migrations.RunPython.noop),
        migrations.DeleteModel(name="ProcessFile"),
        migrations.CreateModel(
            name="MeasureTransition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("from_status", models.CharField(blank=True, max_length=32, verbose_name="原状态")),
                ("to_status", models.CharField(max_length=32, verbose_name="新状态")),
                ("reason", models.TextField(blank=True, verbose_name="理由")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                            to=settings.AUTH_USER_MODEL, verbose_name="操作人")),
                ("measure", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="transitions",
                                              to="enforcement.coercivemeasure")),
            ],
            options={"verbose_name": "强制措施流转记录", "ordering": ["created_at", "id"], "abstract": False},
        ),
    ]
