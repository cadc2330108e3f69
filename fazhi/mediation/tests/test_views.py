import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from fazhi.mediation import workflow as wf
from fazhi.mediation.models import Dispute, DisputeType, ScreeningRound
from fazhi.mediation.services import disputes as sv
from fazhi.mediation.services import petitions as ps
from fazhi.mediation.services import screenings as ss
from fazhi.mediation.tests.conftest import mediate_to_signed

TODAY = dt.date.today()


@pytest.fixture
def two_villages(make_dispute, med):
    """One dispute in 犁头村 (the demo cadre's village), one in 山背村, one in the other township."""
    return (make_dispute(), make_dispute(village=med.villages["litou"][1]),
            make_dispute(village=med.villages["demo2"][0], user="demo2_mediator"))


def test_ledger_access_walk(client, login, med, two_villages):
    url = reverse("mediation:ledger")
    assert client.get(url).status_code == 302  # anonymous → login
    login(med.user("litou_officer"))
    assert client.get(url).status_code == 403  # wrong role
    login(med.user("demo2_mediator"))
    body = client.get(url).content.decode()
    assert two_villages[2].number in body and "犁头村" not in body  # other township sees none of 犁头's
    login(med.user("litou_mediator"))
    body = client.get(url).content.decode()
    assert "犁头村" in body and "山背村" in body and "汇源" not in body


