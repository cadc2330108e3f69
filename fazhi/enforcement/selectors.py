"""Reads of the enforcement module, always through the user's scope; statistics for the annual report."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Q

from fazhi.accounts.roles import Role
from fazhi.enforcement import deadlines, permissions, rules
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    CoerciveMeasure,
    CollectiveDiscussion,
    Conflict,
    DiscretionBand,
    EnforcementBody,
    Inspection,
    InspectionDraw,
    InspectionKind,
    InspectionObject,
    LegalReview,
    Officer,
    Outcome,
    PlanItem,
    Power,
    PowerCategory,
    Procedure,
    ProcessRecord,
    Publication,
    PublicationStatus,
    ReviewOutcome,
    certified_q,
)

# The 20 lines above annual_stats are another engineer's (left as they are); they read this name.
CASE_WRITE_ROLES = permissions.CASE_WRITE


def case_list_for(user):
    return Case.objects.visible_to(user, roles=permissions.READ).select_related("township", "power")


def case_detail_qs(user):
    return case_list_for(user).select_related("power__body", "band", "inspection", "filing_approved_by",
                                              "decided_by")


def inspection_list_for(user):
    return (Inspection.objects.visible_to(user, roles=permissions.READ).select_related("township", "village")
            .annotate(officer_count=Count("officers", distinct=True)))


def object_list_for(user):
    """The inspection-object library (双随机), scoped (a village member sees his village's objects)."""
    return InspectionObject.objects.visible_to(user, roles=permissions.READ).select_related("township", "village")


def plan_item_list_for(user):
    return (PlanItem.objects.visible_to(user, roles=permissions.READ).select_related("township")
            .annotate(inspection_count=Count("inspections", distinct=True)))


def draw_list_for(user):
    return (InspectionDraw.objects.visible_to(user, roles=permissions.READ).select_related("township", "plan_item")
            .annotate(inspection_count=Count("inspections", distinct=True)))


def conflict_list_for(user):
    return Conflict.objects.visible_to(user, roles=permissions.READ).select_related("officer", "target")


def published_inspections(township):
    """双随机 results on the portal: only published ones; the template shows `target.public_name` only."""
    return (Inspection.objects.filter(township=township, kind=InspectionKind.RANDOM, published_on__isnull=False)
            .select_related("target", "plan_item", "village").order_by("-date", "-id"))


def officer_list_for(user):
    return Officer.objects.visible_to(user, roles=permissions.READ).select_related("township", "body", "user")


def power_list_for(user):
    return Power.objects.visible_to(user, roles=permissions.READ).select_related("township", "body")


def body_list_for(user):
    return EnforcementBody.objects.visible_to(user, roles=permissions.READ).select_related("township")


def band_list_for(user):
    return DiscretionBand.objects.visible_to(user, roles=permissions.READ).select_related("power")


def record_list_for(user):
    return ProcessRecord.objects.visible_to(user, roles=permissions.READ).select_related("township", "case")


def measure_list_for(user):
    return CoerciveMeasure.objects.visible_to(user, roles=permissions.READ).select_related("case", "township")


def review_list_for(user):
    return LegalReview.objects.visible_to(user, roles=permissions.READ).select_related("case", "reviewer")


def publication_list_for(user):
    return Publication.objects.visible_to(user, roles=permissions.READ).select_related("case", "township")


def township_users(township):
    """Accounts that may be linked to a roster entry: active members of the township."""
    from django.contrib.auth import get_user_model

    if township is None:
        return get_user_model().objects.none()
    return (get_user_model().objects.filter(memberships__active=True, memberships__region=township)
            .distinct().order_by("username"))


def certified_officers(township, day: dt.date):
    return Officer.objects.filter(certified_q(day), township=township)


def officers_for_case_choice(township, day: dt.date | None = None):
    """Officers that may be assigned today (valid certificate)."""
    return certified_officers(township, day or dt.date.today()).order_by("name")


def reviewers_for(case: Case):
    return (Officer.objects.filter(Q(legal_qualified=True) | Q(first_review_on__lt=rules.LAW_2021_IN_FORCE),
                                   township=case.township, active=True)
            .exclude(pk__in=case.officers.values("pk")).order_by("name"))


def certificate_warnings(officers, today: dt.date, warn_days: int) -> list[dict]:
    """Officers whose certificate expires within `warn_days` (or has expired): roster warnings."""
    out = []
    for o in officers:
        if not o.cert_no or not o.cert_valid_until or not o.active:
            continue
        left = (o.cert_valid_until - today).days
        if left < 0:
            out.append({"officer": o, "days_left": left, "text": f"执法证件已于{o.cert_valid_until:%Y-%m-%d}过期"})
        elif left <= warn_days:
            out.append({"officer": o, "days_left": left,
                        "text": f"执法证件将于{o.cert_valid_until:%Y-%m-%d}到期（剩余{left}天），请及时办理换证"})
    return out


def published_decisions(township=None):
    """Published, not withdrawn penalty decisions — public data for the portal (no login)."""
    qs = Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related("township")
    if township is not None:
        qs = qs.filter(township=township)
    return qs.order_by("-published_on", "-id")


def withdrawn_publications(township=None):
    qs = Publication.objects.filter(status=PublicationStatus.WITHDRAWN).select_related("township")
    if township is not None:
        qs = qs.filter(township=township)
    return qs.order_by("-withdrawn_on", "-id")


# --- deadlines, overdue ledger, to-do -----------------------------------------------------------

def case_deadlines_for(case: Case) -> list[deadlines.CaseDeadline]:
    s = rules.settings_for(case.township)
    pub = Publication.objects.filter(case=case).first()
    return deadlines.case_deadlines(case, s, publication=pub, measures=list(case.measures.all()))


def _active_cases(qs):
    return (qs.exclude(status__in=[CaseStatus.NOT_FILED, CaseStatus.ARCHIVED])
            .select_related("township", "power", "publication").prefetch_related("measures"))


def open_deadlines(cases, today: dt.date):
    """(case, CaseDeadline) for every still-open deadline of the given cases (settings cached per township)."""
    cache: dict = {}
    for case in cases:
        s = cache.get(case.township_id)
        if s is None:
            s = cache[case.township_id] = rules.settings_for(case.township)
        pub = getattr(case, "publication", None) if _has_pub(case) else None
        for d in deadlines.case_deadlines(case, s, publication=pub, measures=list(case.measures.all())):
            if d.open and not d.window:
                yield case, d


def _has_pub(case) -> bool:
    try:
        case.publication  # noqa: B018
    except Publication.DoesNotExist:
        return False
    return True


def overdue_items(user, today: dt.date | None = None) -> list[dict]:
    """The overdue ledger: open statutory deadlines already past, and deadlines met late."""
    today = today or dt.date.today()
    rows = []
    cache: dict = {}
    for case in _active_cases(case_list_for(user)):
        s = cache.get(case.township_id) or cache.setdefault(case.township_id, rules.settings_for(case.township))
        pub = case.publication if _has_pub(case) else None
        for d in deadlines.case_deadlines(case, s, publication=pub, measures=list(case.measures.all())):
            if d.window:
                continue
            if d.overdue(today):
                late = (d.done_on - d.due).days if d.done_on else (today - d.due).days
                rows.append({"case": case, "deadline": d, "days": late, "done": d.done_on is not None})
    return sorted(rows, key=lambda r: (r["done"], r["deadline"].due))


# deadline key -> (the case step that meets it, the roles whose task it is): the to-do opens the step
TODO_STEPS = {
    "decide": ("decide", permissions.TODO_DECIDE),
    "service": ("serve", permissions.TODO_HANDLE),
    "payment": ("payment", permissions.TODO_HANDLE),
}


# The stored due date is counted with the holiday schedule of the day it was written; a schedule edited
# since moves a due date by one rest-day run at most (春节/国庆 ≤ 9 days), so SQL selects with this margin
# and the exact dates, counted now, decide (as mediation.selectors.TODO_SLACK).
TODO_SLACK = dt.timedelta(days=15)


def todo_cases(user, until: dt.date):
    """The open cases with a statutory deadline due by `until` (overdue ones included), selected in SQL on
    the stored derived `todo_due`, so the to-do's work does not grow with the county's history."""
    return _active_cases(case_list_for(user).filter(township__in=_township_ids(user))).exclude(
        status=CaseStatus.CLOSED).filter(todo_due__lte=until + TODO_SLACK)


def todo_provider(user, today: dt.date, horizon_days: int):
    from django.urls import reverse

    from fazhi.core.todo import TodoItem

    limit = today + dt.timedelta(days=horizon_days)
    for case, d in open_deadlines(todo_cases(user, limit), today):
        if d.due <= limit:
            step, roles = TODO_STEPS.get(d.key, (None, frozenset()))
            url = reverse(f"enforcement:case_{step}" if step else "enforcement:case_detail", args=[case.pk])
            yield TodoItem.from_deadline("行政执法", f"{case.number} {d.label}", d.deadline, url,
                                         township_id=case.township_id, roles=roles,
                                         action=d.label if step else "")
    yield from _random_inspection_todo(user, today, limit)
    yield from _proxy_todo(user, today, limit)
    officers = Officer.objects.visible_to(user, roles={Role.ADMIN, Role.LEGAL_STAFF, Role.LEADER}).exclude(
        cert_valid_until=None)
    by_town: dict = {}
    for o in officers.select_related("township"):
        s = by_town.get(o.township_id) or by_town.setdefault(o.township_id, rules.settings_for(o.township))
        if o.active and o.cert_no and o.cert_valid_until <= today + dt.timedelta(days=s.certificate_warning_days):
            yield TodoItem("行政执法", f"{o.name}执法证件到期换证", o.cert_valid_until,
                           reverse("enforcement:officers"),
                           f"执法证件有效期至{o.cert_valid_until:%Y年%m月%d日}，到期前{s.certificate_warning_days}日提醒。",
                           township_id=o.township_id, roles=frozenset({Role.ADMIN, Role.LEGAL_STAFF}))


def _random_inspection_todo(user, today: dt.date, limit: dt.date):
    """双随机: a drawn inspection whose day has come waits for its result; an entered result waits for its
    publication (enf.inspection_publish). Only open ones are selected, so history never enters the to-do."""
    from django.urls import reverse

    from fazhi.core.todo import TodoItem
    from fazhi.enforcement.workflow.inspections import publish_deadline

    qs = (inspection_list_for(user).filter(township__in=_township_ids(user), kind=InspectionKind.RANDOM,
                                           published_on__isnull=True)
          .filter(Q(result_on__isnull=False) | Q(date__lte=today)).select_related("target"))
    for ins in qs:
        what = ins.target.name if ins.target else ins.subject
        if ins.result_on is None:
            yield TodoItem("行政执法", f"录入抽查结果：{what}", ins.date,
                           reverse("enforcement:inspection_result", args=[ins.pk]),
                           f"双随机抽查计划于{ins.date:%Y年%m月%d日}检查，检查后录入检查情况和结果。",
                           township_id=ins.township_id, roles=permissions.CASE_WRITE, action="录入检查结果")
            continue
        d = publish_deadline(ins)
        if d.due <= limit:
            yield TodoItem.from_deadline("行政执法", f"公示抽查结果：{what}", d,
                                         reverse("enforcement:inspection_publish", args=[ins.pk]),
                                         township_id=ins.township_id, roles=permissions.PUBLISH,
                                         action="公示检查结果")


def _proxy_todo(user, today: dt.date, limit: dt.date):
    """代履行 (行政强制法第五十一条、第五十二条): the next act of each open 代履行 — serve the decision, 催告 three days
    before, carry it out, or (立即代履行) tell the party afterwards. Only the four open statuses are selected."""
    from django.urls import reverse

    from fazhi.core.todo import TodoItem
    from fazhi.enforcement import deadlines
    from fazhi.enforcement.models import CoercionStatus as C

    qs = coercion_list_for(user).filter(township__in=_township_ids(user), status__in=[
        C.PROXY_DECIDED, C.PROXY_SERVED, C.PROXY_URGED, C.PROXY_DONE])
    for c in qs:
        planned = c.proxy_planned_on or c.decided_on
        if c.status == C.PROXY_DECIDED:
            step, label, due, why = "proxy_serve", "送达代履行决定书", planned, "代履行前送达决定书（第五十一条第一款第一项）。"
        elif c.status == C.PROXY_SERVED:
            step, label, due = "proxy_urge", "代履行前催告", planned - dt.timedelta(days=3)
            why = f"代履行定于{planned:%Y年%m月%d日}，三日前催告当事人履行（第五十一条第一款第二项）。"
        elif c.status == C.PROXY_URGED:
            ready = deadlines.proxy_urge_ready(c)
            step, label, due, why = "proxy_perform", "实施代履行", max(ready.due, planned), ready.explanation
        else:
            step, label, due = "proxy_notify", "事后通知当事人", c.decided_on
            why = "立即代履行后当事人不在场的，应当在事后立即通知当事人，并依法作出处理（第五十二条）。"
        if due <= limit:
            yield TodoItem("行政执法", f"{c.case.number} {label}", due,
                           reverse(f"enforcement:coercion_{step}", args=[c.pk]), why,
                           township_id=c.township_id, roles=permissions.CASE_WRITE, action=label)


def _township_ids(user):
    from fazhi.core.scope import townships_for

    return townships_for(user, CASE_WRITE_ROLES | {Role.ADMIN}).values("pk")


# --- statistics for the annual report ----------------------------------------------------------

class EnforcementStats(TypedDict):
    """The annual-report contract of enforcement (reports reads these keys)."""

    certified_officers: int
    officers: int
    inspections: int
    cases: int
    cases_ordinary: int
    cases_simplified: int
    legal_reviews: int
    collective_discussions: int
    process_records: int
    records_with_video: int
    decisions: int
    overdue_cases: int
    avg_days_to_decision: float | None
    by_type: dict[str, int]
    by_outcome: dict[str, int]
    fines_total: Decimal


def annual_stats(township, year: int) -> EnforcementStats:
    """Enforcement figures of one township and year, in a constant number of queries."""
    today = dt.date.today()
    ref = today if year == today.year else dt.date(year, 12, 31)
    officers = Officer.objects.filter(township=township).aggregate(
        total=Count("pk", filter=Q(active=True)), certified=Count("pk", filter=certified_q(ref)))
    cases = list(Case.objects.filter(township=township, year=year).exclude(status=CaseStatus.NOT_FILED)
                 .values("procedure", "status", "power__category", "outcome", "filed_on", "decided_on",
                         "extension_days", "fine_amount"))
    decided = list(Case.objects.filter(township=township, decided_on__year=year)
                   .values("procedure", "outcome", "filed_on", "decided_on", "fine_amount", "status"))
    records = ProcessRecord.objects.filter(township=township, recorded_at__year=year).aggregate(
        n=Count("pk"), video=Count("pk", filter=Q(has_video=True)))
    s = rules.settings_for(township)
    overdue = 0
    for c in cases:
        if c["procedure"] != Procedure.ORDINARY or not c["filed_on"]:
            continue
        due = deadlines.count("enf.decide", c["filed_on"], s.decide_days + (c["extension_days"] or 0)).due
        if (c["decided_on"] or today) > due:
            overdue += 1
    spans = [(c["decided_on"] - c["filed_on"]).days for c in decided
             if c["procedure"] == Procedure.ORDINARY and c["filed_on"]]
    labels_type = dict(PowerCategory.choices)
    labels_outcome = dict(Outcome.choices)
    fines = sum((c["fine_amount"] or Decimal(0) for c in decided
                 if c["outcome"] == Outcome.PENALTY and c["status"] != CaseStatus.REVOKED), Decimal("0"))
    return {
        "certified_officers": officers["certified"],
        "officers": officers["total"],
        "inspections": Inspection.objects.filter(township=township, date__year=year).count(),
        "cases": len(cases),
        "cases_ordinary": sum(1 for c in cases if c["procedure"] == Procedure.ORDINARY),
        "cases_simplified": sum(1 for c in cases if c["procedure"] == Procedure.SIMPLIFIED),
        "legal_reviews": LegalReview.objects.filter(township=township, reviewed_on__year=year)
        .exclude(outcome=ReviewOutcome.PENDING).values("case").distinct().count(),
        "collective_discussions": CollectiveDiscussion.objects.filter(township=township, held_on__year=year).count(),
        "process_records": records["n"],
        "records_with_video": records["video"],
        "decisions": len(decided),
        "overdue_cases": overdue,
        "avg_days_to_decision": round(sum(spans) / len(spans), 1) if spans else None,
        "by_type": dict(Counter(labels_type.get(c["power__category"], "其他") for c in cases)),
        "by_outcome": dict(Counter(labels_outcome[c["outcome"]] for c in decided if c["outcome"])),
        "fines_total": fines,
    }


def monthly_cases(township, year: int) -> dict[int, int]:
    rows = Case.objects.filter(township=township, year=year).exclude(status=CaseStatus.NOT_FILED).values_list(
        "filed_on", "decided_on", "discovered_on")
    return dict(sorted(Counter((f or d or x).month for f, d, x in rows).items()))



def legal_review_coverage(township, year: int) -> tuple[int, int]:
    """(ordinary-procedure decisions of `year` that needed legal review under Art. 58, how many of them
    passed it) — the county's 法制审核率 (oversight 考评)."""
    cases = (Case.objects.filter(township=township, procedure=Procedure.ORDINARY, decided_on__year=year)
             .exclude(status=CaseStatus.REVOKED).prefetch_related("reviews", "hearings"))
    s = rules.settings_for(township)
    required = reviewed = 0
    for case in cases:
        if rules.legal_review_reasons(case, s, hearing_held=bool(case.hearings.all())):
            required += 1
            reviewed += any(r.outcome == ReviewOutcome.PASSED for r in case.reviews.all())
    return required, reviewed


def prior_disclosure(township, day: dt.date) -> dict:
    """事前公示 (国办发〔2018〕118号): who enforces, with which certificates, which powers on which basis and
    裁量基准, by which procedure, with which remedies — read live from the catalogue, the roster and the
    workflow declaration. Officers: name, certificate number, validity and body only."""
    from fazhi.core.flowchart import draw
    from fazhi.enforcement.workflow.cases import CASE_WORKFLOW

    county = township.parent.name if township.parent_id else "上一级"
    chart, back = draw(CASE_WORKFLOW, start=[CaseStatus.FILING, CaseStatus.ONSITE], title="行政处罚办理流程",
                       hide=[CaseStatus.REVOKED])
    s = rules.settings_for(township)
    return {
        "bodies": list(EnforcementBody.objects.filter(township=township, active=True).order_by("id")),
        "officers": list(certified_officers(township, day).select_related("body").order_by("name")
                         .only("name", "cert_no", "cert_issuer", "cert_valid_until", "body__name")),
        "powers": list(Power.objects.filter(township=township, active=True).select_related("body")
                       .prefetch_related("bands").order_by("category", "code")),
        "chart": chart, "back_moves": back,
        "remedies": {"reconsideration_body": f"{county}人民政府", "court": f"{county}人民法院",
                     "reconsideration_days": s.reconsideration_days, "lawsuit_months": s.lawsuit_months},
        "inspections": list(Inspection.objects.filter(township=township, kind="planned", date__year=day.year)
                            .order_by("-date").only("date", "place", "subject", "result")[:100]),
        **random_inspection_plan(township, day),
    }


def random_inspection_plan(township, day: dt.date) -> dict:
    """The annual 双随机 plan for 事前公示 (事项, basis, frequency, object scope, yearly limit): this year's active
    items, or — before this year's plan is entered — the latest earlier year's, labelled with its year."""
    items = PlanItem.objects.filter(township=township, active=True, year__lte=day.year)
    year = items.order_by("-year").values_list("year", flat=True).first()
    rows = list(items.filter(year=year).order_by("item", "id")) if year else []
    return {"plan_year": year, "plan_current": year == day.year, "plan_items": rows}


def coercion_list_for(user):
    """行政强制执行 procedures the user may see."""
    from fazhi.enforcement.models import CoercionProcedure

    return CoercionProcedure.objects.visible_to(user, roles=permissions.READ).select_related("township", "case")
