"""The report text: every figure from the (fake) module statistics, findings only where data shows them."""

from decimal import Decimal

from fazhi.reports import content, sources
from fazhi.reports.rollup import merge
from fazhi.reports.tests.fakes import seed_stats

FACTS = {"area_km2": Decimal("34.50"), "population": 2611, "villages": 4}


def build(data=None, **kw):
    data = seed_stats() if data is None else data
    stats = sources.Stats(year=2024, sections=data, failed=set(sources.MODULE_KEYS) - set(data))
    return content.build(stats, name="犁头瑶族乡", region_facts=FACTS, **kw)


def test_it_follows_the_seed_structure():
    r = build()
    text = r.full_text()
    assert r.title == "2024年犁头瑶族乡法治政府建设工作总结"
    order = ["一、工作举措及成效", "（一）加强组织领导", "（二）深化宣传教育", "（三）推进依法行政", "另一方面，深入推进政务公开",
             "（四）强化法治保障", "（五）坚持为民服务", "（六）党政主要负责人", "二、存在问题", "三、下一步工作安排"]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)
    assert text.splitlines()[1].startswith("2024年，犁头瑶族乡以习近平新时代中国特色社会主义思想为指导")


def test_it_states_the_seed_figures():
    text = build().full_text()
    assert "全年排查调处矛盾纠纷62起，化解61起，成功率98%" in text
    assert "集中主题宣传10次，受众126人次，张贴海报120份，发放普法宣传资料2150份" in text
    assert "党委理论中心组学习习近平法治思想及相关法律法规11次" in text
    assert "组织学法14次" in text
    assert "我乡持有执法证件的干部仅4人" in text
    assert "全乡持有行政执法证件人员4人" in text
    assert "以乡党委书记赵巾英为顾问，党委副书记、乡长雷斌为组长，党委委员、政法委员、武装部长李文杰为副组长" in text
    assert "《2024年犁头瑶族乡法治政府建设工作计划》" in text
    assert "聘请了湖南某律师事务所陈律师担任法律顾问" in text
    assert "主动公开政府信息86条" in text


def test_it_writes_the_principal_leaders_duty_from_group_and_study_hours():
    text = build().full_text()
    assert "赵巾英（乡党委书记）参加学法11次、22学时" in text
    assert "雷斌（党委副书记、乡长）参加学法12次、24学时" in text


def test_it_writes_next_steps_from_next_years_plan():
    r = build()
    text = r.full_text()
    assert "（一）完善法治建设工作机制。坚持邀请政府法律顾问" in text
    assert "（三）做实做细普法宣传。" in text


def test_it_writes_only_the_problems_the_data_shows():
    text = build().full_text()
    assert "60岁以上群众占63%" in text
    assert "毛栗坪村全年未开展普法宣传活动" in text
    assert "1件行政处罚案件超过法定期限" in text
    assert "2条政府信息未在形成或变更之日起20个工作日内公开" in text
    assert "矛盾纠纷排查化解仍有短板" not in text  # 98 %, nothing overdue
    calm = seed_stats(
        education={"elderly_share": 30, "villages_without_events": [], "planned_events": 10},
        enforcement={"certified_officers": 12, "overdue_cases": 0}, disclosure={"late_items": 0},
        organization={"plan_tasks_overdue": 0})
    calm_text = build(calm).full_text()
    for phrase in ("年龄偏大", "持有执法证件的干部仅", "超过法定期限", "未在形成或变更", "逾期未完成"):
        assert phrase not in calm_text
    assert "未发现突出问题" in calm_text


def test_two_findings_read_as_one_side_and_the_other():
    two = seed_stats(enforcement={"overdue_cases": 0}, disclosure={"late_items": 0}, organization={"plan_tasks_overdue": 0})
    text = build(two).full_text()
    assert "一方面，法治宣传教育工作有待加强" in text
    assert "另一方面，乡镇法治建设队伍单薄" in text


def test_a_module_that_failed_gives_an_empty_section_with_a_note():
    data = seed_stats(mediation=None, education=None)
    r = build(data)
    text = r.full_text()
    assert "（五）坚持为民服务，依法履行政府职能。【该模块数据暂时无法读取（错误已记入日志）】" in text
    assert "（二）深化宣传教育，增进法治意识。【该模块数据暂时无法读取（错误已记入日志）】" in text
    assert "矛盾纠纷：该模块数据暂时无法读取（错误已记入日志）" in r.notes
    assert "62起" not in text


def test_edits_keep_figures_live():
    r = build(edits={"mediation": "全年共受理纠纷{mediation.received}起，调解成功{mediation.resolved}起。"})
    assert "（五）坚持为民服务，依法履行政府职能。全年共受理纠纷62起，调解成功61起。" in r.full_text()
    data = seed_stats(mediation={"received": 70, "resolved": 66})
    assert "全年共受理纠纷70起，调解成功66起。" in build(data, edits={
        "mediation": "全年共受理纠纷{mediation.received}起，调解成功{mediation.resolved}起。"}).full_text()


def test_county_rollup_sums_and_recomputes_rates():
    a = sources.Stats(2024, seed_stats())
    b = sources.Stats(2024, seed_stats(mediation={"received": 38, "resolved": 30, "success_rate": 79,
                                                  "by_village": {"汇源村": 38}},
                                       education={"audience": 74, "elderly_share": 20,
                                                  "villages_without_events": ["大坪村"]}))
    merged = merge([("犁头瑶族乡", a), ("汇源瑶族乡", b)], 2024)
    med, edu = merged.get("mediation"), merged.get("education")
    assert med["received"] == 100 and med["resolved"] == 91
    assert med["success_rate"] == 91  # from the sums, not the mean of 98 and 79
    assert edu["elderly_share"] == round((63 * 126 + 20 * 74) / 200)
    assert edu["villages_without_events"] == ["犁头瑶族乡毛栗坪村", "汇源瑶族乡大坪村"]
    assert med["by_village"]["汇源瑶族乡汇源村"] == 38
    assert merged.get("enforcement")["certified_officers"] == 8
    r = content.build(merged, name="蓝山县", region_facts=FACTS, county=True)
    assert r.title == "2024年蓝山县法治政府建设工作总结（各乡镇汇总）"
    assert "全年排查调处矛盾纠纷100起，化解91起，成功率91%" in r.full_text()
