"""犁头瑶族乡 2024: the items its report names (机构概况, 规划计划, 工作动态, 五公开) and requests in
every state. Idempotent: each record is looked up by title/description before it is made."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.disclosure.models import Category, DisclosureItem, InfoRequest, ItemStatus
from fazhi.disclosure.services import items as item_services
from fazhi.disclosure.services.requests import request_create, request_submit_public
from fazhi.disclosure.workflow.items import item_transition
from fazhi.disclosure.workflow.requests import request_transition

ITEMS = [
    # category, title, formed_on, published_on (None: draft), body (attachments are added before publishing)
    ("机构概况", "犁头瑶族乡人民政府机构概况", "2024-01-15", "2024-01-19",
     "<p>犁头瑶族乡位于蓝山县西南部，辖犁头、山背、新屋地、毛栗坪4个行政村，户籍人口2611人，面积34.5平方公里。</p>"
     "<p>乡人民政府设党政综合办公室、综合行政执法队、司法所等机构。办公地址：犁头瑶族乡政府大院；办公时间：工作日8:00—12:00，14:30—17:30。</p>"),
    ("规划计划", "2024年犁头瑶族乡法治政府建设工作计划", "2024-02-26", "2024-03-04",
     "<p>为深入推进法治政府建设，细化全乡年度建设法治政府工作任务，制定本计划。</p>"
     "<ol><li>加强组织领导，落实法治责任</li><li>深化宣传教育，增进法治意识</li><li>推进依法行政</li>"
     "<li>严格行政执法行为</li><li>依法化解矛盾纠纷</li></ol>"),
    ("规划计划", "2024年犁头瑶族乡普法工作计划", "2024-03-01", "2024-03-08",
     "<p>重点宣传国家安全、信访工作条例、社会治安、婚姻家庭、土地管理和民法典等与群众生产、生活密切相关的法律知识。</p>"),
    ("工作动态", "乡党委理论中心组专题学习习近平法治思想", "2024-04-12", "2024-04-16",
     "<p>4月12日，乡党委理论中心组集中学习习近平法治思想和《中国共产党纪律处分条例》。</p>"),
    ("工作动态", "犁头瑶族乡开展民法典主题宣传活动", "2024-05-20", "2024-05-24",
     "<p>在犁头村集市开展民法典主题宣传，发放宣传资料200余份，张贴海报10份。</p>"),
    ("工作动态", "犁头瑶族乡开展国家安全教育日宣传", "2024-09-20", "2024-11-05",
     "<p>结合国家安全法开展宣传，发放资料300余份。（本条公开时已超过20个工作日期限。）</p>"),
    ("工作动态", "犁头瑶族乡开展“12·4”国家宪法日宣传活动", "2024-12-04", "2024-12-06",
     "<p>12月4日，乡司法所联合综合行政执法队在乡政府门前开展宪法宣传，受众100余人次。</p>"),
    ("工作动态", "2024年全乡排查调处矛盾纠纷62起，化解61起", "2024-12-27", "2024-12-30",
     "<p>全年排查调处矛盾纠纷62起，化解61起，化解成功率98%。</p>"),
    ("决策公开", "关于犁头村至毛栗坪村道路硬化项目的决策情况", "2024-06-18", "2024-06-25",
     "<p>经乡党委会集体讨论，决定实施犁头村至毛栗坪村道路硬化项目，已听取群众意见并经法律顾问审查。</p>"),
    ("社会救助", "2024年第三季度农村低保资金发放情况公示", "2024-10-08", "2024-10-12",
     "<p>2024年第三季度全乡发放农村最低生活保障资金，详见附表（已隐去身份证号码等个人信息）。</p>"),
    ("财政预决算", "犁头瑶族乡2024年部门预算公开", "2024-02-05", "2024-02-20",
     "<p>本预算含法治政府建设工作经费，已纳入财政预算保障。</p>"),
    ("筹资筹劳", "新屋地村2024年“一事一议”筹资筹劳方案公示", "2024-07-01", None,
     "<p>（草稿）新屋地村拟通过一事一议筹资筹劳修缮村组水渠。</p>"),
]
UNPUBLISHED = ("工作动态", "（已撤回）犁头瑶族乡防汛工作部署", "2024-06-03", "2024-06-05",
               "<p>防汛工作部署。</p>", "内容含未脱敏的个人联系电话，撤回处理后重新发布")


def _date(s):
    return dt.date.fromisoformat(s)


def _at(s):
    return timezone.make_aware(dt.datetime.combine(_date(s), dt.time(10, 0)))


def _item(ctx, actor, category, title, formed, published, body):
    existing = DisclosureItem.objects.filter(township=ctx.litou, title=title).first()
    if existing:
        return existing
    item = item_services.item_create(actor=actor, township=ctx.litou, category=Category.objects.get(name=category),
                                title=title, formed_on=_date(formed), body=body)
    if published:
        item = item_transition(actor=actor, item=item, step="publish", data={"at": _at(published)})
    return item


def _person(name, desc, **extra):
    n = sum(map(ord, desc)) % 9000 + 1000  # stable per request: demo data must load the same every time
    return {"applicant_name": name, "id_number": f"43112719800101{n}", "contact_phone": f"1380746{n}",
            "contact_email": "applicant@example.cn",
            "description": desc, **extra}


def _request(ctx, actor, desc, name, received, channel="in_person", **extra):
    existing = InfoRequest.objects.filter(township=ctx.litou, description=desc).first()
    if existing:
        return existing, False
    req = request_create(actor=actor, township=ctx.litou, channel=channel, received_on=_date(received),
                                  data=_person(name, desc, **extra), today=_date(received))
    return req, True


def ensure_categories():
    """The catalogue a migration seeds; a transactional test's flush removes it, so the demo makes sure."""
    from fazhi.disclosure.catalogue import SEED_CATEGORIES
    from fazhi.disclosure.models import Category

    for name, group, basis, order in SEED_CATEGORIES:
        Category.objects.get_or_create(name=name, defaults={"group": group, "basis": basis, "order": order})


