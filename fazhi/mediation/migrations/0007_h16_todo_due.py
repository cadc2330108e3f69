"""The stored, derived to-do due date (issue 16): added, then counted for the records that owe one."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef

OPEN, RESOLVED, CLOSED = ("received", "mediating"), "resolved", ("resolved", "not_resolved", "not_accepted")


def fill(apps, schema_editor):
    """The same rules as mediation.deadlines.dispute_todo_due / petition_todo_due, on the historical models."""
    from fazhi.core.periods import count

    Region = apps.get_model("core", "Region")
    Settings = apps.get_model("mediation", "MediationSettings")
    Dispute = apps.get_model("mediation", "Dispute")
    Petition = apps.get_model("mediation", "Petition")
    FollowUp = apps.get_model("mediation", "FollowUp")
    defaults = {"target_months": 1, "followup_days": 30, "petition_receipt_days": 15, "petition_conclude_days": 60}
    defaults.update({f.name: f.default for f in Settings._meta.concrete_fields if f.name in defaults})
    by_code = {s.region.code: s for s in Settings.objects.select_related("region")}
    rules = {}
    for town in Region.objects.filter(level="township"):
        codes = [c for c in (town.path or "").split("/") if c]
        row = next((by_code[c] for c in reversed(codes) if c in by_code), None)
        rules[town.pk] = {k: getattr(row, k) if row else v for k, v in defaults.items()}
    batch = []
    qs = (Dispute.objects.filter(models.Q(status__in=OPEN) | models.Q(status=RESOLVED, closed_on__isnull=False))
          .annotate(has_followup=Exists(FollowUp.objects.filter(dispute=OuterRef("pk")))))
    for d in qs.iterator(chunk_size=1000):
        r = rules.get(d.township_id, defaults)
        if d.status in OPEN:
            d.todo_due = count("med.target", d.received_on, r["target_months"]).due
        elif not d.has_followup:
            d.todo_due = count("med.followup", d.closed_on, r["followup_days"]).due
        else:
            continue
        batch.append(d)
    Dispute.objects.bulk_update(batch, ["todo_due"], batch_size=500)
    batch = []
    for p in Petition.objects.filter(status__in=("received", "accepted")).iterator(chunk_size=1000):
        r = rules.get(p.township_id, defaults)
        if p.status == "received":
            p.todo_due = count("med.petition_receipt", p.received_on, r["petition_receipt_days"]).due
        elif p.notice_on is not None:
            p.todo_due = count("med.petition_conclude", p.notice_on, r["petition_conclude_days"] + p.extension_days).due
        else:
            continue
        batch.append(p)
    Petition.objects.bulk_update(batch, ["todo_due"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('mediation', '0006_application_transitions'),
        ('core', '0004_search_entry'),  # the holiday calendar the periods are counted with
    ]

    operations = [
        migrations.AddField(
            model_name='dispute',
            name='todo_due',
            field=models.DateField(blank=True, db_index=True, editable=False, null=True, verbose_name='待办到期日'),
        ),
        migrations.AddField(
            model_name='petition',
            name='todo_due',
            field=models.DateField(blank=True, db_index=True, editable=False, null=True, verbose_name='待办到期日'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
