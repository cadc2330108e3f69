"""The record-level API: scope (another township's record is 404), token scopes (a read token cannot write),
idempotent writes, cursor pagination, Chinese validation errors, workflow steps through the pages' forms."""

import datetime as dt
import json

import pytest
from django.test import Client

from fazhi.api.models import IdempotentRequest
from fazhi.api.services import token_create
from fazhi.audit.models import AuditEntry
from fazhi.mediation.demo import ensure_committees
from fazhi.mediation.models import Dispute, DisputeType

ALL_WRITE = ["general:read", "mediation:write", "education:write", "enforcement:write", "disclosure:write"]


@pytest.fixture
def med(demo):
    ensure_committees(demo, demo.litou, demo.villages["litou"], mediator_user=demo.user("litou_mediator"))
    ensure_committees(demo, demo.demo2, demo.villages["demo2"], mediator_user=demo.user("demo2_mediator"))
    return demo


def client(user, scopes=ALL_WRITE):
    _, key = token_create(actor=user, name="测试", scopes=scopes)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def post(c, url, body, key="k-1"):
    return c.post(url, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def dispute_body(med, **over):
    body = {"village": med.villages["litou"][0].pk, "dispute_type": DisputeType.objects.get(name="邻里").pk,
            "source": "screening", "summary": "两户因排水沟发生争执。", "party1_name": "盘桂英",
            "party1_phone": "13812345678", "risk_level": "low",
            "received_on": (dt.date.today() - dt.timedelta(days=2)).isoformat()}
    return {**body, **over}


def test_it_creates_a_dispute_through_the_page_service_once_per_key(med):
    c = client(med.user("litou_mediator"))
    r = post(c, "/api/v1/disputes", dispute_body(med))
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["number"].startswith(f"{dt.date.today().year}-") and data["status"] == "received"
    assert data["parties"] == [{"side": "applicant", "name": "盘桂英"}]
    d = Dispute.objects.get(pk=data["id"])
    assert d.transitions.count() == 1 and AuditEntry.objects.filter(object_id=str(d.pk)).exists()
    again = post(c, "/api/v1/disputes", dispute_body(med))  # the retry of a request whose answer was lost
    assert again.status_code == 201 and again.json() == data and again["Idempotent-Replayed"] == "true"
    assert Dispute.objects.count() == 1
    other = post(c, "/api/v1/disputes", dispute_body(med, summary="另一件"))
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["error"]["message"]
    assert Dispute.objects.count() == 1
    assert post(c, "/api/v1/disputes", dispute_body(med, summary="另一件"), key="k-2").status_code == 201
    assert Dispute.objects.count() == 2 and IdempotentRequest.objects.count() == 2


def test_a_write_needs_an_idempotency_key(med):
    c = client(med.user("litou_mediator"))
    r = c.post("/api/v1/disputes", json.dumps(dispute_body(med)), content_type="application/json")
    assert r.status_code == 422 and r.json()["error"]["fields"] == {"请求头 Idempotency-Key": ["必填。"]}
    assert not Dispute.objects.exists()


def test_validation_errors_are_in_chinese_and_write_nothing(med):
    c = client(med.user("litou_mediator"))
    r = post(c, "/api/v1/disputes", dispute_body(med, party1_name="", received_on="2099-01-01"))
    err = r.json()["error"]
    assert r.status_code == 422 and err["code"] == "invalid"
    assert "party1_name" in err["fields"] and all("\u4e00" <= m[0][0] <= "\u9fff" for m in err["fields"].values())
    r = post(c, "/api/v1/disputes", dispute_body(med, village="x", risk_level="huge"), key="k-2")
    assert r.status_code == 422 and r.json()["error"]["fields"]["village"] == ["应为整数。"]
    assert r.json()["error"]["fields"]["risk_level"] == ["不是可选的值。"]
    # another township's village: the form's choice list is the user's scope
    r = post(c, "/api/v1/disputes", dispute_body(med, village=med.villages["demo2"][0].pk), key="k-3")
    assert r.status_code == 422 and "village" in r.json()["error"]["fields"]
    assert not Dispute.objects.exists() and not IdempotentRequest.objects.exists()


def test_another_townships_record_is_404(med):
    mine = post(client(med.user("litou_mediator")), "/api/v1/disputes", dispute_body(med)).json()
    other = client(med.user("demo2_mediator"))
    for url in [f"/api/v1/disputes/{mine['id']}", f"/api/v1/disputes/{mine['id']}/steps/start"]:
        r = other.get(url)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = post(other, f"/api/v1/disputes/{mine['id']}/steps/start", {"data": {}})
    assert r.status_code == 404
    assert other.get("/api/v1/disputes").json()["items"] == []


def test_a_read_token_cannot_write(med):
    user = med.user("litou_mediator")
    reader = client(user, scopes=None)  # the default: every module, read only
    assert reader.get("/api/v1/disputes").status_code == 200
    r = post(reader, "/api/v1/disputes", dispute_body(med))
    assert r.status_code == 403 and r.json()["error"] == {"code": "scope", "message": "该令牌没有“矛盾纠纷”的写权限。",
                                                          "fields": {}}
    other_module = client(user, scopes=["education:write"])
    assert other_module.get("/api/v1/disputes").status_code == 403
    assert not Dispute.objects.exists()


def test_a_session_reads_but_never_writes(med, login):
    c = login(med.user("litou_mediator"), Client())
    assert c.get("/api/v1/disputes").status_code == 200
    r = post(c, "/api/v1/disputes", dispute_body(med))
    assert r.status_code == 403 and r.json()["error"]["code"] == "token_required"


def test_a_role_without_write_is_refused_even_with_a_write_token(med):
    r = post(client(med.user("county_supervisor")), "/api/v1/disputes", dispute_body(med))
    assert r.status_code == 403 and r.json()["error"]["code"] == "role"


def test_cursor_pagination_walks_every_record_once_in_id_order(med):
    c = client(med.user("litou_mediator"))
    ids = [post(c, "/api/v1/disputes", dispute_body(med, summary=f"第{i}件"), key=f"k{i}").json()["id"]
           for i in range(5)]
    seen, cursor = [], None
    while True:
        r = c.get("/api/v1/disputes", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [d["id"] for d in r["items"]]
        cursor = r["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids)
    bad = c.get("/api/v1/disputes", {"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and bad.json()["error"]["fields"] == {"查询参数 cursor": ["格式不正确。"]}
    assert c.get("/api/v1/disputes", {"cursor": "zzzzzzzzzzzz"}).json() == {"items": [], "next_cursor": None}
    assert c.get("/api/v1/disputes", {"limit": 0}).status_code == 422


def test_a_workflow_step_goes_through_the_step_form_and_transition(med):
    user = med.user("litou_mediator")
    c = client(user)
    d = post(c, "/api/v1/disputes", dispute_body(med)).json()
    info = c.get(f"/api/v1/disputes/{d['id']}/steps/start").json()
    assert info["open"] and info["status"] == "received" and "mediators" in [f["name"] for f in info["fields"]]
    r = post(c, f"/api/v1/disputes/{d['id']}/steps/start", {"data": {}}, key="s-0")
    assert r.status_code == 422 and "mediators" in r.json()["error"]["fields"]
    field = next(f for f in info["fields"] if f["name"] == "mediators")
    mediator = int(field["choices"][0]["value"])
    body = {"expected_status": "received", "data": {"mediators": [mediator], "started_on": dt.date.today().isoformat()}}
    r = post(c, f"/api/v1/disputes/{d['id']}/steps/start", body, key="s-1")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "mediating"
    assert post(c, f"/api/v1/disputes/{d['id']}/steps/start", body, key="s-1").json()["status"] == "mediating"
    assert Dispute.objects.get(pk=d["id"]).transitions.count() == 2
    stale = post(c, f"/api/v1/disputes/{d['id']}/steps/start", body, key="s-2")
    assert stale.status_code in (409, 422) and stale.json()["error"]["message"]


def test_information_request_is_entered_through_the_staff_form(demo):
    c = client(demo.user("litou_legal_staff"))
    body = {"applicant_kind": "person", "applicant_name": "李四", "id_type": "居民身份证",
            "id_number": "43112719800101001X", "contact_phone": "13812345678", "description": "2024年村道硬化项目的招标文件",
            "delivery_form": "paper", "channel": "in_person", "received_on": dt.date.today().isoformat()}
    r = post(c, "/api/v1/information-requests", body)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["tracking_no"] and data["answer_due"] and data["township"] == demo.litou.code
    assert c.get(f"/api/v1/information-requests/{data['id']}").json()["id"] == data["id"]
    other = client(demo.user("demo2_legal_staff"))
    assert other.get(f"/api/v1/information-requests/{data['id']}").status_code == 404


def test_the_schema_lists_the_record_endpoints_with_the_idempotency_header(db):
    spec = Client().get("/api/v1/openapi.json").json()
    for path in ["/disputes", "/publicity-events", "/inspections", "/information-requests"]:
        params = spec["paths"][path]["post"]["parameters"]
        assert any(p["name"] == "Idempotency-Key" and p["required"] for p in params)
    assert {"/cases", "/cases/{pk}", "/cases/{pk}/steps/{step}", "/inspections/{pk}", "/todo"} <= set(spec["paths"])


def test_events_inspections_and_case_steps_through_the_pages_services(full_demo):
    from fazhi.education.models import PublicityEvent, Topic
    from fazhi.enforcement import selectors as enf
    from fazhi.enforcement.models import Case, Inspection

    c = client(full_demo.user("litou_legal_staff"))
    village = full_demo.villages["litou"][0]
    event = {"date": dt.date.today().isoformat(), "village": village.pk, "place": "村部广场", "theme": "宪法宣传",
             "topics": [Topic.objects.filter(active=True).first().pk], "format": "campaign", "organizer": "司法所",
             "audience": 30, "aud_under18": 0, "aud_18_39": 10, "aud_40_59": 10, "aud_60_plus": 10, "posters": 2,
             "leaflets": 50}
    before = PublicityEvent.objects.count()
    r = post(c, "/api/v1/publicity-events", event, key="e-1")
    assert r.status_code == 201, r.content
    assert post(c, "/api/v1/publicity-events", event, key="e-1").json()["id"] == r.json()["id"]
    assert PublicityEvent.objects.count() == before + 1
    r = post(c, "/api/v1/publicity-events", {**event, "aud_60_plus": 11}, key="e-2")
    assert r.status_code == 422 and "不一致" in r.json()["error"]["message"]  # the service's own guard

    officers = [o.pk for o in enf.officers_for_case_choice(full_demo.litou)[:2]]
    ins = {"kind": "adhoc", "date": dt.date.today().isoformat(), "place": "集市", "subject": "食品安全",
           "result": "none", "officers": officers}
    r = post(c, "/api/v1/inspections", ins, key="i-1")
    assert r.status_code == 201, r.content
    assert c.get(f"/api/v1/inspections/{r.json()['id']}").json()["place"] == "集市"
    assert Inspection.objects.filter(pk=r.json()["id"], township=full_demo.litou).exists()
    other = client(full_demo.user("demo2_legal_staff"))
    assert other.get(f"/api/v1/inspections/{r.json()['id']}").status_code == 404

    case = Case.objects.filter(township=full_demo.litou).order_by("pk").first()
    assert c.get(f"/api/v1/cases/{case.pk}").json()["number"] == case.number
    info = c.get(f"/api/v1/cases/{case.pk}/steps/edit").json()
    assert info["name"] == "edit" and info["status"] == case.status
    assert other.get(f"/api/v1/cases/{case.pk}").status_code == 404
    cases = c.get("/api/v1/cases", {"limit": 200}).json()["items"]
    assert {x["township"] for x in cases} == {full_demo.litou.code}


def test_a_body_that_is_not_json_is_a_chinese_422(med):
    c = client(med.user("litou_mediator"))
    r = c.post("/api/v1/disputes", b"\x00{", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert r.status_code == 422 and r.json()["error"]["message"] == "请求体不是有效的JSON。"
    r = c.get("/api/v1/disputes/abc")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")
    r = c.delete("/api/v1/disputes")
    assert r.status_code == 405 and r["Allow"] == "GET, HEAD, POST"


def test_a_field_app_reads_the_create_forms_choices_for_its_township(med):
    c = client(med.user("litou_mediator"))
    r = c.get("/api/v1/disputes/form")
    assert r.status_code == 200, r.content
    fields = {f["name"]: f for f in r.json()["fields"]}
    assert r.json()["township"] == med.litou.code
    villages = {ch["label"] for ch in fields["village"]["choices"]}
    assert villages == {v.name for v in med.villages["litou"]}  # its own township's villages only
    assert "邻里" in {ch["label"] for ch in fields["dispute_type"]["choices"]} and fields["summary"]["required"]
    assert c.get(f"/api/v1/disputes/form?township={med.demo2.code}").status_code == 422  # not its township
    assert client(med.user("county_supervisor")).get("/api/v1/disputes/form").status_code == 403
    events = client(med.user("litou_village_cadre")).get("/api/v1/publicity-events/form")
    assert events.status_code == 200 and any(f["name"] == "topics" for f in events.json()["fields"])
    officer = client(med.user("litou_officer")).get("/api/v1/inspections/form")
    assert officer.status_code == 200 and any(f["name"] == "officers" for f in officer.json()["fields"])
