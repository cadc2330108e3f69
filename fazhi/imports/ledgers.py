"""The ledgers a township can import, each declared by the form its web page uses and the service call
the page makes (so an imported row meets exactly the checks a typed one does)."""

from __future__ import annotations

from fazhi.core.models import Region, RegionLevel
from fazhi.core.scope import villages_for
from fazhi.imports.engine import LedgerSpec


def _dispute_form(user, township, data):
    from fazhi.mediation.forms import DisputeIntakeForm

    form = DisputeIntakeForm(data, user=user)
    form.fields["village"].queryset = form.fields["village"].queryset.filter(parent=township)
    return form


def _dispute_save(actor, township, form):
    from fazhi.mediation import services

    c = form.cleaned_data
    return services.dispute_create(actor=actor, township=township, village=c["village"],
                                   dispute_type=c["dispute_type"], summary=c["summary"], received_on=c["received_on"],
                                   source=c["source"], risk_level=c["risk_level"], parties=form.parties())


def _event_form(user, township, data):
    from fazhi.education import selectors
    from fazhi.education.forms import EventForm
    from fazhi.education.selectors import EVENT_WRITE
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


def _roles():
    from fazhi.education.selectors import EVENT_WRITE, STUDY_WRITE
    from fazhi.enforcement.permissions import CASE_WRITE as CASE_WRITE_ROLES
    from fazhi.enforcement.permissions import CATALOGUE_WRITE as CATALOGUE_WRITE_ROLES
    from fazhi.mediation.roles import HANDLE_ROLES

    return HANDLE_ROLES, EVENT_WRITE, STUDY_WRITE, CATALOGUE_WRITE_ROLES, CASE_WRITE_ROLES


_DISPUTE, _EVENT, _STUDY, _CAT, _CASE = _roles()

LEDGERS: dict[str, LedgerSpec] = {s.key: s for s in [
    LedgerSpec("disputes", "矛盾纠纷台账", _DISPUTE, _dispute_form, _dispute_save,
               ("received_on", "village", "dispute_type", "source", "summary", "party1_name", "party1_phone",
                "party1_id", "party2_name", "party2_phone", "risk_level"),
               ("received_on", "village", "party1_name", "summary"),
               {"received_on": "2024-03-05", "village": "犁头村", "dispute_type": "邻里", "source": "排查发现",
                "summary": "两户因排水沟发生争执。", "party1_name": "盘某某", "party1_phone": "13800000000",
                "party2_name": "赵某某", "risk_level": "一般"}),
    LedgerSpec("events", "普法宣传活动台账", _EVENT, _event_form, _event_save,
               ("date", "village", "place", "theme", "topics", "format", "organizer", "audience", "aud_under18",
                "aud_18_39", "aud_40_59", "aud_60_plus", "posters", "leaflets", "venue", "summary"),
               ("date", "village", "theme"),
               {"date": "2024-03-15", "village": "犁头村", "place": "村部广场", "theme": "消费者权益保护法宣传",
                "audience": 20, "aud_60_plus": 20, "posters": 5, "leaflets": 100}),
    LedgerSpec("sessions", "学法活动台账", _STUDY, _session_form, _session_save,
               ("date", "kind", "topic", "laws", "speaker", "place", "hours", "attendees", "partial_hours", "notes"),
               ("date", "kind", "topic"),
               {"date": "2024-04-10", "topic": "学习行政处罚法", "hours": 2}),
    LedgerSpec("officers", "执法人员与证件台账", _CAT, _officer_form, _officer_save,
               ("name", "post", "body", "cert_no", "cert_issuer", "cert_valid_from", "cert_valid_until",
                "cert_status", "legal_qualified", "legal_qualification_no", "active"),
               ("name", "cert_no"),
               {"name": "张某某", "post": "综合行政执法队队员", "cert_no": "43110009", "cert_issuer": "湖南省人民政府",
                "cert_valid_from": "2024-01-01", "cert_valid_until": "2028-12-31", "active": "是"}),
    LedgerSpec("inspections", "行政检查（巡查）台账", _CASE, _inspection_form, _inspection_save,
               ("date", "kind", "village", "place", "subject", "findings", "result", "officers"),
               ("date", "place", "subject"),
               {"date": "2024-05-06", "place": "犁头村", "subject": "农村自建房安全巡查",
                "findings": "未发现违法行为。"}),
]}

IMPORT_ROLES = frozenset().union(*(s.roles for s in LEDGERS.values()))


def ledgers_for(user) -> list[LedgerSpec]:
    from fazhi.core.scope import has_role

    return [s for s in LEDGERS.values() if has_role(user, s.roles)]
