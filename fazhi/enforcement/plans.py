"""双随机一公开 writes: the object library, the annual plan, conflict declarations, the random draw (which
creates the inspections) and the 涉企检查“无事不扰” guard. Results and publication are steps of
`INSPECTION_FLOW` (`workflow/inspections.py`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count

from fazhi.audit.services import snapshot
from fazhi.core.calendar import fmt_date
from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role, save_audited, set_fields
from fazhi.enforcement import draws, permissions
from fazhi.enforcement.models import (
    Conflict,
    Inspection,
    InspectionDraw,
    InspectionKind,
    InspectionObject,
    Officer,
    PlanItem,
)
from fazhi.enforcement.rules import _cert_problem

OBJECT_FIELDS = {"name", "kind", "village", "address", "credit_code", "risk", "active", "note"}
PLAN_FIELDS = {"year", "item", "basis", "object_kind", "frequency", "yearly_limit", "active"}


def _may(actor, township, what: str) -> None:
    require_role(actor, township, permissions.PLAN_WRITE, f"您无权在{township.name}{what}。")


def _check_village(village, township) -> None:
    if village is not None and village.parent_id != township.pk:
        raise DomainError("所选村不属于本乡镇。")


@transaction.atomic
def object_save(*, actor, township, obj: InspectionObject | None = None, **fields) -> InspectionObject:
    township = obj.township if obj else township
    _may(actor, township, "维护检查对象名录")
    obj = obj or InspectionObject(township=township)
    before = snapshot(obj) if obj.pk else None
    set_fields(obj, fields, OBJECT_FIELDS)
    _check_village(obj.village, township)
    return save_audited(obj, actor=actor, before=before)


@transaction.atomic
def plan_item_save(*, actor, township, plan_item: PlanItem | None = None, **fields) -> PlanItem:
    township = plan_item.township if plan_item else township
    _may(actor, township, "维护年度抽查计划")
    p = plan_item or PlanItem(township=township)
    before = snapshot(p) if p.pk else None
    set_fields(p, fields, PLAN_FIELDS)
    if p.yearly_limit is not None and p.yearly_limit < 1:
        raise DomainError("同一对象每年检查次数上限至少为1次。")
    return save_audited(p, actor=actor, before=before)


@transaction.atomic
def conflict_declare(*, actor, officer: Officer, target: InspectionObject, reason: str) -> Conflict:
    _may(actor, officer.township, "登记回避声明")
    if target.township_id != officer.township_id:
        raise DomainError("检查对象与执法人员不属于同一乡镇。")
    if not (reason or "").strip():
        raise DomainError("请写明回避事由（如亲属关系、利害关系）。")
    if Conflict.objects.filter(officer=officer, target=target).exists():
        raise DomainError(f"{officer.name}与“{target.name}”的回避声明已登记。")
    return save_audited(Conflict(township=officer.township, officer=officer, target=target, reason=reason.strip()),
                        actor=actor)


# --- 涉企检查“无事不扰” ----------------------------------------------------------------------------------

def inspections_this_year(target, plan_item, year: int) -> int:
    return Inspection.objects.filter(target=target, plan_item=plan_item, date__year=year).count()


def disturb_refusal(target, plan_item, year: int, done: int | None = None) -> str | None:
    """Why one more inspection of `target` under `plan_item` in `year` is refused, or None."""
    done = inspections_this_year(target, plan_item, year) if done is None else done
    if done >= plan_item.yearly_limit:
        return (f"“{target.name}”{year}年已接受“{plan_item.item}”检查{done}次，已达年度抽查计划规定的"
                f"每年{plan_item.yearly_limit}次上限（涉企检查“无事不扰”），不得重复检查；"
                "确因投诉举报、转办交办需要检查的，请登记为临时检查并不选抽查事项。")
    return None


def lock_plan_item(plan_item: PlanItem) -> PlanItem:
    """Lock the plan item's row for the rest of the transaction. Every write that adds an inspection under a
    plan item takes this lock before it counts the year's inspections, so two draws (or a draw and a manual
    entry) at the same moment run one after the other: the second counts what the first committed and cannot
    pass an object's yearly limit too (PostgreSQL: READ COMMITTED re-reads after the lock is granted)."""
    return PlanItem.objects.select_for_update().get(pk=plan_item.pk)