def load(ctx):
    ensure_categories()
    staff, leader = ctx.user("litou_legal_staff"), ctx.user("litou_leader")
    for row in ITEMS:
        _item(ctx, staff, *row)
    _attachment(ctx, staff)
    cat, title, formed, published, body, reason = UNPUBLISHED
    item = _item(ctx, staff, cat, title, formed, published, body)
    if item.status == ItemStatus.PUBLISHED:
        item_transition(actor=staff, item=item, step="unpublish", data={"unpublish_reason": reason, "at": _at("2024-06-07")})
    if not DisclosureItem.objects.filter(township=ctx.demo2).exists():
        other = ctx.user("demo2_legal_staff")
        it = item_services.item_create(actor=other, township=ctx.demo2, category=Category.objects.get(name="机构概况"),
                                  title="汇源瑶族乡人民政府机构概况", formed_on=dt.date(2024, 1, 10),
                                  body="<p>汇源瑶族乡辖汇源、大坪、湘源3个行政村。</p>")
        item_transition(actor=other, item=it, step="publish", data={"at": _at("2024-01-12")})

    _from_decisions(ctx, staff)
    act = request_transition
    r, new = _request(ctx, staff, "2024年犁头村道路硬化项目的招标公告及中标结果", "赵某某", "2024-03-11")
    if new:
        act(actor=staff, info_request=r, step="answer", today=_date("2024-03-25"),
            data={"reply_type": "provided", "reply_on": "2024-03-25", "reply_text": "已通过电子邮件提供招标公告及中标结果公示各一份。"})
    r, new = _request(ctx, staff, "2024年犁头瑶族乡法治政府建设工作计划全文", "钱某某", "2024-05-06", channel="fax")
    if new:
        act(actor=staff, info_request=r, step="answer", today=_date("2024-05-17"),
            data={"reply_type": "already_public", "reply_on": "2024-05-17",
                  "where_public": "蓝山县人民政府门户网站“犁头瑶族乡—政府信息公开—规划计划”栏目，及本平台公众门户"})
    r, new = _request(ctx, staff, "毛栗坪村集体土地征收的批复文件", "孙某某", "2024-07-08")
    if new:
        act(actor=staff, info_request=r, step="answer", today=_date("2024-07-15"),
            data={"reply_type": "not_ours", "reply_on": "2024-07-15",
                  "right_agency": "湖南省人民政府（征地批复）、蓝山县自然资源局，联系电话0746-2212345"})
    r, new = _request(ctx, staff, "2023年山背村危房改造补助对象名单及补助金额", "李某某", "2024-08-01")
    if new:
        act(actor=staff, info_request=r, step="answer", today=_date("2024-09-10"),
            data={"reply_type": "not_exist", "reply_on": "2024-09-10", "reply_text": "经检索，2023年山背村无危房改造项目。"})
    r, new = _request(ctx, staff, "新屋地村水渠修缮工程施工合同", "周某某", "2024-09-23", applicant_kind="org",
                      applicant_name="蓝山县某建筑有限公司", id_type="统一社会信用代码", id_number="91431127MA4Q7KXX3B")
    if new:
        act(actor=staff, info_request=r, step="consult", today=_date("2024-09-25"),
            data={"third_party": "蓝山县某水利工程公司", "started_on": "2024-09-25"})
        act(actor=staff, info_request=r, step="consult_end", today=_date("2024-10-15"),
            data={"ended_on": "2024-10-15", "opinion": "不同意公开合同中的报价明细（商业秘密）"})
        act(actor=staff, info_request=r, step="extend", today=_date("2024-10-28"),
            data={"extension_days": 15, "extension_reason": "需对合同内容作区分处理", "approved_by": leader})
        act(actor=staff, info_request=r, step="answer", today=_date("2024-11-20"),
            data={"reply_type": "partial", "reply_on": "2024-11-20", "exempt_reason": "third_party",
                  "legal_basis": "《政府信息公开条例》第十五条、第三十七条",
                  "reply_text": "提供合同文本，隐去报价明细。"})
    r, new = _request(ctx, staff, "关于那个事情的文件", "吴某某", "2024-10-14")
    if new:
        act(actor=staff, info_request=r, step="correction", today=_date("2024-10-16"),
            data={"correction_note": "请写明所需信息的名称、文号或其他特征性描述，补正期限15日。"})
        act(actor=staff, info_request=r, step="withdraw", today=_date("2024-11-20"), data={"note": "申请人无正当理由逾期不补正，视为放弃申请（条例第三十条）"})
    r, new = _request(ctx, staff, "2024年第四季度农村低保对象名单", "郑某某", "2024-12-20", channel="post_signed",
                      contact_address="蓝山县犁头瑶族乡犁头村3组", delivery_form="post")
    r, new = _request(ctx, staff, "犁头村2024年集体经济收支明细", "王某某", "2024-12-23")
    if new:
        act(actor=staff, info_request=r, step="consult", today=_date("2024-12-26"),
            data={"third_party": "犁头村村民委员会", "started_on": "2024-12-26"})
    r, new = _request(ctx, staff, "乡里那个项目的钱", "陈某某", "2024-12-27")
    if new:
        act(actor=staff, info_request=r, step="correction", today=_date("2024-12-30"),
            data={"correction_note": "请写明项目名称（如“犁头村道路硬化项目”）及所需信息（预算、结算或资金拨付情况），"
                                     "请于收到本告知之日起15日内补正。"})
    if not InfoRequest.objects.filter(township=ctx.litou, status="submitted").exists():
        request_submit_public(township=ctx.litou, data=_person(
            "冯某某", "犁头瑶族乡2024年财政决算报告", delivery_form="electronic"))