def test_village_cadre_sees_only_their_village(client, login, med, two_villages):
    mine, theirs, other = two_villages
    login(med.user("litou_village_cadre"))
    body = client.get(reverse("mediation:ledger")).content.decode()
    assert "犁头村" in body and "山背村" not in body
    assert client.get(reverse("mediation:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("mediation:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("mediation:detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("mediation:dispute_refuse", args=[theirs.pk]), {}).status_code == 404


def test_detail_other_township_404_and_supervisor_read_only(client, login, med, two_villages):
    d = two_villages[0]
    login(med.user("demo2_legal_staff"))
    assert client.get(reverse("mediation:detail", args=[d.pk])).status_code == 404
    login(med.user("county_supervisor"))
    assert client.get(reverse("mediation:detail", args=[d.pk])).status_code == 200
    r = client.post(reverse("mediation:dispute_refuse", args=[d.pk]), {})
    assert r.status_code == 403
    assert Dispute.objects.get(pk=d.pk).status == Dispute.Status.RECEIVED


def test_phone_and_id_masked_in_lists_full_on_detail_for_handlers(client, login, med, two_villages):
    d = two_villages[0]
    login(med.user("litou_mediator"))
    ledger = client.get(reverse("mediation:ledger")).content.decode()
    assert "138****5678" in ledger and "13812345678" not in ledger
    detail = client.get(reverse("mediation:detail", args=[d.pk])).content.decode()
    assert "13812345678" in detail and "43112719800101001X" in detail
    login(med.user("county_supervisor"))
    detail = client.get(reverse("mediation:detail", args=[d.pk])).content.decode()
    assert "13812345678" not in detail and "43112719800101001X" not in detail and "431***********001X" in detail


def test_ledger_query_budget_and_filters(client, login, med, make_dispute, django_assert_max_num_queries):
    for _ in range(12):
        make_dispute()
    make_dispute(village=med.villages["litou"][2], kind="婚姻家庭")
    login(med.user("litou_legal_staff"))
    with django_assert_max_num_queries(20):
        r = client.get(reverse("mediation:ledger"))
    assert r.status_code == 200
    t = DisputeType.objects.get(name="婚姻家庭")
    body = client.get(reverse("mediation:ledger") + f"?type={t.pk}").content.decode()
    assert "共 1 条" in body
    received = TODAY - dt.timedelta(days=3)  # make_dispute's default: on the 1st–3rd that is last month
    body = client.get(reverse("mediation:ledger") + f"?village={med.villages['litou'][0].pk}&month={received.month}"
                      f"&year={received.year}&source=screening&status=received").content.decode()
    assert "共 12 条" in body
    r = client.get(reverse("mediation:ledger") + "?export=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_intake_form_records_a_dispute(client, login, med):
    login(med.user("litou_village_cadre"))
    url = reverse("mediation:create")
    page = client.get(url).content.decode()
    assert "data-keep-draft" in page and "山背村" not in page
    t = DisputeType.objects.get(name="邻里")
    data = {"village": med.villages["litou"][0].pk, "dispute_type": t.pk, "source": "screening",
            "summary": "两户因屋檐滴水发生争执", "party1_name": "盘春花", "party1_phone": "13800001111",
            "party1_id": "", "party2_name": "赵石生", "party2_phone": "", "risk_level": "low",
            "received_on": TODAY.isoformat()}
    bad = client.post(url, {**data, "party1_phone": "12345"})
    assert "联系电话应为11位" in bad.content.decode() and not Dispute.objects.exists()
    future = client.post(url, {**data, "received_on": (TODAY + dt.timedelta(days=2)).isoformat()})
    assert "不能晚于今天" in future.content.decode() and not Dispute.objects.exists()
    r = client.post(url, data)
    d = Dispute.objects.get()
    assert r.status_code == 302 and d.parties.count() == 2 and d.level == "village"
    detail = client.get(r["Location"]).content.decode()
    assert "data-draft-saved" in detail


def test_action_pages_drive_the_workflow(client, login, med, make_dispute):
    d = make_dispute()
    login(med.user("litou_mediator"))
    from fazhi.mediation.tests.conftest import village_mediator

    m = village_mediator(d)
    r = client.post(reverse("mediation:dispute_start", args=[d.pk]), {"mediators": [m.pk], "started_on": TODAY.isoformat()})
    assert r.status_code == 302
    client.post(reverse("mediation:dispute_session", args=[d.pk]), {"held_on": TODAY.isoformat(), "place": "村委会",
                                                             "participants": "双方", "record": "协商一致"})
    r = client.post(reverse("mediation:dispute_resolve", args=[d.pk]), {"closed_on": TODAY.isoformat(),
                                                                        "agreement_form": "written"})
    assert "请先登记调解协议" in r.content.decode()
    client.post(reverse("mediation:dispute_agreement", args=[d.pk]), {
        "form": "written", "facts": "事实", "terms": "条款", "performance_method": "当场", "agreed_on": TODAY.isoformat(),
        "performance_due": TODAY.isoformat()})
    for _ in range(4):
        page = client.get(reverse("mediation:dispute_sign", args=[d.pk])).content.decode()
        step = page.split('name="step"')[1].split('value="')[1].split('"')[0]
        client.post(reverse("mediation:dispute_sign", args=[d.pk]), {"step": step, "method": "sign",
                                                             "signed_on": TODAY.isoformat()})
    r = client.post(reverse("mediation:dispute_resolve", args=[d.pk]), {"closed_on": TODAY.isoformat(),
                                                                        "agreement_form": "written"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == Dispute.Status.RESOLVED
    body = client.get(reverse("mediation:detail", args=[d.pk])).content.decode()
    assert "申请司法确认期限" in body and "人民调解法第三十三条" in body


def test_documents_are_valid_docx(client, login, med, make_dispute):
    user = med.user("litou_mediator")
    d = mediate_to_signed(make_dispute(), user)
    d = wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written"})
    sv.followup_add(actor=user, dispute=d, visited_on=TODAY, visitor="周调解", performance="performed")
    login(user)
    for kind, words in [("application", "人民调解申请书"), ("record", "调解笔录"), ("agreement", "人民调解协议书"),
                        ("followup", "回访记录")]:
        r = client.get(reverse("mediation:document", args=[d.pk, kind]))
        assert r.status_code == 200, kind
        text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
        assert words in text
    text = "\n".join(p.text for p in Document(io.BytesIO(client.get(
        reverse("mediation:document", args=[d.pk, "agreement"])).content)).paragraphs)
    assert "一式3份" in text and "三十日内" in text
    # termination notice only for ended mediation
    r = client.get(reverse("mediation:document", args=[d.pk, "termination"]))
    assert r.status_code == 302
    refused = wf.dispute_transition(actor=user, dispute=make_dispute(), step="refuse", data={"refused_by": "赵德明",
                                    "reason": "拒绝"})
    r = client.get(reverse("mediation:document", args=[refused.pk, "termination"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "第十七条" in text and "仲裁、行政、司法" in text
    assert client.get(reverse("mediation:document", args=[d.pk, "nope"])).status_code == 404


def test_stats_page_has_server_side_svg(client, login, med, make_dispute):
    make_dispute()
    login(med.user("litou_leader"))
    body = client.get(reverse("mediation:stats") + f"?year={TODAY.year}").content.decode()
    assert "<svg" in body and "<script" not in body.split("<main")[1].split("</main>")[0]
    assert "各月受理纠纷数" in body
    login(med.user("litou_village_cadre"))
    assert client.get(reverse("mediation:stats")).status_code == 403


def test_screening_page_flags_missing_villages(client, login, med):
    login(med.user("litou_village_cadre"))
    url = reverse("mediation:screening")
    r = client.post(url, {"village": med.villages["litou"][0].pk, "period": "2025-03", "held_on": "2025-03-05",
                          "screeners": "村两委", "findings": "未发现矛盾纠纷"})
    assert r.status_code == 302 and ScreeningRound.objects.get().period_start == dt.date(2025, 3, 1)
    r = client.post(url, {"village": med.villages["litou"][0].pk, "period": "2025-03", "held_on": "2025-03-06",
                          "screeners": "村两委"})
    assert "已登记排查" in r.content.decode() and ScreeningRound.objects.count() == 1
    login(med.user("litou_mediator"))
    body = client.get(url + "?year=2025").content.decode()
    assert "未按期排查" in body and "山背村3月" in body and "犁头村3月" not in body


def test_petition_pages(client, login, med):
    login(med.user("litou_legal_staff"))
    r = client.post(reverse("mediation:petition_create"), {
        "petitioner": "盘满妹", "phone": "", "id_number": "", "form": "visit",
        "village": med.villages["litou"][0].pk, "content": "反映占地补偿", "received_on": TODAY.isoformat()})
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "书面告知期限" in page and "信访工作条例第三十一条" in page
    login(med.user("litou_village_cadre"))
    assert client.get(reverse("mediation:petitions")).status_code == 403
    login(med.user("demo2_legal_staff"))
    assert client.get(r["Location"]).status_code == 404


def test_overdue_and_todo(client, login, med, make_dispute):
    make_dispute(received_on=TODAY - dt.timedelta(days=70))
    login(med.user("litou_mediator"))
    body = client.get(reverse("mediation:overdue")).content.decode()
    assert "调解期限" in body and "没有逾期事项" not in body
    from fazhi.core.todo import todo_for

    items = todo_for(med.user("litou_mediator"), TODAY)
    assert any(i.module == "矛盾纠纷" and i.overdue(TODAY) for i in items)
    assert not [i for i in todo_for(med.user("demo2_mediator"), TODAY)
                if i.module == "矛盾纠纷" and not i.url.endswith("/screening/")]


def test_committee_and_catalogue_pages(client, login, med):
    login(med.user("litou_legal_staff"))
    body = client.get(reverse("mediation:committees")).content.decode()
    assert "犁头瑶族乡人民调解委员会" in body and "汇源" not in body
    assert client.get(reverse("mediation:catalogue")).status_code == 403
    login(med.user("litou_admin"))
    r = client.post(reverse("mediation:catalogue"), {"form": "type", "name": "山林承包", "order": 85, "active": "on"})
    assert r.status_code == 302 and DisputeType.objects.filter(name="山林承包").exists()
    r = client.post(reverse("mediation:catalogue"), {"form": "settings", "target_months": 2, "confirmation_days": 30,
                                                     "followup_days": 30, "petition_receipt_days": 15,
                                                     "petition_conclude_days": 60, "petition_extension_max_days": 30,
                                                     "screening_period_months": 1, "committee_min_members": 3,
                                                     "committee_max_members": 9, "committee_term_years": 3})
    assert r.status_code == 302
    from fazhi.mediation.deadlines import rules_for

    assert rules_for(med.litou).target_months == 2 and rules_for(med.demo2).target_months == 1


def test_stale_page_is_refused_with_a_message(client, login, med, make_dispute):
    d = make_dispute()
    user = med.user("litou_mediator")
    wf.dispute_transition(actor=user, dispute=d, step="refuse", data={"refused_by": "赵德明", "reason": "拒绝"})
    login(user)
    r = client.post(reverse("mediation:dispute_refuse", args=[d.pk]), {
        "expected_status": "received", "closed_on": TODAY.isoformat(), "refused_by": "盘桂英", "reason": "再次拒绝"})
    assert "已被他人处理" in r.content.decode()
    assert Dispute.objects.get(pk=d.pk).refused_by == "赵德明"


def test_list_pages_keep_a_query_budget(client, login, med, make_dispute, django_assert_max_num_queries):

    staff = med.user("litou_legal_staff")
    for i in range(8):
        make_dispute(village=med.villages["litou"][i % 4])
        ps.petition_create(actor=staff, township=med.litou, petitioner=f"信访人{i}", content="反映问题",
                           received_on=TODAY)
        ss.screening_create(actor=staff, township=med.litou, village=med.villages["litou"][i % 4],
                            period_start=dt.date(TODAY.year - 1, 1 + i // 4, 1), held_on=dt.date(TODAY.year - 1, 1 + i // 4, 5),
                            screeners="村两委")
    login(staff)
    for url in [reverse("mediation:petitions"), reverse("mediation:screening") + f"?year={TODAY.year - 1}",
                reverse("mediation:overdue"), reverse("mediation:stats"), reverse("mediation:committees")]:
        with django_assert_max_num_queries(40):
            assert client.get(url).status_code == 200, url
