"""Writes for committees and mediators (人民调解法第八、九条), the dispute-type catalogue and the settings."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.audit.services import audit_record, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.models import Region, RegionLevel
from fazhi.core.periods import refuse_beyond_statute
from fazhi.core.writes import clean, require_role, save_audited
from fazhi.mediation.deadlines import rules_for, todo_due_refresh
from fazhi.mediation.models import Committee, DisputeType, Level, MediationSettings, Mediator
from fazhi.mediation.permissions import CATALOGUE_ROLES, COMMITTEE_ROLES, admin_over

COMMITTEE_REFUSED = "您无权在该乡镇管理调解组织。"


@transaction.atomic
def committee_create(*, actor, township, name: str, level: str, village=None,
                     established_on: dt.date | None = None) -> Committee:
    require_role(actor, township, COMMITTEE_ROLES, COMMITTEE_REFUSED)
    if level == Level.VILLAGE and (village is None or village.parent_id != township.pk):
        raise DomainError("村调委会须选择本乡镇的村。")
    if level == Level.TOWNSHIP:
        village = None
    committee = Committee(township=township, name=name.strip(), level=level, village=village,
                          established_on=established_on)
    return save_audited(committee, actor=actor)


@transaction.atomic
def mediator_add(*, actor, committee: Committee, name: str, term_start: dt.date, position: str = "member",
                 term_end: dt.date | None = None, phone: str = "", user=None) -> Mediator:
    """人民调解法第八条：委员会由委员三至九人组成；第九条：每届任期三年。"""
    require_role(actor, committee.township, COMMITTEE_ROLES, COMMITTEE_REFUSED)
    rules = rules_for(committee.township)
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    in_term = [m for m in committee.members.all() if m.in_term(term_start)]
    if len(in_term) >= rules.committee_max_members:
        raise DomainError(f"人民调解委员会由委员{rules.committee_min_members}至{rules.committee_max_members}人组成，"
                          f"本届已满{rules.committee_max_members}人。")
    if term_end is None:
        try:
            term_end = term_start.replace(year=term_start.year + rules.committee_term_years) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            term_end = term_start.replace(year=term_start.year + rules.committee_term_years, day=28)
    if term_end < term_start:
        raise DomainError("任期届满日期不能早于任期开始日期。")
    mediator = Mediator(township_id=committee.township_id, committee=committee, name=name.strip(), position=position,
                        term_start=term_start, term_end=term_end, phone=phone.strip(), user=user)
    return save_audited(mediator, actor=actor)


# --- catalogue and settings (admin) ------------------------------------------------------------------

@transaction.atomic
def dispute_type_save(*, actor, township, name: str, order: int = 100, active: bool = True,
                      instance: DisputeType | None = None) -> DisputeType:
    require_role(actor, township, CATALOGUE_ROLES, "您无权在该乡镇维护纠纷类型目录。")
    name = name.strip()
    if DisputeType.objects.filter(name=name).exclude(pk=getattr(instance, "pk", None)).exists():
        raise DomainError(f"纠纷类型“{name}”已存在。")
    obj = instance or DisputeType()
    before = snapshot(obj) if instance else None
    obj.name, obj.order, obj.active = name, order, active
    return save_audited(obj, actor=actor, before=before, reason="纠纷类型目录")


SETTING_FIELDS = ["target_months", "confirmation_days", "followup_days", "petition_receipt_days",
                  "petition_conclude_days", "petition_extension_max_days", "screening_period_months",
                  "committee_min_members", "committee_max_members", "committee_term_years"]


@transaction.atomic
def settings_save(*, actor, region, **values) -> MediationSettings:
    if not admin_over(actor, region):
        raise DomainError("您无权修改该区划的调处参数。")
    obj = MediationSettings.objects.filter(region=region).first()
    before = snapshot(obj, SETTING_FIELDS) if obj else None
    obj = obj or MediationSettings(region=region)
    for k in SETTING_FIELDS:
        if k in values and values[k] is not None:
            setattr(obj, k, values[k])
    if not (1 <= obj.committee_min_members <= obj.committee_max_members):
        raise DomainError("调委会委员人数下限不能大于上限。")
    refuse_beyond_statute({"med.petition_receipt": obj.petition_receipt_days,
                           "med.petition_conclude": obj.petition_conclude_days,
                           "med.petition_extension": obj.petition_extension_max_days})
    clean(obj)
    obj.save()
    # the stored to-do due dates under this region are derived from these periods: recount them
    todo_due_refresh(townships=Region.objects.filter(path__startswith=region.path, level=RegionLevel.TOWNSHIP))
    # MediationSettings is not township-owned: the audit entry names the township only when it is one
    audit_record(actor=actor, action="update" if before else "create", obj=obj,
                 township=region if region.is_township else None,
                 changes={k: [before.get(k) if before else None, str(getattr(obj, k))] for k in SETTING_FIELDS})
    return obj
