"""Demo data for 犁头瑶族乡 2024 from the seed 一(一) and 三: the leading group as the seed describes it
(named leaders, members as posts), the 2024 plan with tasks and progress, budget, meetings, duty lists,
and the year-end carry-over that puts 三、下一步工作安排 into the 2025 plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.organization import services
from fazhi.organization.models import AnnualPlan, GroupRole, LeadingGroup, TopicMeeting
from fazhi.organization.workflow import plan_carry_over, plan_transition, task_transition

D = dt.date
YEAR = 2024
PLAN_TITLE = "2024年犁头瑶族乡法治政府建设工作计划"

GROUP = [
    (GroupRole.ADVISER, "赵巾英", "乡党委书记"),
    (GroupRole.HEAD, "雷斌", "党委副书记、乡长"),
    (GroupRole.DEPUTY, "李文杰", "党委委员、政法委员、武装部长"),
    (GroupRole.MEMBER, "", "党政综合办公室负责人"),
    (GroupRole.MEMBER, "", "司法所负责人"),
    (GroupRole.MEMBER, "", "综合行政执法队负责人"),
    (GroupRole.MEMBER, "", "财政所负责人"),
    (GroupRole.MEMBER, "", "社会治安综合治理中心负责人"),
    (GroupRole.MEMBER, "", "自然资源所负责人"),
    (GroupRole.MEMBER, "", "派出所负责人"),
]

# (area, title, owner unit, due, priority, final progress)
TASKS = [
    ("organization", "调整法治政府建设工作领导小组，专题研究部署年度工作", "党政综合办公室", D(2024, 3, 31), "high", 100),
    ("organization", "将法治政府建设工作经费纳入年度财政预算", "财政所", D(2024, 3, 31), "high", 100),
    ("education", "党委理论中心组学习习近平法治思想及相关法律法规不少于10次", "党政综合办公室", D(2024, 12, 31),
     "high", 100),
    ("education", "按普法计划开展集中主题普法宣传活动12次", "司法所", D(2024, 12, 20), "high", 83),
    ("education", "制定并落实“谁执法谁普法”责任清单", "司法所", D(2024, 6, 30), "normal", 100),
    ("education", "扩大法治文化阵地，实现各村全覆盖", "司法所", D(2024, 11, 30), "normal", 75),
    ("decision", "聘请政府法律顾问，重大事项决策前听取法律意见", "党政综合办公室", D(2024, 4, 30), "high", 100),
    ("decision", "严格执行“三重一大”事项议事规则和决策程序", "党政综合办公室", D(2024, 12, 31), "high", 100),
    ("disclosure", "落实“五公开”，及时公开机构概况、规划计划、工作动态", "党政综合办公室", D(2024, 12, 31),
     "normal", 100),
    ("enforcement", "推行行政执法全过程记录，执法人员规范使用执法记录仪", "综合行政执法队", D(2024, 9, 30),
     "normal", 100),
    ("enforcement", "重大行政处罚案件法制审核和集体讨论全覆盖", "综合行政执法队", D(2024, 12, 31), "high", 100),
    ("team", "组织执法人员参加执法资格考试，增加持证执法人员", "综合行政执法队", D(2024, 10, 31), "normal", 40),
    ("disputes", "常态化开展矛盾纠纷排查调处，调处成功率95%以上", "社会治安综合治理中心", D(2024, 12, 31),
     "normal", 100),
]

NEXT_STEPS = [
    ("decision", "完善法治建设工作机制",
     "坚持邀请政府法律顾问参与研究项目推进、平安建设等领域工作，分析研判法律风险，助推科学依法决策。"
     "紧扣法治政府建设目标，坚持严格规范公正文明执法。", "党政综合办公室"),
    ("team", "加强干部队伍建设，提高运用法治思维和法治方式解决问题的能力",
     "持续深入学习宣传贯彻习近平法治思想和中央全面依法治国会议精神，推动综合行政执法人员特别是领导干部"
     "这个“关键少数”加强宪法和相关法律法规以及规范性文件的学习。", "党政综合办公室"),
    ("education", "做实做细普法宣传",
     "严格落实“谁执法谁普法”责任制，督促乡属各单位、村积极普法，扎实开展丰富多样的法治创建活动，"
     "加强普法宣传教育。", "司法所"),
]

DUTIES = [
    ("司法所", "民法典、婚姻家庭、人民调解法", [("开展民法典、婚姻家庭法律知识宣传", 3, D(2024, 12, 31))]),
    ("派出所", "国家安全法、治安管理处罚法、反电信网络诈骗法",
     [("开展国家安全和社会治安法治宣传", 3, D(2024, 12, 31))]),
    ("社会治安综合治理中心", "信访工作条例", [("开展信访工作条例宣传", 1, D(2024, 6, 30))]),
    ("自然资源所", "土地管理法", [("开展土地管理法律宣传", 1, D(2024, 8, 31))]),
    ("综合行政执法队", "安全生产法、森林法", [("开展安全生产和森林防火法治宣传", 2, D(2024, 12, 31))]),
]


def _proof(title: str):
    """A small stand-in PDF for the demo's proof attachment (the real one is the issued document)."""
    from django.core.files.base import ContentFile

    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return ContentFile(body, name="犁政发〔2024〕5号-领导小组调整通知.pdf")