def _from_decisions(ctx, staff):
    """Items from another module: the published 采纳情况 of major decisions (决策公开), read through the
    decisions module's selector."""
    from django.utils.html import escape

    from fazhi.decisions.selectors import published_comment_summaries

    for d in published_comment_summaries(ctx.litou):
        on = d.comment_summary_published_on
        item_services.item_publish_from_module(
            actor=staff, township=ctx.litou, category_name="决策公开",
            title=f"关于“{d.title}”公开征求意见采纳情况的说明", body=f"<p>{escape(d.comment_summary)}</p>",
            formed_on=on, source_module="重大行政决策", source_ref=f"decision:{d.pk}:comments",
            published_at=timezone.make_aware(dt.datetime.combine(on, dt.time(16, 0))))


def _attachment(ctx, staff):
    """The 低保 table of the social-assistance item, with identity numbers left out (a public file)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    item = DisclosureItem.objects.filter(township=ctx.litou, title__startswith="2024年第三季度农村低保").first()
    if item is None or item.attachments.exists():
        return
    wb = Workbook()
    ws = wb.active
    ws.append(["村", "户主", "保障人数", "月保障金（元）"])
    for row in (["犁头村", "盘某某", 2, 760], ["山背村", "赵某某", 1, 420], ["毛栗坪村", "李某某", 3, 1080]):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile("2024年第三季度农村低保资金发放表.xlsx", buf.getvalue())
    item_services.attachment_add(actor=staff, item=item, upload=upload)
