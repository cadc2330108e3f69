"""The stored, derived to-do due date of an information request (issue 16): added, then counted."""

from django.db import migrations, models


def fill(apps, schema_editor):
    """The same rules as disclosure.deadlines.request_todo_due, on the historical models."""
    from django.utils import timezone

    from fazhi.core.calendar import add_working_days
    from fazhi.core.periods import count

    InfoRequest = apps.get_model("disclosure", "InfoRequest")
    ClockStop = apps.get_model("disclosure", "ClockStop")
    Settings = apps.get_model("disclosure", "DisclosureSettings")
    from fazhi.disclosure.deadlines import DEFAULTS

    days = dict(Settings.objects.values_list("township_id", "third_party_working_days"))
    default = DEFAULTS["third_party_working_days"]
    batch = []
    for r in InfoRequest.objects.filter(status__in=("submitted", "received")).iterator(chunk_size=1000):
        if r.status == "received":
            r.todo_due = r.answer_due
        elif r.submitted_at is not None:
            r.todo_due = add_working_days(timezone.localtime(r.submitted_at).date(), 1).due
        else:
            continue
        batch.append(r)
    InfoRequest.objects.bulk_update(batch, ["todo_due"], batch_size=500)
    batch = []
    stops = (ClockStop.objects.filter(request__status="consulting", ended_on__isnull=True).order_by("request_id", "started_on", "id")
             .values_list("request_id", "started_on", "request__township_id"))
    seen = set()
    for request_id, started_on, township_id in stops.iterator(chunk_size=1000):
        if request_id in seen:  # the first open stop, as the to-do reads it
            continue
        seen.add(request_id)
        due = count("dis.third_party", started_on, days.get(township_id, default)).due
        batch.append(InfoRequest(pk=request_id, todo_due=due))
    InfoRequest.objects.bulk_update(batch, ["todo_due"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0006_h16l_ledger_indexes'),
        ('core', '0004_search_entry'),  # the holiday calendar the periods are counted with
    ]

    operations = [
        migrations.AddField(
            model_name='inforequest',
            name='todo_due',
            field=models.DateField(blank=True, db_index=True, editable=False, null=True, verbose_name='待办到期日'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