def check_not_disturbed(target, plan_item, year: int) -> None:
    refusal = disturb_refusal(target, plan_item, year)
    if refusal:
        raise DomainError(refusal)


# --- the random draw --------------------------------------------------------------------------------

def draw_candidates(plan_item: PlanItem, draw_date: dt.date, inspection_date: dt.date) -> tuple[dict, list]:
    """The candidate lists as stored on the draw, and what was left out with the reason."""
    township, year = plan_item.township, inspection_date.year
    objects, officers, excluded = [], [], []
    qs = InspectionObject.objects.filter(township=township, active=True).order_by("id")
    if plan_item.object_kind:
        qs = qs.filter(kind=plan_item.object_kind)
    done = dict(Inspection.objects.filter(plan_item=plan_item, date__year=year, target__isnull=False)
                .values_list("target").annotate(n=Count("id")).values_list("target", "n"))
    for o in qs:
        refusal = disturb_refusal(o, plan_item, year, done.get(o.pk, 0))
        if refusal:
            excluded.append({"type": "object", "id": o.pk, "name": o.name, "reason": refusal})
        else:
            objects.append({"id": o.pk, "name": o.name, "kind": o.kind})
    for f in Officer.objects.filter(township=township, active=True).order_by("id"):
        bad = [d for d in dict.fromkeys((draw_date, inspection_date)) if not f.certified_on(d)]
        if bad:
            excluded.append({"type": "officer", "id": f.pk, "name": f.name,
                             "reason": f"{fmt_date(bad[0])}{_cert_problem(f, bad[0])}"})
        else:
            officers.append({"id": f.pk, "name": f.name, "cert_no": f.cert_no})
    ids_o, ids_f = {o["id"] for o in objects}, {f["id"] for f in officers}
    conflicts = [{"officer": c.officer_id, "object": c.target_id, "reason": c.reason}
                 for c in Conflict.objects.filter(township=township).order_by("id")
                 if c.officer_id in ids_f and c.target_id in ids_o]
    return {"objects": objects, "officers": officers, "conflicts": conflicts}, excluded


@transaction.atomic
def draw_create(*, actor, plan_item: PlanItem, object_count: int, team_size: int = 2, draw_date: dt.date,
                inspection_date: dt.date | None = None, seed: str | None = None,
                today: dt.date | None = None) -> InspectionDraw:
    """Draw objects and officer teams for one plan item, record everything, create the inspections
    (kind 双随机抽查). Any refusal (too few officers, …) writes nothing."""
    today = today or dt.date.today()
    township = plan_item.township
    require_role(actor, township, permissions.CASE_WRITE, f"您无权在{township.name}组织随机抽取。")
    plan_item = lock_plan_item(plan_item)  # before anything is counted: concurrent draws serialize here
    inspection_date = inspection_date or draw_date
    if draw_date > today:
        raise DomainError("抽取日期不能晚于今天。")
    if inspection_date < draw_date:
        raise DomainError("计划检查日期不能早于抽取日期。")
    if not plan_item.active:
        raise DomainError("该抽查事项已停用。")
    if inspection_date.year != plan_item.year:
        raise DomainError(f"计划检查日期须在抽查计划的{plan_item.year}年度内。")
    candidates, excluded = draw_candidates(plan_item, draw_date, inspection_date)
    seed = seed or draws.new_seed()
    result = draws.compute(seed, candidates, object_count, team_size)
    draw = save_audited(InspectionDraw(
        township=township, plan_item=plan_item, draw_date=draw_date, inspection_date=inspection_date,
        object_count=object_count, team_size=team_size, seed=seed, candidates=candidates, excluded=excluded,
        result=result, drawn_by=actor), actor=actor)
    objects = InspectionObject.objects.select_for_update().in_bulk([r["object"] for r in result])
    officers = Officer.objects.in_bulk([i for r in result for i in r["officers"]])
    for r in result:
        target = objects[r["object"]]
        check_not_disturbed(target, plan_item, inspection_date.year)
        ins = save_audited(Inspection(
            township=township, kind=InspectionKind.RANDOM, date=inspection_date, village=target.village,
            place=(target.address or target.name)[:200], subject=plan_item.item[:200], target=target,
            plan_item=plan_item, draw=draw, created_by=actor), actor=actor)
        ins.officers.set([officers[i] for i in r["officers"]])
    return draw
