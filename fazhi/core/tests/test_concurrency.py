"""Real threads against the real database (SQLite file in WAL mode, or PostgreSQL): many people
registering disputes, cases, information requests and consultation comments at the same moment get
consecutive, unique numbers and never a 500."""

from __future__ import annotations

import datetime as dt
import re
import threading
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from fazhi.decisions.models import PublicComment
from fazhi.disclosure.models import InfoRequest
from fazhi.enforcement.models import Case
from fazhi.mediation.models import Dispute, DisputeType

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3  # writes per thread
D = dt.date


@pytest.fixture
def world():
    """Two townships with committees, an enforcement catalogue and roster, and an open consultation each."""
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    # An earlier transactional test's flush may have emptied django_content_type: create every row now, in
    # one thread, or 24 writers race to create the same content type (a test artefact, not a product race).
    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
    from fazhi.core.demo import ensure_regions, ensure_users
    from fazhi.decisions.services import consultation, decision
    from fazhi.enforcement import services as enforcement
    from fazhi.mediation.demo import ensure_committees

    cache.clear()
    demo = ensure_users(ensure_regions())
    DisputeType.objects.get_or_create(name="邻里", defaults={"order": 20})
    world = {"demo": demo, "power": {}, "officers": {}, "decision": {}}
    valid = {"cert_issuer": "湖南省人民政府", "cert_valid_from": D(2020, 1, 1), "cert_valid_until": D(2099, 12, 31),
             "cert_status": "valid"}
    today = dt.date.today()
    for key, town in (("litou", demo.litou), ("demo2", demo.demo2)):
        ensure_committees(demo, town, demo.villages[key], mediator_user=demo.user(f"{key}_mediator"))
        leader = demo.user(f"{key}_leader")
        body = enforcement.body_save(actor=leader, township=town, name=f"{town.name}人民政府", kind="government")
        world["power"][key] = enforcement.power_save(
            actor=leader, township=town, body=body, code="NC-001", name="未经批准擅自建房", category="planning",
            violation_basis="《中华人民共和国城乡规划法》第四十一条", penalty_basis="《中华人民共和国城乡规划法》第六十五条",
            penalty_range="责令停止建设、限期改正", fine_min=None, fine_max=Decimal("50000"))
        world["officers"][key] = [
            enforcement.officer_save(actor=leader, township=town, name=f"{key}执法{i}", cert_no=f"4311{key}{i}",
                                     **valid) for i in (1, 2)]
        d = decision.decision_create(actor=demo.user(f"{key}_legal_staff"), township=town, title="集镇管理办法",
                                      category="major_admin", lead_unit="乡综合服务中心", started_on=today)
        world["decision"][key] = consultation.consultation_open(
            actor=demo.user(f"{key}_legal_staff"), decision=d, draft_text="征求意见稿正文",
            comment_start=today - dt.timedelta(days=1), comment_end=today + dt.timedelta(days=29))
    return world


def _dispute(world, key, client, i):
    village = world["demo"].villages[key][0]
    return client.post(reverse("mediation:create"), {
        "village": village.pk, "dispute_type": DisputeType.objects.get(name="邻里").pk, "source": "screening",
        "summary": f"两户因排水沟发生争执（并发{i}）", "party1_name": "盘春花", "party1_phone": "13800001111",
        "party1_id": "", "party2_name": "赵石生", "party2_phone": "", "risk_level": "low",
        "received_on": dt.date.today().isoformat()})


def _case(world, key, client, i):
    return client.post(reverse("enforcement:case_new"), {
        "title": f"擅自建房案（并发{i}）", "power": world["power"][key].pk, "source": "inspection",
        "party_kind": "person", "party_name": "张三", "party_id_no": "431127198001011234",
        "party_phone": "13812345678", "discovered_on": dt.date.today().isoformat(),
        "violation_date": (dt.date.today() - dt.timedelta(days=5)).isoformat(), "facts": "当事人未经批准建房",
        "officers": [o.pk for o in world["officers"][key]]})


def _request(world, key, client, i):
    town = world["demo"].litou if key == "litou" else world["demo"].demo2
    return client.post(reverse("portal:request", args=[town.code]), {
        "applicant_kind": "person", "applicant_name": f"李四{i}", "id_type": "居民身份证",
        "id_number": "431127199001011234", "contact_phone": "13812345678", "contact_email": "li@example.cn",
        "contact_address": "犁头村1组", "description": "2024年犁头村低保对象名单", "delivery_form": "electronic",
        "consent": "on", "website": ""})


def _comment(world, key, client, i):
    return client.post("/decisions/consultations/", {"decision": world["decision"][key].pk,
                                                     "body": f"建议增设优先摊位（并发{i}）", "name": "居民"})


def test_concurrent_writers_get_unique_consecutive_numbers_and_no_500(world):
    demo = world["demo"]
    jobs = []  # (who signs in or None for the public, writer, township key)
    for key in ("litou", "demo2"):
        jobs += [(f"{key}_mediator", _dispute, key)] * 4
        jobs += [(f"{key}_officer", _case, key)] * 4
        jobs += [(None, _request, key)] * 2
        jobs += [(None, _comment, key)] * 2
    assert len(jobs) >= 20
    clients = []
    for n, (username, _, _) in enumerate(jobs):
        c = Client(REMOTE_ADDR=f"10.0.{n // 250}.{n % 250 + 1}")  # public limits are per address
        if username:
            c.force_login(demo.user(username))
        clients.append(c)
    barrier = threading.Barrier(len(jobs))
    results, crashes = [], []

    def run(n):
        _, writer, key = jobs[n]
        try:
            barrier.wait(timeout=30)
            for i in range(ROUNDS):
                r = writer(world, key, clients[n], f"{n}-{i}")
                results.append((writer.__name__, key, r.status_code, r.content.decode(errors="replace")))
        except Exception as e:  # noqa: BLE001 - a crash in a thread must fail the test, not vanish
            crashes.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not crashes, crashes
    assert len(results) == len(jobs) * ROUNDS
    for name, key, status, body in results:
        # Success is a redirect; a lost race may only be the Chinese "please retry" page, never a 500.
        assert status in (302, 409), (name, key, status, body[:500])
        if status == 409:
            assert "数据正被他人修改" in body
    ok = {(name, key): sum(1 for n, k, s, _ in results if (n, k) == (name, key) and s == 302)
          for name, key, _, _ in results}

    for key, town in (("litou", demo.litou), ("demo2", demo.demo2)):
        year = dt.date.today().year
        numbers = sorted(int(n[5:]) for n in Dispute.objects.filter(township=town).values_list("number", flat=True))
        assert numbers == list(range(1, ok[("_dispute", key)] + 1)), numbers
        seqs = sorted(Case.objects.filter(township=town, year=year).values_list("seq", flat=True))
        assert seqs == list(range(1, ok[("_case", key)] + 1)), seqs
        for case in Case.objects.filter(township=town):
            assert case.number == f"{town.name}〔{year}〕第{case.seq}号"
        assert InfoRequest.objects.filter(township=town).count() == ok[("_request", key)]
        assert PublicComment.objects.filter(decision=world["decision"][key]).count() == ok[("_comment", key)]
    tracking = list(InfoRequest.objects.values_list("tracking_no", flat=True))
    assert len(tracking) == len(set(tracking)) and all(re.fullmatch(r"\w{4}-\w{4}-\w{4}", t) for t in tracking)
    # Almost everything goes through; the numbers above are checked against what did.
    assert sum(ok.values()) >= 0.9 * len(results)
