"""Writes for petitions (信访), committees/mediators, the type catalogue and the settings."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.audit.services import audit_create, audit_update, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.scope import can_act_in
from fazhi.core.workflow import Workflow, transition
from fazhi.mediation.deadlines import petition_conclude_due, rules_for
from fazhi.mediation.models import (
    Committee,
    DisputeType,
    Level,
    MediationSettings,
    Mediator,
    Petition,
    PetitionTransition,
)
from fazhi.mediation.roles import APPROVE_ROLES, CATALOGUE_ROLES, COMMITTEE_ROLES, PETITION_ROLES
from fazhi.mediation.services import _check_date, _clean, _next_number

P = Petition.Status

PETITION_WORKFLOW = Workflow(
    "petition",
    allowed={P.RECEIVED: {P.ACCEPTED, P.REJECTED}, P.ACCEPTED: {P.CONCLUDED}},
    labels=dict(P.choices),
)


def _require(user, township, roles, what="办理信访事项") -> None:
    if not can_act_in(user, township, roles):
        raise DomainError(f"您无权在该乡镇{what}。")


@transaction.atomic
def petition_create(*, actor, township, petitioner: str, content: str, received_on: dt.date,
                    form: str = Petition.Form.VISIT, village=None, id_number: str = "", phone: str = "") -> Petition:
    _require(actor, township, PETITION_ROLES)
    _check_date(received_on, "收到日期")
    if village is not None and village.parent_id != township.pk:
        raise DomainError("请选择本乡镇的村。")
    petition = Petition(township=township, village=village, petitioner=petitioner.strip(), content=content.strip(),
                        received_on=received_on, form=form, id_number=id_number.strip().upper(),
                        phone=phone.strip(), recorded_by=actor, number=_next_number(Petition, township,
                                                                                     received_on.year))
    _clean(petition)
    petition.save()
    PetitionTransition.objects.create(petition=petition, actor=actor, from_status="", to_status=P.RECEIVED,
                                      reason="登记")
    audit_create(actor=actor, obj=petition)
    return petition


@transaction.atomic
def petition_transition(*, actor, petition: Petition, to: str, on: dt.date | None = None, reason: str = "",
                        conclusion: str = "", expected_status: str | None = None) -> Petition:
    """受理 / 不予受理 (written notice, its date = notice_on) → 办结 (conclusion)."""
    _require(actor, petition.township, PETITION_ROLES)
    on = on or dt.date.today()
    guards = []
    if to in (P.ACCEPTED, P.REJECTED):
        _check_date(on, "书面告知日期", petition.received_on, "收到日期")
        if to == P.REJECTED and not reason.strip():
            raise DomainError("不予受理须说明理由并书面告知信访人。")
    elif to == P.CONCLUDED:
        if not conclusion.strip():
            raise DomainError("请填写处理意见。")

        def after_acceptance(p):
            _check_date(on, "办结日期", p.notice_on, "受理日期")
        guards.append(after_acceptance)

    def apply(p):
        if to in (P.ACCEPTED, P.REJECTED):
            p.notice_on = on
        if to == P.REJECTED:
            p.conclusion = reason.strip()
        if to == P.CONCLUDED:
            p.concluded_on, p.conclusion = on, conclusion.strip()

    return transition(petition, workflow=PETITION_WORKFLOW, to=to, actor=actor, record_model=PetitionTransition,
                      record_fk="petition", reason=reason.strip() or conclusion.strip(), guards=guards,
                      expected_status=expected_status, on_apply=apply)


@transaction.atomic
def petition_extend(*, actor, petition: Petition, days: int, reason: str, approved_on: dt.date | None = None) -> Petition:
    """One extension of at most 30 days, approved by a leader, before the conclusion deadline passes."""
    _require(actor, petition.township, APPROVE_ROLES, "批准信访事项延期")
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    rules = rules_for(locked.township)
    approved_on = approved_on or dt.date.today()
    if locked.status != P.ACCEPTED:
        raise DomainError("只有已受理、尚未办结的信访事项才能延期。")
    if locked.extension_days:
        raise DomainError("信访事项办理期限只能延长一次。")
    if not (1 <= int(days) <= rules.petition_extension_max_days):
        raise DomainError(f"延长期限应为1至{rules.petition_extension_max_days}日。")
    if not reason.strip():
        raise DomainError("请填写延期理由（情况复杂的具体情形）。")
    _check_date(approved_on, "批准日期", locked.notice_on, "受理日期")
    due = petition_conclude_due(locked, rules)
    if due is not None and approved_on > due.due:
        raise DomainError(f"办结期限已于{due.due}届满，不能再批准延期。")
    before = snapshot(locked, ["extension_days", "extension_reason", "extension_approved_by", "extension_approved_on"])
    locked.extension_days, locked.extension_reason = int(days), reason.strip()
    locked.extension_approved_by, locked.extension_approved_on = actor, approved_on
    _clean(locked)
    locked.save()
    audit_update(actor=actor, obj=locked, before=before, reason="批准延长办理期限")
    return locked


# --- committees and mediators ------------------------------------------------------------------------

@transaction.atomic
def committee_create(*, actor, township, name: str, level: str, village=None,
                     established_on: dt.date | None = None) -> Committee:
    _require(actor, township, COMMITTEE_ROLES, "管理调解组织")
    if level == Level.VILLAGE and (village is None or village.parent_id != township.pk):
        raise DomainError("村调委会须选择本乡镇的村。")
    if level == Level.TOWNSHIP:
        village = None
    committee = Committee(township=township, name=name.strip(), level=level, village=village,
                          established_on=established_on)
    _clean(committee)
    committee.save()
    audit_create(actor=actor, obj=committee)
    return committee


@transaction.atomic
def mediator_add(*, actor, committee: Committee, name: str, term_start: dt.date, position: str = "member",
                 term_end: dt.date | None = None, phone: str = "", user=None) -> Mediator:
    """人民调解法第八条：委员会由委员三至九人组成；第九条：每届任期三年。"""
    _require(actor, committee.township, COMMITTEE_ROLES, "管理调解组织")
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
    _clean(mediator)
    mediator.save()
    audit_create(actor=actor, obj=mediator)
    return mediator


# --- catalogue and settings (admin) ------------------------------------------------------------------

@transaction.atomic
def dispute_type_save(*, actor, township, name: str, order: int = 100, active: bool = True,
                      instance: DisputeType | None = None) -> DisputeType:
    _require(actor, township, CATALOGUE_ROLES, "维护纠纷类型目录")
    name = name.strip()
    if DisputeType.objects.filter(name=name).exclude(pk=getattr(instance, "pk", None)).exists():
        raise DomainError(f"纠纷类型“{name}”已存在。")
    obj = instance or DisputeType()
    before = snapshot(obj) if instance else None
    obj.name, obj.order, obj.active = name, order, active
    _clean(obj)
    obj.save()
    if before is None:
        audit_create(actor=actor, obj=obj, reason="纠纷类型目录")
    else:
        audit_update(actor=actor, obj=obj, before=before, reason="纠纷类型目录")
    return obj


SETTING_FIELDS = ["target_months", "confirmation_days", "followup_days", "petition_receipt_days",
                  "petition_conclude_days", "petition_extension_max_days", "screening_period_months",
                  "committee_min_members", "committee_max_members", "committee_term_years"]


@transaction.atomic
def settings_save(*, actor, region, **values) -> MediationSettings:
    if not _admin_over(actor, region):
        raise DomainError("您无权修改该区划的调处参数。")
    obj = MediationSettings.objects.filter(region=region).first()
    before = snapshot(obj, SETTING_FIELDS) if obj else None
    obj = obj or MediationSettings(region=region)
    for k in SETTING_FIELDS:
        if k in values and values[k] is not None:
            setattr(obj, k, values[k])
    if not (1 <= obj.committee_min_members <= obj.committee_max_members):
        raise DomainError("调委会委员人数下限不能大于上限。")
    _clean(obj)
    obj.save()
    from fazhi.audit.services import audit_record

    audit_record(actor=actor, action="update" if before else "create", obj=obj,
                 township=region if region.is_township else None,
                 changes={k: [before.get(k) if before else None, str(getattr(obj, k))] for k in SETTING_FIELDS})
    return obj


def _admin_over(user, region) -> bool:
    from fazhi.core.scope import memberships

    return any(m.role in CATALOGUE_ROLES and region.path.startswith(m.region.path) for m in memberships(user))
