"""The stored, derived to-do due date of a case (issue 16): added, then counted for the existing cases."""

from django.db import migrations, models


def fill(apps, schema_editor):
    """Counted by the app's own deadline code (statutory periods, holidays, extensions, measures, the
    publication, the region's settings): a copy here would be a second statute to keep equal. It reads the
    current models, so it runs only where there are cases and this is the app's latest schema."""
    if not apps.get_model("enforcement", "Case").objects.exists():
        return
    from fazhi.core.models import Region, RegionLevel
    from fazhi.enforcement.deadlines import todo_due_refresh

    todo_due_refresh(townships=Region.objects.filter(level=RegionLevel.TOWNSHIP))


class Migration(migrations.Migration):

    dependencies = [
        ('enforcement', '0010_h16l_ledger_indexes'),
        ('core', '0004_search_entry'),  # the holiday calendar the periods are counted with
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='todo_due',
            field=models.DateField(blank=True, db_index=True, editable=False, null=True, verbose_name='待办到期日'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