def load(ctx) -> None:
    _litou(ctx)
    _demo2(ctx)


def _litou(ctx) -> None:
    town, actor = ctx.litou, ctx.user("litou_legal_staff")
    if not LeadingGroup.objects.filter(township=town, year=YEAR).exists():
        g = services.group_create(actor=actor, township=town, year=YEAR, copy_previous=False,
                                  document_no="犁政发〔2024〕5号", established_on=D(2024, 2, 26), office="乡司法所",
                                  duties="统筹推进全乡法治政府建设，研究解决重大问题，督促检查年度任务落实。")
        for i, (role, name, post) in enumerate(GROUP, start=1):
            services.member_add(actor=actor, group=g, group_role=role, name=name, post=post, order=i * 10,
                                joined_on=D(2024, 2, 26))
    if not TopicMeeting.objects.filter(township=town, date__year=YEAR).exists():
        m = services.meeting_create(
            actor=actor, township=town, date=D(2024, 2, 27), title="乡党委会专题研究部署2024年法治政府建设工作",
            place="乡政府三楼会议室", chair="赵巾英",
            attendees="赵巾英 乡党委书记\n雷斌 党委副书记、乡长\n李文杰 党委委员、政法委员、武装部长\n"
                      "党政综合办公室负责人\n司法所负责人\n综合行政执法队负责人\n财政所负责人",
            agenda="一、学习传达全县法治政府建设工作会议精神\n二、审议《2024年犁头瑶族乡法治政府建设工作计划》\n"
                   "三、研究法治建设工作经费保障",
            minutes="会议认为，法治政府建设是全面依法治国的重要任务，要坚持党委统一领导、政府组织实施。",
            decisions="一、调整法治政府建设工作领导小组；二、原则通过年度工作计划，由党政综合办公室印发；"
                      "三、法治建设工作经费纳入本年度财政预算。")
        services.followup_add(actor=actor, meeting=m, content="印发2024年法治政府建设工作计划",
                              owner="党政综合办公室", due_date=D(2024, 3, 15))
        services.followup_add(actor=actor, meeting=m, content="将法治建设经费列入年度预算", owner="财政所",
                              due_date=D(2024, 3, 31))
        for f, day in zip(m.follow_ups.order_by("id"), (D(2024, 3, 12), D(2024, 3, 28)), strict=True):
            services.followup_complete(actor=actor, followup=f, done_on=day, result="已按期落实")
        services.meeting_create(
            actor=actor, township=town, date=D(2024, 7, 10), title="法治政府建设工作领导小组半年推进会",
            place="乡政府三楼会议室", chair="雷斌",
            attendees="雷斌 党委副书记、乡长\n李文杰 党委委员、政法委员、武装部长\n司法所负责人\n综合行政执法队负责人",
            agenda="通报上半年计划任务进展，研究下半年普法宣传和执法规范化工作",
            decisions="督促各责任单位按“谁执法谁普法”责任清单开展宣传；执法队组织执法资格考试报名。")
    plan = AnnualPlan.objects.filter(township=town, year=YEAR).first()
    if plan is None:
        plan = services.plan_create(actor=actor, township=town, year=YEAR, title=PLAN_TITLE,
                                    document_no="犁政发〔2024〕6号", issued_on=D(2024, 3, 12),
                                    summary="以习近平新时代中国特色社会主义思想为指导，按照《湖南省法治政府建设实施方案"
                                            "（2021—2025年）》要求，细化全乡年度法治政府建设任务。")
        for i, (area, title, unit, due, prio, final) in enumerate(TASKS, start=1):
            t = services.task_create(actor=actor, plan=plan, seq=i, area=area, title=title, owner_unit=unit,
                                     owner_person="", due_date=due, priority=prio)
            half = D(2024, 6, 28)
            if final == 100 and due > half:
                task_transition(actor=actor, task=t, step="progress",
                                data={"date": half, "progress": 50, "note": "按计划推进，完成过半。"})
            done_day = min(due, D(2024, 12, 20))
            task_transition(actor=actor, task=t, step="progress",
                            data={"date": done_day if final == 100 else D(2024, 12, 20), "progress": final,
                                  "proof": _proof(title) if i == 1 else None,
                                  "note": "已完成。" if final == 100 else f"年底完成{final}%，未能全部完成。"})
        plan_transition(actor=actor, plan=plan, step="issue", data={"reason": "乡党委会审议通过后印发"})
        for i, (area, title, content, unit) in enumerate(NEXT_STEPS, start=1):
            services.next_step_add(actor=actor, plan=plan, seq=i, area=area, title=title, content=content,
                                   owner_unit=unit)
    if plan.status != "closed":
        plan_carry_over(actor=actor, plan=plan, reason="2024年度工作总结后年终结转")
    _budget(town, actor)
    _duties(town, actor)


