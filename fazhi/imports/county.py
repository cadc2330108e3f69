"""The county's exchange page: the upward case export (a zip of JSON lines, .xlsx and manifest) and the
bulk export of any importable ledger across its townships (one sheet, a 乡镇 column in front)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.accounts.roles import COUNTY_ROLES
from fazhi.audit.services import audit_record
from fazhi.core.access import role_view
from fazhi.core.models import Region
from fazhi.core.scope import townships_for
from fazhi.imports import exchange, export
from fazhi.imports.ledgers import LEDGERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExchangeForm(forms.Form):
    since = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    township = forms.ModelChoiceField(label="乡镇", queryset=Region.objects.none(), required=False,
                                      empty_label="全县所有乡镇")

    def __init__(self, *args, townships, **kw):
        super().__init__(*args, **kw)
        self.fields["township"].queryset = townships

    def clean(self):
        c = super().clean()
        if c.get("since") and c.get("until") and c["until"] < c["since"]:
            raise forms.ValidationError("截止日期不能早于起始日期。")
        return c


class LedgerExportForm(forms.Form):
    ledger = forms.ChoiceField(label="台账", choices=[(k, s.label) for k, s in LEDGERS.items()])
    township = forms.ModelChoiceField(label="乡镇", queryset=Region.objects.none(), required=False,
                                      empty_label="全县所有乡镇")

    def __init__(self, *args, townships, **kw):
        super().__init__(*args, **kw)
        self.fields["township"].queryset = townships


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


@role_view(read=COUNTY_ROLES)
def county(request):
    towns = townships_for(request.user, COUNTY_ROLES)
    today = timezone.localdate()
    what = request.GET.get("download", "")
    cases_form = ExchangeForm(request.GET if what == "cases" else None, townships=towns,
                              initial={"since": dt.date(today.year, 1, 1), "until": today})
    ledger_form = LedgerExportForm(request.GET if what == "ledger" else None, townships=towns)
    if what == "cases" and cases_form.is_valid():
        c = cases_form.cleaned_data
        chosen = [c["township"]] if c["township"] else list(towns)
        files = exchange.build(townships=chosen, since=c["since"], until=c["until"])
        audit_record(actor=request.user, action="export", object_type="enforcement.case",
                     reason=f"向上级平台导出执法案件：{c['since']}至{c['until']}，{len(chosen)}个乡镇")
        return _attachment(exchange.as_zip(files), f"执法案件交换包-{c['since']:%Y%m%d}-{c['until']:%Y%m%d}.zip",
                           "application/zip")
    if what == "ledger" and ledger_form.is_valid():
        c = ledger_form.cleaned_data
        spec = LEDGERS[c["ledger"]]
        chosen = [c["township"]] if c["township"] else list(towns)
        data = export.export(spec, request.user, chosen, township_column=True)
        audit_record(actor=request.user, action="export", object_type="imports.ledger",
                     reason=f"全县汇总导出{spec.label}（{len(chosen)}个乡镇）")
        return _attachment(data, f"{spec.label}-全县汇总-{today:%Y%m%d}.xlsx", XLSX)
    return render(request, "imports/county.html", {"cases_form": cases_form, "ledger_form": ledger_form,
                                                   "towns": towns, "fields": exchange.FIELDS})
