"""The ledgers a township can import, each declared by the form its web page uses and the service call
the page makes (so an imported row meets exactly the checks a typed one does)."""

from __future__ import annotations

import functools

from fazhi.core.models import Region, RegionLevel
from fazhi.core.scope import villages_for
from fazhi.imports.engine import LedgerSpec, bound_to
from fazhi.imports.permissions import (
    DISPUTE_ROLES,
    EVENT_ROLES,
    INSPECTION_ROLES,
    ITEM_ROLES,
    MEMBER_ROLES,
    OFFICER_ROLES,
    REQUEST_ROLES,
    STUDY_ROLES,
    TASK_ROLES,
    may_import,
)

OTHER_PARTIES_HELP = ("其他当事人写在一个单元格里：每人“姓名/身份证号/电话/身份”，多人之间用分号“；”隔开，"
                      "身份证号、电话可空（写成“姓名//电话”），身份可填申请人、被申请人或其他当事人（不填为其他当事人）。"
                      "例：赵某某/43000019900101123X/13900000000/被申请人；钱某某")


def _parse_parties(text: str) -> list[dict]:
    """“姓名/身份证号/电话/身份；…” as the dispute page's party form would receive each party."""
    import re

    from fazhi.mediation.forms import PartyForm
    from fazhi.mediation.models import Party

    sides = {str(label): value for value, label in Party.Side.choices}
    out = []
    for n, chunk in enumerate((c.strip() for c in re.split(r"[;；\n]", text or "")), start=1):
        if not chunk:
            continue
        bits = [b.strip() for b in re.split(r"[/／]", chunk)] + ["", "", "", ""]
        side = sides.get(bits[3]) if bits[3] else Party.Side.OTHER
        if side is None:
            raise ValueError(f"第{n}位当事人的身份“{bits[3]}”不正确（可填：{'、'.join(sides)}）")
        form = bound_to(_party_form(PartyForm), {"name": bits[0], "id_number": bits[1], "phone": bits[2],
                                                  "side": side})
        if not form.is_valid():
            reasons = "；".join("，".join(v) for v in form.errors.values())
            raise ValueError(f"第{n}位当事人（{bits[0] or '未填姓名'}）：{reasons}")
        out.append({k: form.cleaned_data[k] for k in ("name", "id_number", "phone", "side")})
    return out


@functools.cache
def _party_form(cls):
    """One unbound party form per process, bound to each party of each row (engine.bound_to)."""
    return cls()


def _dispute_form(user, township, data):
    from django import forms

    from fazhi.mediation.forms import DisputeIntakeForm

    class ImportDisputeForm(DisputeIntakeForm):
        """The intake form plus the parties a ledger lists beyond the first two (the detail page's party form)."""

        other_parties = forms.CharField(label="其他当事人", required=False, max_length=4000,
                                        help_text=OTHER_PARTIES_HELP)

        def clean_other_parties(self):
            try:
                return _parse_parties(self.cleaned_data.get("other_parties", ""))
            except ValueError as e:
                raise forms.ValidationError(str(e)) from None

        def parties(self):
            return super().parties() + self.cleaned_data["other_parties"]

    form = ImportDisputeForm(data, user=user)
    form.fields["village"].queryset = form.fields["village"].queryset.filter(parent=township)
    return form


def _dispute_save(actor, township, form):
    from fazhi.mediation.services import disputes as services

    c = form.cleaned_data
    return services.dispute_create(actor=actor, township=township, village=c["village"],
                                   dispute_type=c["dispute_type"], summary=c["summary"], received_on=c["received_on"],
                                   source=c["source"], risk_level=c["risk_level"], parties=form.parties())


def _dispute_save_many(actor, township, forms, progress=None):
    from fazhi.mediation.services.bulk import disputes_create_bulk

    rows = []
    for form in forms:
        c = form.cleaned_data
        rows.append({"village": c["village"], "dispute_type": c["dispute_type"], "summary": c["summary"],
                     "received_on": c["received_on"], "source": c["source"], "risk_level": c["risk_level"],
                     "parties": form.parties()})
    return disputes_create_bulk(actor=actor, township=township, rows=rows, progress=progress)


def _event_form(user, township, data):
    from fazhi.education import selectors
    from fazhi.education.forms import EventForm
    from fazhi.education.permissions import EVENT_WRITE
    from fazhi.organization.selectors import obligation_choices

    year = int(data["date"][:4]) if data and str(data.get("date", ""))[:4].isdigit() else 2024
    return EventForm(data, villages=villages_for(user, EVENT_WRITE).filter(parent=township),
                     venues=selectors.venue_list_for(user).filter(township=township),
                     obligations=obligation_choices(township, year))


