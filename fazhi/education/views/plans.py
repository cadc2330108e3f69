"""The annual publicity plan (年度普法工作计划) and the coverage page (覆盖面: villages, ages, months, plan)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.urls import reverse

from fazhi.core import charts
from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.pages import form_page, write_township
from fazhi.core.params import year_param
from fazhi.education import forms, permissions, selectors, services
from fazhi.education.models import PublicityPlan
from fazhi.education.permissions import EDU_READ, STUDY_WRITE

pubplan_ledger = Ledger(
    title="年度普法工作计划",
    columns=[Column("年度", "year", sort="year"), Column("计划名称", "title", link=True),
             Column("乡镇", "township.name"), Column("计划集中宣传(次)", "planned_events"),
             Column("目标受众(人次)", "target_audience"), Column("计划海报(份)", "target_posters"),
             Column("计划资料(份)", "target_leaflets"), Column("计划覆盖村数", "target_villages")],
    filters=[Filter("year", "年度", "year", selectors.years_choices)],
    search_fields=["title", "notes"],
    default_sort="-year",
    row_url=lambda o: reverse("education:pubplan_detail", args=[o.pk]),
    actions=[("新建普法计划", "/education/plans/new/")],
)


@role_view(read=EDU_READ, write=STUDY_WRITE)
def pubplans(request):
    return pubplan_ledger.respond(request, selectors.pubplan_list_for(request.user))


@role_view(read=EDU_READ, write=STUDY_WRITE)
def pubplan_new(request):
    form = forms.PubPlanForm(request.POST or None, initial={"year": dt.date.today().year})

    def save(cd):
        topics = cd.pop("key_topics")
        return services.pubplan_create(actor=request.user, township=write_township(request, STUDY_WRITE),
                                       key_topics=topics, **cd)

    return form_page(request, form=form, title="新建年度普法工作计划", on_valid=save,
                     success=lambda p: reverse("education:pubplan_detail", args=[p.pk]),
                     back_url=reverse("education:pubplans"))


@role_view(read=EDU_READ, write=STUDY_WRITE, model=PublicityPlan)
def pubplan_detail(request, pk):
    p = get_visible_or_404(PublicityPlan, request.user, roles=EDU_READ, pk=pk)
    cov = selectors.coverage(p.township, p.year)
    return render(request, "education/pubplan_detail.html", {
        "p": p, "cov": cov, "topics": p.key_topics.all(), "can_write": permissions.may_write_study(request.user, p.township),
        "chart": charts.plan_vs_actual(cov["plan_vs_actual"], title=f"{p.year}年普法计划完成情况")})


@role_view(read=EDU_READ, write=STUDY_WRITE, model=PublicityPlan)
def pubplan_edit(request, pk):
    p = get_visible_or_404(PublicityPlan, request.user, roles=EDU_READ, pk=pk)
    form = forms.PubPlanForm(request.POST or None, instance=p)
    form.fields["year"].disabled = True
    url = reverse("education:pubplan_detail", args=[pk])

    def save(cd):
        topics = cd.pop("key_topics")
        return services.pubplan_update(actor=request.user, plan=p, key_topics=topics, **cd)

    return form_page(request, form=form, title=f"修改：{p.title}", on_valid=save, success=url, back_url=url)


@role_view(read=EDU_READ)
def coverage(request):
    """Coverage of publicity: per village against population, uncovered villages, ages, plan vs actual."""
    year = year_param(request.GET.get("year", ""), dt.date.today().year)
    town, towns = selectors.stats_township(request.user, EDU_READ, request.GET.get("township", ""))
    ctx = {"year": year, "township": town, "townships": towns, "years": selectors.years_choices()}
    if town is not None:
        cov = selectors.coverage(town, year)
        ctx.update(cov=cov, charts=_coverage_charts(cov, year))
    return render(request, "education/coverage.html", ctx)


def _chart(title: str, svg) -> dict:
    return {"title": title, "svg": svg}


def _coverage_charts(cov: dict, year: int) -> dict:
    rows = cov["rows"]
    events_title = f"{year}年各村普法活动次数"
    reach_title = "每千人受众人次（受众 ÷ 户籍人口）"
    ages_title = "受众年龄分布"
    months_title = "各月活动次数（时紧时松）"
    plan_title = "年度普法计划完成情况"
    return {
        "events": _chart(events_title, charts.bars(
            [(r["name"], r["events"]) for r in rows], title=events_title, unit="次",
            notes={r["name"]: "无活动" for r in rows if not r["events"]},
            tones={r["name"]: "muted" for r in rows if not r["events"]})),
        "reach": _chart(reach_title, charts.bars(
            [(r["name"], r["per_1000"] or 0) for r in rows], title=reach_title,
            notes={r["name"]: f"受众{r['audience']}人次 / 人口{r['population'] or '未填'}" for r in rows})),
        "ages": _chart(ages_title, charts.bars(
            list(cov["by_age"].items()), title=ages_title, unit="人次",
            tones={k: "warn" for k in cov["by_age"] if "60" in k})),
        "months": _chart(months_title, charts.columns(charts.month_series(cov["by_month"]), title=months_title,
                                                      unit="次")),
        "plan": _chart(plan_title, charts.plan_vs_actual(cov["plan_vs_actual"], title=plan_title))
        if cov["plan_vs_actual"] else None,
    }
