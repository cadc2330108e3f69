"""Every page: anonymous → other township → wrong role → right role; list pages keep a query budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from fazhi.enforcement.models import Case, CaseStatus
from fazhi.enforcement.tests.conftest import advance, make_case

pytestmark = pytest.mark.django_db
D = dt.date


def test_case_ledger_access(enf, client, login):
    make_case(enf)
    url = reverse("enforcement:cases")
    assert client.get(url).status_code == 302
    login(enf.demo.user("demo2_officer"))
    r = client.get(url)
    assert r.status_code == 200 and "擅自建房案" not in r.content.decode()
    login(enf.demo.user("litou_mediator"))
    assert client.get(url).status_code == 403
    login(enf.officer_user)
    r = client.get(url)
    assert r.status_code == 200 and "擅自建房案" in r.content.decode()


def test_case_ledger_query_budget(enf, client, login, django_assert_max_num_queries):
    for _ in range(8):
        make_case(enf)
    login(enf.officer_user)
    client.get(reverse("enforcement:cases"))
    with django_assert_max_num_queries(12):
        r = client.get(reverse("enforcement:cases"))
    assert r.status_code == 200


def test_case_detail_scope(enf, client, login):
    case = advance(enf, make_case(enf), CaseStatus.SERVED)
    url = reverse("enforcement:case_detail", args=[case.pk])
    assert client.get(url).status_code == 302
    login(enf.demo.user("demo2_leader"))
    assert client.get(url).status_code == 404
    login(enf.demo.user("litou_village_cadre"))
    assert client.get(url).status_code == 403
    login(enf.demo.user("county_supervisor"))
    r = client.get(url)
    assert r.status_code == 200 and "作出处理决定" in r.content.decode()
    login(enf.officer_user)
    body = client.get(url).content.decode()
    assert "送达处罚决定书" in body and "计算说明" in body


def test_supervisor_cannot_post(enf, client, login):
    case = make_case(enf)
    login(enf.demo.user("county_supervisor"))
    r = client.post(reverse("enforcement:case_approve", args=[case.pk]), {"decision": "approve",
                                                                          "filed_on": "2024-03-04"})
    assert r.status_code == 403
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FILING


def test_officer_cannot_approve_filing_but_leader_can(enf, client, login):
    case = make_case(enf)
    url = reverse("enforcement:case_approve", args=[case.pk])
    login(enf.officer_user)
    assert client.post(url, {"decision": "approve", "filed_on": "2024-03-04"}).status_code == 403
    login(enf.leader)
    r = client.post(url, {"decision": "approve", "filed_on": "2024-03-04", "expected_status": "filing"})
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATING


def test_stale_form_is_told_case_changed(enf, client, login):
    case = make_case(enf)
    login(enf.leader)
    url = reverse("enforcement:case_approve", args=[case.pk])
    client.post(url, {"decision": "approve", "filed_on": "2024-03-04", "expected_status": "filing"})
    r = client.post(url, {"decision": "refuse", "filed_on": "2024-03-04", "reason": "x",
                          "expected_status": "filing"})
    assert r.status_code == 200 and "已被他人处理" in r.content.decode()


def test_guard_message_shown_and_nothing_changed(enf, client, login):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    login(enf.leader)
    r = client.post(reverse("enforcement:case_decide", args=[case.pk]), {
        "outcome": "penalty", "decided_on": "2024-04-15", "penalty_kind": "fine", "fine_amount": "3000",
        "reasons": "r", "expected_status": "investigating"})
    assert r.status_code == 200 and "事先告知书尚未送达" in r.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATING


def test_document_download(enf, client, login):
    case = advance(enf, make_case(enf), CaseStatus.DECIDED)
    login(enf.demo.user("demo2_officer"))
    assert client.get(reverse("enforcement:document_decision", args=[case.pk])).status_code == 404
    login(enf.officer_user)
    r = client.get(reverse("enforcement:document_decision", args=[case.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


def test_public_list_shows_masked_without_login(enf, client):
    from fazhi.enforcement import publication

    case = advance(enf, make_case(enf, fine=Decimal("1000")), CaseStatus.SERVED)
    publication.publication_publish(actor=enf.officer_user, case=case, published_on=D(2024, 4, 17),
                                 today=D(2024, 4, 17))
    r = client.get(reverse("enforcement:public"))
    body = r.content.decode()
    assert r.status_code == 200 and case.decision_number in body
    assert "431127198001011234" not in body and "431127********1234" in body


def test_officer_roster_counts_and_warns(enf, client, login):
    from fazhi.enforcement import services

    soon = dt.date.today() + dt.timedelta(days=30)
    services.officer_save(actor=enf.leader, township=enf.town, name="将到期", cert_no="43119999",
                          cert_issuer="湖南省人民政府", cert_valid_from=D(2020, 1, 1), cert_valid_until=soon,
                          cert_status="valid")
    login(enf.officer_user)
    r = client.get(reverse("enforcement:officers"))
    body = r.content.decode()
    assert r.status_code == 200
    assert 'id="certified-count">4<' in body
    assert "将到期" in body and "请及时办理换证" in body


def test_other_pages_render(enf, client, login):
    advance(enf, make_case(enf), CaseStatus.SERVED)
    login(enf.demo.user("litou_admin"))
    for name in ("inspections", "powers", "overdue", "publications", "stats", "settings", "officers"):
        assert client.get(reverse(f"enforcement:{name}")).status_code == 200, name
    login(enf.officer_user)
    for name in ("case_new", "case_simple", "inspection_new"):
        assert client.get(reverse(f"enforcement:{name}")).status_code == 200, name


def test_todo_lists_case_deadlines(enf, client, login):
    make_case(enf)
    case = advance(enf, make_case(enf), CaseStatus.DECIDED)
    from fazhi.core.todo import todo_for

    items = [i for i in todo_for(enf.officer_user, D(2024, 4, 20)) if i.module == "行政执法"]
    assert any("送达处罚决定书" in i.title and case.number in i.title for i in items)


def test_inspection_record_with_upload(enf, client, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.enforcement import services
    from fazhi.enforcement.models import ProcessRecord

    ins = services.inspection_create(actor=enf.officer_user, township=enf.town, officers=[enf.o1, enf.o2],
                                     kind="planned", date=D(2024, 3, 1), place="犁头村", subject="违建巡查")
    url = reverse("enforcement:inspection_record_new", args=[ins.pk])
    login(enf.demo.user("demo2_officer"))
    assert client.get(url).status_code == 404
    login(enf.officer_user)
    clip = SimpleUploadedFile("巡查.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
                              + b"\x00\x00\x00\x48mdat" + b"\x00" * 64)
    r = client.post(url, {"stage": "patrol", "recorded_at": "2024-03-01T09:30", "text": "巡查全程录像",
                          "officers": [enf.o1.pk, enf.o2.pk], "files": [clip]})
    assert r.status_code == 302, r.content.decode()[:2000]
    rec = ProcessRecord.objects.get(inspection=ins)
    assert rec.has_video and rec.file_count == 1


def test_roster_edit_by_catalogue_roles_only(enf, client, login):
    from fazhi.enforcement.models import Officer

    url = reverse("enforcement:officer_edit", args=[enf.o2.pk])
    login(enf.officer_user)
    assert client.get(url).status_code == 403
    login(enf.demo.user("demo2_legal_staff"))
    assert client.get(url).status_code == 404
    login(enf.legal_user)
    r = client.post(url, {"name": "赵队员", "cert_no": "43110002", "cert_issuer": "湖南省人民政府",
                          "cert_valid_from": "2020-01-01", "cert_valid_until": "2019-12-31", "cert_status": "valid",
                          "active": "on"})
    assert r.status_code == 200 and "起始日不能晚于截止日" in r.content.decode()
    assert Officer.objects.get(pk=enf.o2.pk).cert_valid_until == D(2030, 12, 31)
    r = client.post(url, {"name": "赵队员", "cert_no": "43110002", "cert_issuer": "湖南省人民政府",
                          "cert_valid_from": "2020-01-01", "cert_valid_until": "2031-12-31", "cert_status": "valid",
                          "active": "on", "user": enf.demo.user("demo2_officer").pk})
    assert r.status_code == 200  # an account of another township is not offered
    assert Officer.objects.get(pk=enf.o2.pk).user_id is None


def test_inspection_ledger_query_budget(enf, client, login, django_assert_max_num_queries):
    from fazhi.enforcement import services

    for day in range(1, 9):
        services.inspection_create(actor=enf.officer_user, township=enf.town, officers=[enf.o1, enf.o2],
                                   kind="planned", date=D(2024, 3, day), place="犁头村", subject="巡查")
    login(enf.officer_user)
    client.get(reverse("enforcement:inspections"))
    with django_assert_max_num_queries(12):
        r = client.get(reverse("enforcement:inspections"))
    assert r.status_code == 200 and r.content.decode().count("巡查") >= 8


def test_settings_saved_by_admin_only(enf, client, login):
    from fazhi.enforcement.models import StatutorySettings
    from fazhi.enforcement.rules import settings_for

    url = reverse("enforcement:settings")
    data = {f.name: getattr(StatutorySettings(), f.name) for f in StatutorySettings._meta.concrete_fields
            if f.name not in {"id", "region", "updated_at"}}
    data.update(simple_fine_person_max="500", basis="湖南省规定")
    login(enf.legal_user)
    assert client.post(url, data).status_code == 403
    login(enf.demo.user("litou_admin"))
    r = client.post(url, data)
    assert r.status_code == 302
    assert settings_for(enf.town).simple_fine_person_max == 500
    # a township admin sets its own township's row; the neighbouring township keeps the statute's 200
    assert settings_for(enf.demo.demo2).simple_fine_person_max == 200