def _event_save(actor, township, form):
    from fazhi.education import services

    cd = dict(form.cleaned_data)
    village, topics, obligations = cd.pop("village"), cd.pop("topics"), cd.pop("obligations")
    return services.event_create(actor=actor, township=township, village=village, topics=topics,
                                 obligations=obligations, **cd)


def _session_form(user, township, data):
    from fazhi.education import selectors
    from fazhi.education.forms import SessionForm

    return SessionForm(data, officials=selectors.official_list_for(user).filter(township=township, active=True))


def _session_save(actor, township, form):
    from fazhi.core.errors import DomainError
    from fazhi.education import services

    cd = dict(form.cleaned_data)
    attendees, laws = list(cd.pop("attendees")), cd.pop("laws")
    by_name = {o.name: o for o in attendees}
    hours = {}
    for name, h in cd.pop("partial_hours").items():
        if name not in by_name:
            raise DomainError(f"“{name}”不在本次参学人员中，无法单独登记学时。")
        hours[by_name[name].pk] = h
    return services.session_create(actor=actor, township=township, laws=laws, attendees=attendees,
                                   hours_by_official=hours, **cd)


def _officer_form(user, township, data):
    from fazhi.enforcement import selectors
    from fazhi.enforcement.forms import OfficerForm

    form = OfficerForm(data)
    form.fields["body"].queryset = selectors.body_list_for(user).filter(township=township)
    form.fields["user"].queryset = selectors.township_users(township)
    return form


def _officer_save(actor, township, form):
    from fazhi.enforcement import services

    return services.officer_save(actor=actor, township=township,
                                 **{f: form.cleaned_data[f] for f in form.Meta.fields})


def _inspection_form(user, township, data):
    from fazhi.enforcement import selectors
    from fazhi.enforcement.forms import InspectionForm

    form = InspectionForm(data)
    form.fields["village"].queryset = Region.objects.filter(level=RegionLevel.VILLAGE, parent=township)
    form.set_officers(selectors.officers_for_case_choice(township))
    return form


def _inspection_save(actor, township, form):
    from fazhi.enforcement import services

    d = dict(form.cleaned_data)
    officers = d.pop("officers")
    return services.inspection_create(actor=actor, township=township, officers=officers, **d)


def _request_form(user, township, data):
    from fazhi.disclosure.forms import StaffRequestForm

    return StaffRequestForm(data)


def _request_save(actor, township, form):
    from fazhi.disclosure.services.requests import request_create

    data = dict(form.cleaned_data)
    channel, received_on = data.pop("channel"), data.pop("received_on")
    return request_create(actor=actor, township=township, channel=channel, received_on=received_on, data=data)


def _item_form(user, township, data):
    from fazhi.disclosure.forms import ItemForm

    return ItemForm(data)


def _item_save(actor, township, form):
    from fazhi.disclosure.services import items

    return items.item_create(actor=actor, township=township, **form.cleaned_data)


def _year_form(base, model, what: str, township, data):
    """The page's form for a member/task plus the 年度 that picks the year's group/plan (the page's URL does)."""
    from django import forms

    class YearForm(base):
        year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

        def clean_year(self):
            year = self.cleaned_data["year"]
            self.parent = model.objects.filter(township=township, year=year).first()
            if self.parent is None:
                raise forms.ValidationError(f"{year}年的{what}尚未建立，请先在{what}页面建立后再导入。")
            return year

    form = YearForm(data)
    form.order_fields(["year"])
    return form


def _member_form(user, township, data):
    from fazhi.organization.forms import MemberForm
    from fazhi.organization.models import LeadingGroup

    return _year_form(MemberForm, LeadingGroup, "法治建设领导小组", township, data)


def _member_save(actor, township, form):
    from fazhi.organization import services

    cd = dict(form.cleaned_data)
    cd.pop("year")
    return services.member_add(actor=actor, group=form.parent, **cd)


def _task_form(user, township, data):
    from fazhi.organization.forms import TaskForm
    from fazhi.organization.models import AnnualPlan

    return _year_form(TaskForm, AnnualPlan, "年度工作计划", township, data)


def _task_save(actor, township, form):
    from fazhi.organization import services

    cd = dict(form.cleaned_data)
    cd.pop("year")
    return services.task_create(actor=actor, plan=form.parent, **cd)


def _this_year() -> int:
    """A task's example row is for this year's plan (last year's is carried over and closed)."""
    from django.utils import timezone

    return timezone.localdate().year