def _budget(town, actor) -> None:
    from fazhi.organization.models import BudgetLine

    if BudgetLine.objects.filter(township=town, year=YEAR).exists():
        return
    line = services.budget_line_create(actor=actor, township=town, year=YEAR, subject="法治政府建设工作经费",
                                       amount=Decimal("30000.00"), source="乡财政预算",
                                       note="普法宣传、学法培训、法治文化阵地维护")
    for day, amount, purpose, voucher in [
        (D(2024, 4, 8), "5800.00", "印制普法宣传海报、宣传资料", "2024-记-0412"),
        (D(2024, 6, 20), "3200.00", "法治文化阵地宣传栏维护", "2024-记-0633"),
        (D(2024, 9, 12), "2400.00", "领导干部学法培训资料", "2024-记-0907"),
        (D(2024, 12, 5), "4100.00", "国家宪法日及年末集中宣传物料", "2024-记-1218"),
    ]:
        services.spend_record(actor=actor, line=line, date=day, amount=Decimal(amount), purpose=purpose,
                              voucher_no=voucher)


def _duties(town, actor) -> None:
    from fazhi.organization.models import DutyList

    if DutyList.objects.filter(township=town, year=YEAR).exists():
        return
    for unit, laws, obligations in DUTIES:
        d = services.duty_list_create(actor=actor, township=town, year=YEAR, unit=unit, person=f"{unit}负责人",
                                      laws=laws)
        for content, n, due in obligations:
            services.obligation_add(actor=actor, duty_list=d, content=content, target_events=n, due_date=due)


def _demo2(ctx) -> None:
    """A little data in the second township, so scope tests have something to not see."""
    town, actor = ctx.demo2, ctx.user("demo2_legal_staff")
    if AnnualPlan.objects.filter(township=town, year=YEAR).exists():
        return
    g = services.group_create(actor=actor, township=town, year=YEAR, copy_previous=False)
    services.member_add(actor=actor, group=g, group_role=GroupRole.HEAD, post="乡长")
    plan = services.plan_create(actor=actor, township=town, year=YEAR, title="2024年汇源瑶族乡法治政府建设工作计划")
    services.task_create(actor=actor, plan=plan, seq=1, area="education", title="开展普法宣传", owner_unit="司法所",
                         due_date=D(2024, 12, 31))
    services.meeting_create(actor=actor, township=town, date=D(2024, 3, 1), title="汇源乡法治建设专题会",
                            attendees="乡长", agenda="部署年度工作")
    services.budget_line_create(actor=actor, township=town, year=YEAR, subject="法治建设经费",
                                amount=Decimal("20000"))
    d = services.duty_list_create(actor=actor, township=town, year=YEAR, unit="司法所")
    services.obligation_add(actor=actor, duty_list=d, content="民法典宣传", target_events=1)
