"""犁头瑶族乡 2024 (seed 一(三), 三(一)): a retained counsel advising on decisions, disputes and litigation;
三重一大 items decided collectively after evaluation and public input; the litigation register.
Built through the services, so every record passes the same rules as typed input. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from fazhi.decisions.models import (
    CommentStatus,
    Decision,
    DecisionCatalogue,
    DecisionCategory,
    DecisionSettings,
    DecisionStatus,
    LegalCounsel,
    Litigation,
    LitigationKind,
    OpinionRequest,
)
from fazhi.decisions.services.consultation import (
    comment_moderate,
    comment_submit,
    comment_summary_publish,
    consultation_open,
)
from fazhi.decisions.services.counsel import counsel_save, opinion_request_create
from fazhi.decisions.services.decision import (
    catalogue_save,
    decision_create,
    decision_review_record,
    settings_save,
)
from fazhi.decisions.services.discussion import discussion_create, discussion_finalize, discussion_opinion_add
from fazhi.decisions.services.litigation import litigation_save
from fazhi.decisions.workflow import decision_transition, litigation_transition, opinion_transition

S = DecisionStatus
D = dt.date

# Collective-decision bodies (placeholders except the posts the seed names).
PARTY_COMMITTEE = [("赵巾英", "党委书记"), ("雷斌", "党委副书记、乡长"), ("李文杰", "党委委员、政法委员、武装部长"),
                   ("唐晓东", "党委委员、副乡长"), ("盘红梅", "党委委员、组织委员"), ("黄建国", "党委委员、纪委书记"),
                   ("邓志华", "党委委员、宣传委员")]
GOVERNMENT_MEETING = [("雷斌", "乡长"), ("唐晓东", "副乡长"), ("李文杰", "武装部长"), ("周文斌", "副乡长"),
                      ("盘红梅", "组织委员")]


def _file(name: str, text: str) -> ContentFile:
    return ContentFile(text.encode("utf-8"), name=name)


def _step(d, staff, to, on, summary="", skip="", files=(), **data):
    if skip:
        return decision_transition(actor=staff, decision=d, step=f"skip_{to}",
                                   data={"performed_on": on, "skip_reason": skip, "files": files})
    return decision_transition(actor=staff, decision=d, step=to,
                               data={"performed_on": on, "summary": summary, "files": files, **data})


def _discuss(d, leader, staff, *, meeting, on, body, head, opinions, conclusion_text, absent=()):
    attendees = [{"name": n, "post": p, "is_member": True, "present": n not in absent,
                  "absence_reason": "外出参加县级会议" if n in absent else ""} for n, p in body]
    attendees.append({"name": "唐法治", "post": "司法所所长（列席）", "is_member": False, "present": True})
    disc = discussion_create(actor=leader, decision=d, meeting=meeting, held_on=on, place="乡政府三楼会议室",
                             members_total=len(body), head_name=head, recorder="王管理",
                             attendees=attendees)
    by_name = {a.name: a for a in disc.attendees.all()}
    for name, stance, text in opinions:
        discussion_opinion_add(actor=leader, discussion=disc, attendee=by_name[name], stance=stance,
                               text=text)
    discussion_finalize(actor=leader, discussion=disc, conclusion="adopted", conclusion_text=conclusion_text)
    return disc


def _agree_all(body, head, absent=(), dissent=None):
    rows = []
    for n, _p in body:
        if n == head or n in absent:
            continue
        if dissent and n == dissent[0]:
            rows.append((n, "disagree", dissent[1]))
        else:
            rows.append((n, "agree", "同意，方案经过论证评估，程序完备。"))
    rows.append((head, "agree", "综合大家意见，同意该方案，请承办单位抓好落实。"))
    return rows


def load(ctx) -> None:
    litou = ctx.litou
    staff, leader, counsel_user = ctx.user("litou_legal_staff"), ctx.user("litou_leader"), ctx.user("litou_counsel")
    if not DecisionSettings.objects.filter(township=litou).exists():
        settings_save(actor=staff, township=litou)
    if not DecisionCatalogue.objects.filter(township=litou, year=2024).exists():
        catalogue_save(actor=staff, township=litou, year=2024, title="犁头瑶族乡2024年度重大行政决策事项目录",
                       published_on=D(2024, 2, 20), note="经乡党委会议审定，在乡政务公开栏和县政府网站公布。")

    counsel = LegalCounsel.objects.filter(township=litou, contract_start=D(2024, 1, 1)).first()
    if counsel is None:
        counsel = counsel_save(actor=staff, township=litou, name="陈律师", firm="湖南蓝山正和律师事务所",
                               user=counsel_user, phone="0746-0000000", contract_start=D(2024, 1, 1),
                               contract_end=D(2024, 12, 31), fee=Decimal("30000"),
                               scope="重大事项、重大决策合法性审查，重大矛盾纠纷调处，行政应诉，合同审查。")
    current = LegalCounsel.objects.filter(township=litou, contract_start=D(2025, 1, 1)).first()
    if current is None:
        current = counsel_save(actor=staff, township=litou, name="陈律师", firm="湖南蓝山正和律师事务所",
                               user=counsel_user, phone="0746-0000000", contract_start=D(2025, 1, 1),
                               contract_end=D(2026, 12, 31), fee=Decimal("30000"),
                               scope="续聘：重大决策、矛盾纠纷、行政应诉、合同审查。")

    if not Decision.objects.filter(township=litou, year=2024).exists():
        _decisions_2024(ctx, staff, leader, counsel, counsel_user)
    if not OpinionRequest.objects.filter(township=litou, subject_type="mediation.dispute").exists():
        _dispute_opinions(litou, staff, counsel, counsel_user)
    if not Litigation.objects.filter(township=litou).exists():
        _litigation(litou, staff, counsel, counsel_user)
    _current_consultation(ctx, staff, current)
    _other_township(ctx)


def _answer(req, counsel_user, on, text):
    return opinion_transition(actor=counsel_user, opinion=req, step="answer",
                              data={"answered_on": on, "answer": text, "files": [_file("法律意见书.txt", text)]})


def _decisions_2024(ctx, staff, leader, counsel, counsel_user):
    litou = ctx.litou
    # 1. 重大行政决策 through every step.
    d = decision_create(
        actor=staff, township=litou, title="犁头瑶族乡农村人居环境整治提升三年行动方案（2024—2026年）",
        category=DecisionCategory.MAJOR_ADMIN, lead_unit="乡农业综合服务中心", lead_person="唐晓东",
        started_on=D(2024, 2, 26), description="围绕垃圾收运、改厕、污水治理和村容村貌提升，明确三年目标、任务和资金安排。",
        summary="列入2024年度重大行政决策事项目录，乡政府常务会议确定乡农业综合服务中心为决策承办单位。",
        files=[_file("决策启动审批表.txt", "启动审批表：同意启动。")])
    consultation_open(actor=staff, decision=d, draft_text="《犁头瑶族乡农村人居环境整治提升三年行动方案（征求意见稿）》全文略。",
                      comment_start=D(2024, 3, 1), comment_end=D(2024, 4, 1))
    for i, (name, body) in enumerate([("犁头村村民", "建议在山背村增设垃圾收集点。"),
                                      ("新屋地村村民", "建议改厕补助标准向困难户倾斜。")], start=1):
        c = comment_submit(decision=d, body=body, name=name, client_ip=f"10.0.0.{i}", today=D(2024, 3, 10),
                           rate_limit=False)
        comment_moderate(actor=staff, comment=c, status=CommentStatus.APPROVED,
                         handling="已采纳，写入方案第三部分。" if i == 1 else "部分采纳：对低保户、特困户提高补助标准。")
    comment_summary_publish(actor=staff, decision=d, published_on=D(2024, 4, 2),
                            summary="共收到意见2条，采纳1条，部分采纳1条，已据此修改方案。")
    _step(d, staff, S.PARTICIPATION, D(2024, 4, 3), "在乡政务公开栏和县政府网站公开征求意见31日，并到4个村召开群众代表座谈会。",
          files=[_file("征求意见情况汇总.txt", "意见汇总。")])
    _step(d, staff, S.EXPERT_REVIEW, D(2024, 4, 7), "邀请县住建局、县生态环境分局专家3人论证，认为方案可行。",
          files=[_file("专家论证意见.txt", "专家论证意见。")])
    _step(d, staff, S.RISK_ASSESSMENT, D(2024, 4, 9), "社会稳定风险评估：低风险，风险可控。", risk_level="low")
    req = opinion_request_create(actor=staff, township=litou, counsel=counsel, subject_type="decisions.decision",
                                 subject_id=d.pk, question="方案中的收费和补助条款是否合法？", asked_on=D(2024, 4, 10),
                                 due_on=D(2024, 4, 19))
    _answer(req, counsel_user, D(2024, 4, 16), "收费条款须以县级收费标准为依据，建议删除自定收费标准；补助条款合法。")
    decision_review_record(actor=staff, decision=d, submitted_on=D(2024, 4, 10), reviewer="乡司法所、政府法律顾问",
                           result="lawful_with_changes", concluded_on=D(2024, 4, 22),
                           opinion="已按法律顾问意见删除自定收费条款，修改后合法。")
    _step(d, staff, S.LEGALITY_REVIEW, D(2024, 4, 22), "合法性审查意见：修改后合法。",
          files=[_file("合法性审查意见书.txt", "合法性审查意见书。")])
    _discuss(d, leader, staff, meeting="乡政府常务会议", on=D(2024, 4, 26), body=GOVERNMENT_MEETING, head="雷斌",
             opinions=_agree_all(GOVERNMENT_MEETING, "雷斌"), conclusion_text="原则通过行动方案，按审查意见修改后报乡党委。")
    _step(d, staff, S.DISCUSSION, D(2024, 4, 26), "经乡政府常务会议集体讨论通过。")
    _step(d, staff, S.PARTY_REPORT, D(2024, 4, 29), "报乡党委会议审定同意。")
    _step(d, staff, S.PUBLISHED, D(2024, 5, 6), "以乡政府文件印发，并在县政府网站公开。", published_on=D(2024, 5, 6))
    _step(d, staff, S.ARCHIVED, D(2024, 5, 10), "决策全过程材料立卷归档。", archive_no="犁政档-2024-001")
    _step(d, staff, S.IMPLEMENTATION, D(2024, 12, 20), "年度执行情况良好：新建垃圾收集点12个、改厕86户；开展决策后评估，群众满意度95%。")

    # 2. 大额资金使用.
    d = decision_create(
        actor=staff, township=litou, title="2024年乡村道路硬化项目资金安排", category=DecisionCategory.LARGE_FUND,
        amount=Decimal("860000"), lead_unit="乡财政所", lead_person="周文斌", started_on=D(2024, 4, 15),
        summary="乡党委会议确定由乡财政所承办资金安排方案。")
    _step(d, staff, S.PARTICIPATION, D(2024, 4, 18), skip="属于上级专项资金的预算内安排，项目清单已在各村村务公开栏公示，不另行公开征求意见。")
    _step(d, staff, S.EXPERT_REVIEW, D(2024, 4, 25), "县交通运输局工程师2人对项目造价进行论证。")
    _step(d, staff, S.RISK_ASSESSMENT, D(2024, 4, 28), "资金使用风险评估：低风险。", risk_level="low")
    req = opinion_request_create(actor=staff, township=litou, counsel=counsel, subject_type="other.contract",
                                 subject_label="乡村道路硬化工程施工合同", question="施工合同条款是否存在法律风险？",
                                 asked_on=D(2024, 5, 6), due_on=D(2024, 5, 13))
    _answer(req, counsel_user, D(2024, 5, 10), "建议补充工程质量保证金和逾期违约责任条款。")
    decision_review_record(actor=staff, decision=d, submitted_on=D(2024, 5, 6), reviewer="乡司法所",
                           result="lawful", concluded_on=D(2024, 5, 16), opinion="资金安排符合预算管理规定。")
    _step(d, staff, S.LEGALITY_REVIEW, D(2024, 5, 16), "合法性审查：合法。")
    _discuss(d, leader, staff, meeting="乡党委会议", on=D(2024, 5, 20), body=PARTY_COMMITTEE, head="赵巾英",
             absent=("邓志华",), opinions=_agree_all(PARTY_COMMITTEE, "赵巾英", absent=("邓志华",),
                                                  dissent=("黄建国", "建议分两期拨付，待一期验收合格后再拨付二期资金。")),
             conclusion_text="同意安排资金86万元，按工程进度分期拨付。")
    _step(d, staff, S.DISCUSSION, D(2024, 5, 20), "经乡党委会议集体研究决定。")
    _step(d, staff, S.PARTY_REPORT, D(2024, 5, 20), skip="本事项由乡党委会议直接研究决定。")
    _step(d, staff, S.PUBLISHED, D(2024, 5, 24), "在乡政务公开栏公示资金安排。", published_on=D(2024, 5, 24))
    _step(d, staff, S.ARCHIVED, D(2024, 6, 3), "立卷归档。", archive_no="犁政档-2024-002")
    _step(d, staff, S.IMPLEMENTATION, D(2024, 12, 10), "完成道路硬化5.2公里，资金已按进度拨付并通过审计。")

    # 3. 重大项目安排: decided, awaiting publication.
    d = decision_create(
        actor=staff, township=litou, title="毛栗坪村安全饮水巩固提升工程", category=DecisionCategory.PROJECT,
        amount=Decimal("420000"), lead_unit="乡水利站", lead_person="李文杰", started_on=D(2024, 7, 1),
        summary="乡党委会议确定由乡水利站承办。")
    consultation_open(actor=staff, decision=d, draft_text="毛栗坪村安全饮水巩固提升工程实施方案（征求意见稿）。",
                      comment_start=D(2024, 7, 3), comment_end=D(2024, 7, 18),
                      short_reason="汛期供水安全紧迫，且仅涉及毛栗坪村，经村民代表会议同意缩短为15日。")
    comment_summary_publish(actor=staff, decision=d, published_on=D(2024, 7, 19), summary="未收到意见。")
    _step(d, staff, S.PARTICIPATION, D(2024, 7, 19), "征求意见15日（已说明理由），召开村民代表会议。")
    _step(d, staff, S.EXPERT_REVIEW, D(2024, 7, 22), "县水利局专家论证水源和管网方案。")
    _step(d, staff, S.RISK_ASSESSMENT, D(2024, 7, 24), "风险评估：中风险，已采取施工期临时供水措施。", risk_level="medium")
    decision_review_record(actor=staff, decision=d, submitted_on=D(2024, 7, 25), reviewer="乡司法所",
                           result="lawful", concluded_on=D(2024, 8, 5), opinion="合法。")
    _step(d, staff, S.LEGALITY_REVIEW, D(2024, 8, 5), "合法性审查：合法。")
    _discuss(d, leader, staff, meeting="乡党委会议", on=D(2024, 8, 9), body=PARTY_COMMITTEE, head="赵巾英",
             opinions=_agree_all(PARTY_COMMITTEE, "赵巾英"), conclusion_text="同意实施该工程。")
    _step(d, staff, S.DISCUSSION, D(2024, 8, 9), "经乡党委会议集体研究决定。")
    _step(d, staff, S.PARTY_REPORT, D(2024, 8, 9), skip="本事项由乡党委会议直接研究决定。")

    # 4. 重要干部任免.
    d = decision_create(
        actor=staff, township=litou, title="乡属站所负责人调整", category=DecisionCategory.APPOINTMENT,
        lead_unit="乡党政综合办公室（组织）", lead_person="盘红梅", started_on=D(2024, 9, 2),
        summary="按干部管理权限启动乡属站所负责人调整程序。")
    _step(d, staff, S.PARTICIPATION, D(2024, 9, 3), skip="干部任免按干部选拔任用程序进行民主推荐，不适用公开征求意见。")
    _step(d, staff, S.EXPERT_REVIEW, D(2024, 9, 3), skip="干部任免事项不适用专家论证。")
    _step(d, staff, S.RISK_ASSESSMENT, D(2024, 9, 10), "开展廉政意见征询和个人有关事项核查，无风险。", risk_level="low")
    decision_review_record(actor=staff, decision=d, submitted_on=D(2024, 9, 10), reviewer="乡司法所",
                           result="lawful", concluded_on=D(2024, 9, 20), opinion="任职资格条件和程序合规。")
    _step(d, staff, S.LEGALITY_REVIEW, D(2024, 9, 20), "资格条件和程序审查：合规。")
    _discuss(d, leader, staff, meeting="乡党委会议", on=D(2024, 9, 24), body=PARTY_COMMITTEE, head="赵巾英",
             opinions=_agree_all(PARTY_COMMITTEE, "赵巾英"), conclusion_text="同意调整方案。")
    _step(d, staff, S.DISCUSSION, D(2024, 9, 24), "乡党委会议无记名表决通过。")
    _step(d, staff, S.PARTY_REPORT, D(2024, 9, 25), "报县委组织部备案。")
    _step(d, staff, S.PUBLISHED, D(2024, 9, 27), "任前公示5个工作日，无异议。", published_on=D(2024, 9, 27))
    _step(d, staff, S.ARCHIVED, D(2024, 10, 14), "立卷归档。", archive_no="犁政档-2024-003")

    # 5. 重大事项: reviewed, waiting for collective discussion.
    d = decision_create(
        actor=staff, township=litou, title="犁头瑶族乡防汛抗旱应急预案修订", category=DecisionCategory.MAJOR_MATTER,
        lead_unit="乡应急管理办公室", lead_person="李文杰", started_on=D(2024, 11, 4), summary="启动预案修订。")
    _step(d, staff, S.PARTICIPATION, D(2024, 11, 5), skip="已书面征求各村和相关站所意见，不涉及向社会公开征求意见。")
    _step(d, staff, S.EXPERT_REVIEW, D(2024, 11, 12), "县应急管理局专家审阅预案。")
    _step(d, staff, S.RISK_ASSESSMENT, D(2024, 11, 13), "风险评估：低风险。", risk_level="low")
    decision_review_record(actor=staff, decision=d, submitted_on=D(2024, 11, 14), reviewer="乡司法所",
                           result="lawful", concluded_on=D(2024, 11, 25), opinion="合法。")
    _step(d, staff, S.LEGALITY_REVIEW, D(2024, 11, 25), "合法性审查：合法。")


def _dispute_opinions(litou, staff, counsel, counsel_user):
    for label, q, asked, answered, text in [
        ("山背村与新屋地村山林权属纠纷", "山林权属争议应如何依法处理？", D(2024, 3, 18), D(2024, 3, 22),
         "建议依据《林木林地权属争议处理办法》先行调解，调解不成报县政府处理。"),
        ("毛栗坪村土地承包经营权纠纷", "外嫁女承包地权益如何保障？", D(2024, 8, 12), D(2024, 8, 19),
         "依据农村土地承包法第三十一条，承包期内妇女结婚的，发包方不得收回其原承包地。"),
    ]:
        req = opinion_request_create(actor=staff, township=litou, counsel=counsel, subject_type="mediation.dispute",
                                     subject_label=label, question=q, asked_on=asked,
                                     due_on=asked + dt.timedelta(days=7))
        _answer(req, counsel_user, answered, text)


def _litigation(litou, staff, counsel, counsel_user):
    lawsuit = litigation_save(
        actor=staff, township=litou, kind=LitigationKind.LITIGATION, case_no="（2024）湘1127行初12号", organ="蓝山县人民法院",
        claimant="黄某某", subject="责令限期拆除违法建筑决定", received_on=D(2024, 7, 8), reply_submitted_on=D(2024, 7, 16),
        hearing_on=D(2024, 8, 15), head_appeared=True, head_name="雷斌", counsel=counsel,
        outcome="upheld", outcome_on=D(2024, 9, 20), note="判决驳回原告诉讼请求。")
    req = opinion_request_create(actor=staff, township=litou, counsel=counsel, subject_type="decisions.litigation",
                                 subject_id=lawsuit.pk, question="请出具答辩意见并代理出庭。", asked_on=D(2024, 7, 9),
                                 due_on=D(2024, 7, 15))
    _answer(req, counsel_user, D(2024, 7, 12), "被诉决定认定事实清楚、程序合法，建议据此答辩。")
    litigation_transition(actor=staff, case=lawsuit, step="answer")
    litigation_transition(actor=staff, case=lawsuit, step="close", data={"reason": "一审判决驳回诉讼请求"})
    recon = litigation_save(
        actor=staff, township=litou, kind=LitigationKind.RECONSIDERATION, case_no="蓝政复〔2024〕5号",
        organ="蓝山县人民政府", claimant="李某某", subject="行政处罚决定（罚款）", received_on=D(2024, 6, 3),
        reply_submitted_on=D(2024, 6, 12), counsel=counsel, outcome="upheld", outcome_on=D(2024, 7, 30))
    litigation_transition(actor=staff, case=recon, step="answer")
    litigation_transition(actor=staff, case=recon, step="close", data={"reason": "复议决定维持"})


def _current_consultation(ctx, staff, current_counsel):
    """One item open for comment now, so the public page and the counsel's to-do are not empty."""
    litou, today = ctx.litou, timezone.localdate()
    title = "犁头瑶族乡集镇农贸市场管理办法"
    if Decision.objects.filter(township=litou, title=title).exists():
        return
    d = decision_create(actor=staff, township=litou, title=title, category=DecisionCategory.MAJOR_ADMIN,
                        lead_unit="乡市场监管所", lead_person="周文斌", started_on=today - dt.timedelta(days=6),
                        summary="列入年度重大行政决策事项目录。")
    consultation_open(actor=staff, decision=d, draft_text="《犁头瑶族乡集镇农贸市场管理办法（征求意见稿）》：摊位划分、"
                      "卫生保洁、收费公示、投诉处理等。", comment_start=today - dt.timedelta(days=5),
                      comment_end=today + dt.timedelta(days=30))
    c = comment_submit(decision=d, body="建议设置老年人、残疾人优先摊位。", name="集镇居民", client_ip="10.0.1.1",
                       rate_limit=False)
    comment_moderate(actor=staff, comment=c, status=CommentStatus.APPROVED, handling="拟采纳。")
    comment_submit(decision=d, body="希望公布收费标准。", client_ip="10.0.1.2", rate_limit=False)
    if current_counsel.in_contract(today):
        opinion_request_create(actor=staff, township=litou, counsel=current_counsel,
                               subject_type="decisions.decision", subject_id=d.pk,
                               question="管理办法中的摊位费条款是否需要价格主管部门批准？")


def _other_township(ctx):
    town, staff = ctx.demo2, ctx.user("demo2_legal_staff")
    if Decision.objects.filter(township=town).exists():
        return
    decision_create(actor=staff, township=town, title="汇源瑶族乡集镇污水处理项目", category=DecisionCategory.PROJECT,
                    lead_unit="汇源瑶族乡规划建设站", started_on=D(2024, 6, 1))
    counsel_save(actor=staff, township=town, name="刘律师", firm="湖南汇源律师事务所", user=ctx.user("demo2_counsel"),
                 contract_start=D(2024, 1, 1), contract_end=D(2026, 12, 31), fee=Decimal("20000"))