LEDGERS: dict[str, LedgerSpec] = {s.key: s for s in [
    LedgerSpec("disputes", "矛盾纠纷台账", DISPUTE_ROLES, _dispute_form, _dispute_save,
               ("received_on", "village", "dispute_type", "source", "summary", "party1_name", "party1_phone",
                "party1_id", "party2_name", "party2_phone", "other_parties", "risk_level"),
               ("received_on", "village", "party1_name", "summary"),
               {"received_on": "2024-03-05", "village": "犁头村", "dispute_type": "邻里", "source": "排查发现",
                "summary": "两户因排水沟发生争执。", "party1_name": "盘某某", "party1_phone": "13800000000",
                "party2_name": "赵某某", "other_parties": "钱某某//13900000000/被申请人；孙某某",
                "risk_level": "一般"}, save_many=_dispute_save_many, same_form=True),
    LedgerSpec("events", "普法宣传活动台账", EVENT_ROLES, _event_form, _event_save,
               ("date", "village", "place", "theme", "topics", "format", "organizer", "audience", "aud_under18",
                "aud_18_39", "aud_40_59", "aud_60_plus", "posters", "leaflets", "venue", "summary"),
               ("date", "village", "theme"),
               {"date": "2024-03-15", "village": "犁头村", "place": "村部广场", "theme": "消费者权益保护法宣传",
                "audience": 20, "aud_60_plus": 20, "posters": 5, "leaflets": 100}),
    LedgerSpec("sessions", "学法活动台账", STUDY_ROLES, _session_form, _session_save,
               ("date", "kind", "topic", "laws", "speaker", "place", "hours", "attendees", "partial_hours", "notes"),
               ("date", "kind", "topic"),
               {"date": "2024-04-10", "topic": "学习行政处罚法", "hours": 2}),
    LedgerSpec("officers", "执法人员与证件台账", OFFICER_ROLES, _officer_form, _officer_save,
               ("name", "post", "body", "cert_no", "cert_issuer", "cert_valid_from", "cert_valid_until",
                "cert_status", "legal_qualified", "legal_qualification_no", "active"),
               ("name", "cert_no"),
               {"name": "张某某", "post": "综合行政执法队队员", "cert_no": "43110009", "cert_issuer": "湖南省人民政府",
                "cert_valid_from": "2024-01-01", "cert_valid_until": "2028-12-31", "active": "是"}),
    LedgerSpec("inspections", "行政检查（巡查）台账", INSPECTION_ROLES, _inspection_form, _inspection_save,
               ("date", "kind", "village", "place", "subject", "findings", "result", "officers"),
               ("date", "place", "subject"),
               {"date": "2024-05-06", "place": "犁头村", "subject": "农村自建房安全巡查",
                "findings": "未发现违法行为。"}),
    LedgerSpec("requests", "政府信息公开申请台账", REQUEST_ROLES, _request_form, _request_save,
               ("received_on", "channel", "applicant_kind", "applicant_name", "id_type", "id_number", "contact_phone",
                "contact_email", "contact_address", "description", "delivery_form"),
               ("received_on", "applicant_name", "description"),
               {"received_on": "2024-03-05", "channel": "当面提交", "applicant_kind": "公民",
                "applicant_name": "王某某", "id_type": "居民身份证", "id_number": "43000019900101123X",
                "contact_phone": "13800000000", "description": "本乡2023年农村危房改造补助名单",
                "delivery_form": "纸质文本"}),
    LedgerSpec("items", "主动公开信息台账", ITEM_ROLES, _item_form, _item_save,
               ("category", "title", "doc_number", "formed_on", "summary", "body"),
               ("category", "title", "formed_on"),
               {"category": "工作动态", "title": "关于2024年春耕生产的通知", "doc_number": "犁政发〔2024〕3号", "formed_on": "2024-03-01",
                "summary": "部署春耕备耕工作。"}),
    LedgerSpec("members", "法治建设领导小组成员", MEMBER_ROLES, _member_form, _member_save,
               ("year", "group_role", "name", "post", "order", "joined_on", "change_reason"),
               ("year", "name", "post"),
               {"year": 2024, "group_role": "成员", "name": "李某某", "post": "司法所所长", "order": 10}),
    LedgerSpec("tasks", "年度法治建设工作计划任务", TASK_ROLES, _task_form, _task_save,
               ("year", "seq", "area", "title", "description", "owner_unit", "owner_person", "due_date", "priority"),
               ("year", "title"),
               {"year": lambda: _this_year(), "seq": 1, "area": "学法普法", "title": "开展“八五”普法中期自查",
                "owner_unit": "司法所", "due_date": lambda: f"{_this_year()}-12-31"}),
]}


def ledgers_for(user) -> list[LedgerSpec]:
    return [s for s in LEDGERS.values() if may_import(user, s)]
