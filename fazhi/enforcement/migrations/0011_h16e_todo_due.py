"""The stored, derived to-do due date of a case (issue 16): added, then counted for the existing cases."""

from django.db import migrations, models


def mark(apps, schema_editor):
    """Only marked here, on this migration's own models: the count needs the app's deadline code over the current
    models (statutory periods, holidays, extensions, measures, the publication, the region's settings), which a
    migration must not use — a later migration's fields would not exist yet. Marked cases are always in the to-do's
    selection (it counts their deadlines itself), and enforcement's post_migrate hook counts them once the schema
    is complete (deadlines.todo_due_count_marked)."""
    import datetime as dt

    apps.get_model("enforcement", "Case").objects.exclude(status__in=("not_filed", "closed", "archived")).update(
        todo_due=dt.date(1900, 1, 1))  # deadlines.TODO_RECOUNT


class Migration(migrations.Migration):

    dependencies = [
        ('enforcement', '0010_h16l_ledger_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='todo_due',
            field=models.DateField(blank=True, db_index=True, editable=False, null=True, verbose_name='待办到期日'),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
