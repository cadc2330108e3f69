"""Pages walk anonymous → other township → wrong role → right role, and list pages keep a query budget."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.decisions import demo as decisions_demo
from fazhi.decisions.models import (
    Attachment,
    Decision,
    DecisionStatus,
    Discussion,
    Litigation,
    OpinionRequest,
)
from fazhi.decisions.tests.conftest import new_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo):
    decisions_demo.load(demo)
    return demo


def walk(client, login, demo, url, wrong="litou_village_cadre", right="litou_legal_staff", other="demo2_legal_staff"):
    r = Client().get(url)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    if other:
        assert login(demo.user(other), Client()).get(url).status_code == 404
    assert login(demo.user(wrong), Client()).get(url).status_code == 403
    r = login(demo.user(right), Client()).get(url)
    assert r.status_code == 200
    return r


def test_decision_pages(loaded, client, login):
    d = Decision.objects.filter(township=loaded.litou, year=2024).first()
    r = walk(client, login, loaded, reverse("decisions:detail", args=[d.pk]))
    assert "法定程序" in r.content.decode()
    walk(client, login, loaded, reverse("decisions:archive", args=[d.pk]))
    disc = Discussion.objects.filter(township=loaded.litou).first()
    walk(client, login, loaded, reverse("decisions:discussion_detail", args=[disc.pk]))
    r = walk(client, login, loaded, reverse("decisions:discussion_minutes", args=[disc.pk]))
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    case = Litigation.objects.filter(township=loaded.litou).first()
    walk(client, login, loaded, reverse("decisions:litigation_detail", args=[case.pk]))
    op = OpinionRequest.objects.filter(township=loaded.litou).first()
    walk(client, login, loaded, reverse("decisions:opinion_detail", args=[op.pk]))
    walk(client, login, loaded, reverse("decisions:attachment", args=[Attachment.objects.filter(township=loaded.litou).first().pk]))


def test_supervisor_reads_but_cannot_post(loaded, login):
    d = Decision.objects.filter(township=loaded.litou, status=DecisionStatus.STARTED).first()
    c = login(loaded.user("county_supervisor"))
    assert c.get(reverse("decisions:detail", args=[d.pk])).status_code == 200
    r = c.post(reverse("decisions:decision_terminate", args=[d.pk]), {"term-reason": "x"})
    assert r.status_code == 403
    d.refresh_from_db()
    assert d.status == DecisionStatus.STARTED


@pytest.mark.parametrize("name", ["decisions:list", "decisions:opinions", "decisions:litigation_list",
                                  "decisions:counsel_list", "decisions:catalogues"])
def test_list_pages_keep_a_query_budget(loaded, login, django_assert_max_num_queries, name):
    c = login(loaded.user("litou_legal_staff"))
    with django_assert_max_num_queries(25):
        r = c.get(reverse(name))
    assert r.status_code == 200


def test_create_and_complete_a_step_through_the_pages(demo, login):
    c = login(demo.user("litou_legal_staff"))
    r = c.post(reverse("decisions:create"), {
        "title": "村级公益事业一事一议", "category": "major_matter", "lead_unit": "乡财政所", "started_on": "2024-03-01",
        "files": [SimpleUploadedFile("立项.txt", b"abc")]})
    d = Decision.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("decisions:detail", args=[d.pk])
    assert d.attachments.count() == 1
    # skipping an optional step needs the reason; a required one is refused with a Chinese message
    r = c.post(reverse("decisions:decision_skip_participation", args=[d.pk]), {
        "skip-expected_status": "started", "skip-performed_on": "2024-03-02", "skip-skip_reason": "仅涉及村级事务"},
        follow=True)
    d.refresh_from_db()
    assert d.status == DecisionStatus.PARTICIPATION
    r = c.post(reverse("decisions:decision_expert_review", args=[d.pk]), {
        "step-expected_status": "participation", "step-performed_on": "2024-03-03"}, follow=True)
    assert "办理情况" in r.content.decode()
    d.refresh_from_db()
    assert d.status == DecisionStatus.PARTICIPATION


def test_large_fund_below_threshold_shows_chinese_error(demo, login):
    c = login(demo.user("litou_legal_staff"))
    r = c.post(reverse("decisions:create"), {"title": "购置设备", "category": "large_fund", "amount": "1000",
                                             "lead_unit": "财政所", "started_on": "2024-03-01"})
    assert r.status_code == 200 and "未达到本乡大额资金标准" in r.content.decode()
    assert not Decision.objects.exists()


def test_counsel_answers_through_the_page(loaded, login):
    from fazhi.decisions.models import LegalCounsel
    from fazhi.decisions.services.counsel import opinion_request_create

    counsel = LegalCounsel.objects.filter(township=loaded.litou, contract_end__year=2026).first()
    asked = dt.date(2026, 6, 1)  # inside the demo contract, whatever day the suite runs
    req = opinion_request_create(actor=loaded.user("litou_legal_staff"), township=loaded.litou, counsel=counsel,
                                 subject_type="other.contract", subject_label="采购合同", question="是否合法？",
                                 asked_on=asked)
    c = login(loaded.user("litou_counsel"))
    r = c.post(reverse("decisions:opinion_answer", args=[req.pk]),
               {"answer": "合法", "answered_on": (asked + dt.timedelta(days=1)).isoformat()}, follow=True)
    assert "已出具法律意见" in r.content.decode()
    req.refresh_from_db()
    assert req.status == "answered"


def test_settings_page_for_legal_staff(demo, login, client):
    assert login(demo.user("litou_officer")).get(reverse("decisions:settings")).status_code == 403
    c = login(demo.user("litou_legal_staff"))
    r = c.get(reverse("decisions:settings"))
    assert r.status_code == 200 and "30" in r.content.decode()


def test_new_decision_detail_shows_next_step(demo, login):
    d = new_decision(demo)
    r = login(demo.user("litou_leader")).get(reverse("decisions:detail", args=[d.pk]))
    assert "下一环节" in r.content.decode()


def test_litigation_list_does_not_grow_queries_with_rows(demo, login, django_assert_max_num_queries):
    from fazhi.decisions.services.litigation import litigation_save

    staff = demo.user("litou_legal_staff")
    for i in range(12):
        litigation_save(actor=staff, township=demo.litou, kind="litigation", case_no=f"案{i}", organ="法院",
                        claimant="某", subject="决定", received_on=dt.date(2024, 3, 1))
    c = login(staff)
    with django_assert_max_num_queries(16):
        r = c.get(reverse("decisions:litigation_list"))
    assert r.status_code == 200 and "案11" in r.content.decode()


def test_review_registration_takes_the_opinion_document(demo, login):
    from fazhi.decisions.tests.conftest import to_risk

    d = to_risk(demo, new_decision(demo))
    c = login(demo.user("litou_legal_staff"))
    r = c.post(reverse("decisions:review", args=[d.pk]), {
        "submitted_on": "2024-04-08", "reviewer": "乡司法所", "result": "lawful", "concluded_on": "2024-04-18",
        "opinion": "合法", "files": [SimpleUploadedFile("审查意见书.txt", "意见".encode())]})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.review_result == "lawful"
    assert d.attachments.filter(step="legality_review", original_name="审查意见书.txt").exists()


def test_stats_page(loaded, login):
    c = login(loaded.user("litou_leader"), Client())
    r = c.get(reverse("decisions:stats") + "?year=2024")
    body = r.content.decode()
    assert r.status_code == 200 and "大额资金使用：1" in body and "100%" in body
    assert login(loaded.user("litou_counsel"), Client()).get(reverse("decisions:stats")).status_code == 403
    sup = login(loaded.user("county_supervisor"), Client())
    r = sup.get(reverse("decisions:stats") + "?year=2024&township=431127202000")
    assert "汇源瑶族乡" in r.content.decode() and "污水" not in r.content.decode()
