"""Staff pages: anonymous → other township → wrong role → right role, and the main flows."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.disclosure.models import DisclosureItem, InfoRequest, ItemStatus, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo):
    from fazhi.disclosure.demo import load

    load(demo)
    return demo


def as_(login, user):
    return login(user, Client())


def test_item_detail_walk(loaded, login):
    item = DisclosureItem.objects.filter(township=loaded.litou).first()
    url = reverse("disclosure:item_detail", args=[item.pk])
    assert Client().get(url).status_code == 302
    assert as_(login, loaded.user("demo2_legal_staff")).get(url).status_code == 404
    assert as_(login, loaded.user("litou_officer")).get(url).status_code == 403
    r = as_(login, loaded.user("litou_legal_staff")).get(url)
    assert r.status_code == 200 and "公开期限" in r.content.decode()
    assert as_(login, loaded.user("county_supervisor")).get(url).status_code == 200


def test_create_and_publish_an_item_through_the_pages(loaded, login):
    c = as_(login, loaded.user("litou_legal_staff"))
    from fazhi.disclosure.models import Category

    cat = Category.objects.get(name="机构概况")
    r = c.post(reverse("disclosure:item_new"), {"category": cat.pk, "title": "领导分工调整",
                                                "formed_on": dt.date.today().isoformat(), "body": "<p>分工</p>"})
    item = DisclosureItem.objects.get(title="领导分工调整")
    assert r.status_code == 302 and item.township == loaded.litou and item.status == ItemStatus.DRAFT
    r = c.post(reverse("disclosure:item_publish", args=[item.pk]), {"expected_status": "draft"})
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    r = c.post(reverse("disclosure:item_unpublish", args=[item.pk]), {"expected_status": "published"})
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED  # reason missing: refused, unchanged


def test_answer_a_request_through_the_page_and_download_the_reply(loaded, login):
    req = InfoRequest.objects.get(township=loaded.litou, status=RequestStatus.SUBMITTED)
    c = as_(login, loaded.user("litou_legal_staff"))
    c.post(reverse("disclosure:request_confirm", args=[req.pk]), {"expected_status": "submitted"})
    req.refresh_from_db()
    assert req.status == RequestStatus.RECEIVED and req.received_on == dt.date.today()
    url = reverse("disclosure:request_answer", args=[req.pk])
    r = c.post(url, {"expected_status": "received", "reply_type": "not_ours"})
    req.refresh_from_db()
    assert req.status == RequestStatus.RECEIVED  # right_agency missing
    c.post(url, {"expected_status": "received", "reply_type": "not_ours", "right_agency": "蓝山县财政局"})
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED
    r = c.get(reverse("disclosure:request_reply", args=[req.pk]))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert as_(login, loaded.user("demo2_legal_staff")).get(
        reverse("disclosure:request_reply", args=[req.pk])).status_code == 404


def test_ledgers_have_a_query_budget(loaded, login, django_assert_max_num_queries):
    c = as_(login, loaded.user("litou_legal_staff"))
    for name in ("disclosure:requests", "disclosure:overdue", "disclosure:items"):
        with django_assert_max_num_queries(25):
            r = c.get(reverse(name))
        assert r.status_code == 200, name
    r = c.get(reverse("disclosure:overdue"))
    # The third party's 15 working days ran out in January 2025: the clock runs again, now overdue.
    assert "王某某" in r.content.decode()
    assert "2024年第四季度农村低保对象名单" in r.content.decode() or "郑某某" in r.content.decode()


def test_annual_report_exports(loaded, login):
    c = as_(login, loaded.user("litou_leader"))
    r = c.get(reverse("disclosure:annual"), {"year": 2024})
    body = r.content.decode()
    assert r.status_code == 200 and "本年新收政府信息公开申请数量" in body and "结转下年度继续办理" in body
    for fmt in ("xlsx", "docx"):
        r = c.get(reverse("disclosure:annual"), {"year": 2024, "export": fmt})
        assert r.status_code == 200 and r.content[:2] == b"PK"


def test_annual_tables_balance(loaded):
    from fazhi.disclosure.annual import report_tables

    t = report_tables(loaded.litou, 2024)
    rows = {r["label"]: r for r in t["request_rows"] if not r["heading"]}
    new = rows["一、本年新收政府信息公开申请数量"]["total"]
    carried = rows["二、上年结转政府信息公开申请数量"]["total"]
    total = rows["（七）总计"]["total"]
    out = rows["四、结转下年度继续办理"]["total"]
    assert new + carried == total + out  # the template's 勾稽关系
    assert rows["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]["org"] == 1
    assert rows["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]["total"] == 1


def test_todo_lists_disclosure_deadlines(loaded):
    from fazhi.core.todo import todo_for

    items = [i for i in todo_for(loaded.user("litou_legal_staff"), dt.date.today()) if i.module == "政务公开"]
    titles = " ".join(i.title for i in items)
    assert "确认收到网上申请" in titles and "答复信息公开申请" in titles and "第三方意见期限" in titles
    assert not [i for i in todo_for(loaded.user("demo2_legal_staff"), dt.date.today()) if i.module == "政务公开"]


def test_settings_change_periods(loaded, login):
    c = as_(login, loaded.user("litou_admin"))
    url = reverse("disclosure:settings") + f"?township={loaded.litou.code}"
    data = {"publish_working_days": 15, "correction_working_days": 7, "third_party_working_days": 15,
            "answer_working_days": 20, "extension_max_working_days": 20, "public_requests_per_hour": 5,
            "public_lookups_per_hour": 60, "office_name": "党政综合办公室", "office_contact": ""}
    assert c.post(url, data).status_code == 302
    from fazhi.disclosure.deadlines import settings_for

    assert settings_for(loaded.litou).publish_working_days == 15
    data["extension_max_working_days"] = 30
    r = c.post(url, data)
    assert settings_for(loaded.litou).extension_max_working_days == 20 and "20个工作日" in r.content.decode()


def test_annual_supplementary_figures(loaded, login):
    c = as_(login, loaded.user("litou_legal_staff"))
    data = {f"{k}__{s}": 0 for k in ("reconsideration", "litigation_direct", "litigation_after")
            for s in ("maintained", "corrected", "other", "pending")}
    data.update({"reconsideration__maintained": 1, "problems": "<b>答复书格式不统一</b>", "other": ""})
    r = c.post(reverse("disclosure:annual") + "?year=2024", data)
    assert r.status_code == 302
    from fazhi.disclosure.annual import report_tables

    t = report_tables(loaded.litou, 2024)
    assert t["review_rows"][0]["values"] == [1, 0, 0, 0, 1]
    assert t["problems"] == "答复书格式不统一"
    sup = as_(login, loaded.user("county_supervisor"))
    assert sup.post(reverse("disclosure:annual") + "?year=2024", data).status_code == 403
    assert sup.get(reverse("disclosure:annual") + "?year=2024").status_code == 200


def test_publish_due_command(loaded):
    from django.core.management import call_command

    call_command("disclosure_publish_due")


def test_correction_and_extension_notices(loaded, login):
    c = as_(login, loaded.user("litou_legal_staff"))
    corrected = InfoRequest.objects.get(township=loaded.litou, description="关于那个事情的文件")
    r = c.get(reverse("disclosure:request_notice", args=[corrected.pk]), {"kind": "correction"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = c.get(reverse("disclosure:request_notice", args=[corrected.pk]), {"kind": "extension"})
    assert r.status_code == 302  # never extended
    extended = InfoRequest.objects.get(township=loaded.litou, extension_days__gt=0)
    r = c.get(reverse("disclosure:request_notice", args=[extended.pk]), {"kind": "extension"})
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_publish_the_annual_report_on_the_portal(loaded, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = as_(login, loaded.user("litou_legal_staff"))
    r = c.post(reverse("disclosure:annual") + "?year=2024", {"publish": "1"})
    item = DisclosureItem.objects.get(township=loaded.litou, source_ref="annual:2024")
    assert r.status_code == 302 and item.is_public() and item.attachments.count() == 1
    assert "<table>" in item.body and "本年新收政府信息公开申请数量" in item.body
    page = Client().get(reverse("portal:item", args=[loaded.litou.code, item.pk])).content.decode()
    assert "结转下年度继续办理" in page
    c.post(reverse("disclosure:annual") + "?year=2024", {"publish": "1"})
    assert DisclosureItem.objects.filter(source_ref="annual:2024").count() == 1


def test_request_ledger_marks_pending_requests_past_their_deadline(loaded, login):
    # 王某某's request: due in January 2025, still being handled — 超期 on screen and in the export.
    import io

    from openpyxl import load_workbook

    req = InfoRequest.objects.get(applicant_name="王某某")
    assert req.status in (RequestStatus.RECEIVED, RequestStatus.CONSULTING) and not req.answered_late
    c = as_(login, loaded.user("litou_legal_staff"))
    ws = load_workbook(io.BytesIO(c.get(reverse("disclosure:requests"), {"export": "xlsx"}).content)).active
    rows = list(ws.values)
    late = rows[0].index("超期")
    (row,) = [r for r in rows[1:] if r[rows[0].index("申请人")] == "王某某"]
    assert row[late] == "超期"
    body = c.get(reverse("disclosure:requests"), {"q": req.tracking_no}).content.decode()
    assert "超期" in body.split(req.tracking_no, 1)[1]
