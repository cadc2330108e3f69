"""The change history reads in words for every model: field labels (verbose_name), choice labels and
people's names — no raw field names (`procedure`, `created_by`), codes (`ordinary`) or ids (`3`)."""

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.audit.words import CJK, field_label, history_lines

IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def fazhi_models():
    return [m for m in apps.get_models() if m.__module__.startswith("fazhi.")]


def test_every_field_of_every_model_has_a_chinese_label():
    raw = [f"{m._meta.label}.{f.name}" for m in fazhi_models() for f in m._meta.concrete_fields
           if not CJK.search(field_label(m, f.name))]
    assert not raw, raw


@pytest.mark.django_db
def test_every_models_history_reads_in_words(full_demo):
    seen, bad = 0, set()
    by_type = {}
    for e in AuditEntry.objects.exclude(object_type="").exclude(changes={}).order_by("-seq")[:20000]:
        by_type.setdefault(e.object_type, []).append(e)
    for label, entries in by_type.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for line in history_lines(model, entries[:200]):
            for c in line.changes:
                seen += 1
                if IDENT.match(c.label):
                    bad.add((label, c.label))
                field = next((f for f in model._meta.concrete_fields if field_label(model, f.name) == c.label), None)
                if field is not None and field.is_relation:
                    for v in (c.before, c.after):
                        assert not v.isdigit(), (label, c.label, v)
                if field is not None and field.choices:
                    codes = {str(k) for k, _ in field.flatchoices} - {str(lbl) for _, lbl in field.flatchoices}
                    assert c.before not in codes and c.after not in codes, (label, c.label, c.before, c.after)
    assert not bad, sorted(bad)
    assert seen > 100 and len(by_type) > 10


@pytest.mark.django_db
def test_a_dispute_history_page_shows_labels_and_names(full_demo, login):
    from fazhi.mediation.models import Dispute

    d = Dispute.objects.filter(township=full_demo.litou).first()
    c = login(full_demo.user("litou_mediator"), Client())
    r = c.get(reverse("audit:history", args=["mediation.dispute", d.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and "<code>" not in body
    assert "created_by" not in body and "status →" not in body
    assert "状态" in body or "新建" in body
