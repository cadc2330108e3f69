"""County oversight: the reproducible draw, scoring with two reviewers, the frozen standard, notices
through their steps, the case-file export, 考评 from data, and who may do what."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import DomainError
from fazhi.enforcement.models import Case
from fazhi.oversight import casefile, selectors, services
from fazhi.oversight import draw as drawing
from fazhi.oversight.models import (
    FileStatus,
    Grade,
    Notice,
    NoticeStatus,
    NoticeTransition,
    ReviewFile,
    ReviewRound,
    RoundStatus,
    Standard,
)
from fazhi.oversight.workflow import notice_transition, round_transition

D = dt.date


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    from fazhi.core.demo import load_all

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_all()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _db(world, db):
    """Each test runs in a savepoint inside the module's transaction."""


def _new_round(world, **kw):
    std = Standard.objects.filter(region=world.county).first()
    return services.round_create(actor=world.user("county_legal"), county=world.county, year=2024, title="复评",
                                 standard=std, **kw)


def test_it_records_a_draw_anyone_can_redo(world):
    rnd = ReviewRound.objects.get(county=world.county, year=2024)
    assert rnd.seed == "lanshan-2024" and rnd.candidates and rnd.drawn
    assert services.redo_draw(rnd) == rnd.drawn
    # by hand: rank each township's candidates by SHA-256("seed|案号"), take the lowest n
    import hashlib

    litou = sorted((c for c in rnd.candidates if c["township"] == world.litou.code),
                   key=lambda c: hashlib.sha256(f"{rnd.seed}|{c['number']}".encode()).hexdigest())
    n = drawing.sample_size(len(litou), rnd.sample_rate, rnd.min_per_township)
    assert [c["id"] for c in litou[:n]] == [d["id"] for d in rnd.drawn if d["township"] == world.litou.code]
    assert {d["township"] for d in rnd.drawn} == {world.litou.code, world.demo2.code}  # both townships drawn


def test_it_draws_the_same_cases_from_the_same_seed_and_others_from_another(world):
    cands = services.candidates_for(world.county, 2024)
    assert drawing.draw("abc", cands, 50, 1) == drawing.draw("abc", cands, 50, 1)
    picks = {tuple(d["id"] for d in drawing.draw(s, cands, 50, 1)) for s in ("a", "b", "c", "d", "e")}
    assert len(picks) > 1


def test_it_only_draws_concluded_penalty_cases_of_the_county_and_year(world):
    ids = {c["id"] for c in services.candidates_for(world.county, 2024)}
    for case in Case.objects.filter(pk__in=ids):
        assert case.decided_on.year == 2024 and case.outcome == "penalty"
        assert case.status in {"closed", "archived"} or case.procedure == "simplified"
    assert not services.candidates_for(world.county, 2019)


def test_it_scores_two_reviewers_and_asks_for_a_resolution_when_they_differ(world):
    rnd = round_transition(actor=world.user("county_legal"), round=_new_round(world), step="draw", data={"seed": "s1"})
    f = rnd.files.first()
    items = list(rnd.standard.items.all())
    services.sheet_submit(actor=world.user("county_legal"), file=f, scores={})
    with pytest.raises(DomainError, match="另一名评查人"):
        services.sheet_submit(actor=world.user("county_legal"), file=f, scores={})
    f.refresh_from_db()
    assert f.status == FileStatus.PENDING
    big = {i.pk: {"deducted": i.points, "comment": "缺失"} for i in items[:3]}
    services.sheet_submit(actor=world.user("county_legal2"), file=f, scores=big)
    f.refresh_from_db()
    assert f.status == FileStatus.DISPUTED and f.final_score is None
    with pytest.raises(DomainError, match="合议意见"):
        services.file_resolve(actor=world.user("county_legal"), file=f, final_score=90, veto=False, resolution="")
    services.file_resolve(actor=world.user("county_legal"), file=f, final_score="92.5", veto=False,
                          resolution="经合议，文书缺失已补正")
    f.refresh_from_db()
    assert f.status == FileStatus.FINAL and f.final_score == Decimal("92.5") and f.grade == Grade.EXCELLENT


def test_every_status_change_of_a_scored_file_leaves_a_transition_row(world):
    rnd = round_transition(actor=world.user("county_legal"), round=_new_round(world), step="draw", data={"seed": "s9"})
    f = rnd.files.first()
    items = list(rnd.standard.items.all())
    services.sheet_submit(actor=world.user("county_legal"), file=f, scores={})
    assert not f.transitions.exists()  # one sheet of two: still 待评查, nothing moved
    services.sheet_submit(actor=world.user("county_legal2"), file=f,
                          scores={i.pk: {"deducted": i.points, "comment": "缺失"} for i in items[:3]})
    services.file_resolve(actor=world.user("county_legal"), file=f, final_score="88", veto=False, resolution="合议")
    rows = [(t.from_status, t.to_status, t.actor.username) for t in f.transitions.select_related("actor")]
    assert rows == [(FileStatus.PENDING, FileStatus.DISPUTED, "county_legal2"),
                    (FileStatus.DISPUTED, FileStatus.FINAL, "county_legal")]
    assert "合议" in f.transitions.last().reason and "88" in f.transitions.last().reason
    with pytest.raises(DomainError):
        services.file_resolve(actor=world.user("county_legal"), file=f, final_score="90", veto=False, resolution="再议")
    assert f.transitions.count() == 2


def test_it_fails_a_file_with_a_veto_item_whatever_the_score(world):
    rnd = round_transition(actor=world.user("county_legal"), round=_new_round(world, double_review=False),
                           step="draw", data={"seed": "s2"})
    f = rnd.files.first()
    veto = rnd.standard.items.filter(veto=True).first()
    services.sheet_submit(actor=world.user("county_legal"), file=f,
                          scores={veto.pk: {"failed": True, "comment": "执法人员仅一人持证"}})
    f.refresh_from_db()
    assert f.final_score == Decimal("100.0") and f.grade == Grade.FAIL


def test_it_refuses_deductions_beyond_an_items_points_or_without_a_reason(world):
    rnd = round_transition(actor=world.user("county_legal"), round=_new_round(world), step="draw", data={"seed": "s3"})
    f, item = rnd.files.first(), rnd.standard.items.first()
    with pytest.raises(DomainError, match="扣分应在"):
        services.sheet_submit(actor=world.user("county_legal"), file=f,
                              scores={item.pk: {"deducted": item.points + 1, "comment": "x"}})
    with pytest.raises(DomainError, match="请写明问题"):
        services.sheet_submit(actor=world.user("county_legal"), file=f, scores={item.pk: {"deducted": 1}})
    assert not f.sheets.exists()


def test_a_finished_round_freezes_its_standard(world):
    rnd = ReviewRound.objects.get(county=world.county, year=2024)
    assert rnd.status == RoundStatus.FINISHED and rnd.standard.frozen
    with pytest.raises(DomainError, match="冻结"):
        services.standard_item_save(actor=world.user("county_legal"), standard=rnd.standard, section="archive",
                                    text="新增", points=1, veto=False)


def test_it_refuses_to_finish_while_files_are_unscored(world):
    rnd = round_transition(actor=world.user("county_legal"), round=_new_round(world), step="draw", data={"seed": "s4"})
    with pytest.raises(DomainError, match="未定分"):
        round_transition(actor=world.user("county_legal"), round=rnd, step="finish")
    assert ReviewRound.objects.get(pk=rnd.pk).status == RoundStatus.DRAWN


def test_a_township_or_the_supervisor_cannot_write_oversight_records(world):
    rnd = ReviewRound.objects.get(county=world.county, year=2024)
    for user in ("litou_legal_staff", "litou_leader", "county_supervisor"):
        with pytest.raises(DomainError):
            services.round_create(actor=world.user(user), county=world.county, year=2023, title="x",
                                  standard=rnd.standard)
        with pytest.raises(DomainError):
            services.notice_issue(actor=world.user(user), township=world.litou, kind="supervise", title="x",
                                  content="x", period_working_days=5, today=D(2025, 1, 6))


def test_the_demo_problem_was_rectified_through_a_notice(world):
    n = Notice.objects.get(county=world.county, review_file__isnull=False)
    assert n.township == world.litou and n.status == NoticeStatus.ACCEPTED and n.number == "蓝山县司法局改〔2025〕1号"
    assert list(n.transitions.values_list("to_status", flat=True)) == ["issued", "answered", "accepted"]
    assert n.proof_sha256 and AuditEntry.objects.filter(object_type="oversight.notice", object_id=str(n.pk)).exists()
    summary = selectors.township_review_summary(world.litou, 2024)
    assert summary["problems"] == [("立卷归档", 1)] and summary["rectified"] == 1


def test_a_notice_goes_answer_return_answer_accept_with_derived_deadline(world):
    a = world.user("county_legal")
    n = services.notice_issue(actor=a, township=world.litou, kind="supervise", title="逾期案件督办",
                              content="请于期限内办结逾期案件。", period_working_days=5, issued_on=D(2024, 9, 27),
                              today=D(2024, 9, 27))
    d = selectors.notice_deadline(n)
    assert d.due == D(2024, 10, 10)  # 29 Sept (make-up Sunday), 30 Sept, then 8–10 Oct after National Day
    assert "非法定期限" in d.explanation
    assert n.number.startswith("蓝山县司法局督〔2024〕")
    with pytest.raises(DomainError, match="只有被督办乡镇"):
        notice_transition(actor=world.user("demo2_legal_staff"), notice=n, step="answer",
                                   data={"answer": "x"}, today=D(2024, 10, 8))
    with pytest.raises(DomainError, match="无权"):
        notice_transition(actor=world.user("litou_legal_staff"), notice=n, step="accept", data={},
                                   today=D(2024, 10, 8))
    staff = world.user("litou_legal_staff")
    n = notice_transition(actor=staff, notice=n, step="answer", data={"answer": "已办结"},
                                   today=D(2024, 10, 8))
    with pytest.raises(DomainError, match="写明理由"):
        notice_transition(actor=a, notice=n, step="return", data={}, today=D(2024, 10, 9))
    n = notice_transition(actor=a, notice=n, step="return", data={"opinion": "未附结案材料"},
                                   today=D(2024, 10, 9))
    assert selectors.notice_overdue(n, D(2024, 10, 14))
    n = notice_transition(actor=staff, notice=n, step="answer", data={"answer": "已补充结案材料"},
                                   today=D(2024, 10, 15), expected_status=NoticeStatus.RETURNED)
    n = notice_transition(actor=a, notice=n, step="accept", data={}, today=D(2024, 10, 16))
    assert n.status == NoticeStatus.ACCEPTED and n.closed_on == D(2024, 10, 16)
    assert NoticeTransition.objects.filter(notice=n).count() == 5


def test_two_notices_at_once_get_consecutive_numbers(world):
    a = world.user("county_legal")
    ns = [services.notice_issue(actor=a, township=t, kind="supervise", title="x", content="x", period_working_days=3,
                                issued_on=D(2026, 1, 5), today=D(2026, 1, 5)) for t in (world.litou, world.demo2)]
    assert [n.seq for n in ns] == [1, 2]


def test_an_open_notice_is_in_the_township_to_do_and_an_answer_in_the_countys(world):
    from fazhi.core.todo import todo_for

    a = world.user("county_legal")
    n = services.notice_issue(actor=a, township=world.litou, kind="rectify", title="请整改归档问题",
                              content="x", period_working_days=10, issued_on=D(2026, 5, 6), today=D(2026, 5, 6))
    mine = [i.title for i in todo_for(world.user("litou_legal_staff"), today=D(2026, 5, 8))]
    assert any("请整改归档问题" in t for t in mine)
    assert not any("请整改归档问题" in t for t in (i.title for i in todo_for(world.user("demo2_legal_staff"),
                                                                             today=D(2026, 5, 8))))
    notice_transition(actor=world.user("litou_officer"), notice=n, step="answer",
                               data={"answer": "已整改"}, today=D(2026, 5, 8))
    county = [i.title for i in todo_for(a, today=D(2026, 5, 8))]
    assert any("请整改归档问题" in t for t in county)


def test_the_case_file_exports_in_file_order_with_a_verifiable_manifest(world, tmp_path):
    f = ReviewFile.objects.filter(round__county=world.county, township=world.litou,
                                  case__procedure="ordinary").first()
    name, fh = casefile.export_casefile(actor=world.user("county_legal"), case=f.case)
    data = fh.read()
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    assert names[0] == "00-卷内目录.docx" and "manifest.json" in names and "SHA256SUMS" in names
    sections = [n.split("-")[1] for n in names[1:] if n[:2].isdigit()]
    order = [casefile.SECTIONS.index(s) for s in sections]
    assert order == sorted(order) and sections[0] == "立案"
    toc = casefile._text_of(zf.read("00-卷内目录.docx"))
    assert "第1页" in toc or "第1—" in toc
    assert casefile.verify_casefile(io.BytesIO(data)) == []
    assert AuditEntry.objects.filter(action="export", object_id=str(f.case.pk)).exists()
    # tamper with one document → named
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, body + b"x" if info.filename == names[1] else body)
    problems = casefile.verify_casefile(open(path, "rb"))
    assert problems == [f"文件已被改动：{names[1]}"]
    with pytest.raises(SystemExit) as e:
        call_command("casefile_verify", str(path))
    assert e.value.code == 1


def test_assessment_scores_link_to_the_rows_they_count(world):
    data = selectors.assessment(world.county, 2024)
    litou = next(r for r in data["rows"] if r["township"] == world.litou)
    by_name = {v.indicator.name: v for v in litou["values"]}
    assert by_name["矛盾纠纷化解率"].rate == Decimal("98.4") and "化解61起／受理62起" in by_name["矛盾纠纷化解率"].basis
    assert by_name["矛盾纠纷化解率"].url.startswith(reverse("mediation:ledger"))
    assert by_name["普法活动覆盖村比例"].rate == Decimal("75.0")
    assert by_name["案卷评查合格率"].rate == Decimal("100.0")
    assert litou["total"] == sum(v.points for v in litou["values"])


def _client(world, username):
    c = Client()
    c.force_login(world.user(username))
    return c


def test_pages_walk_county_legal_supervisor_and_township(world):
    rnd = ReviewRound.objects.get(county=world.county, year=2024)
    f = rnd.files.filter(township=world.litou).first()
    legal, sup = _client(world, "county_legal"), _client(world, "county_supervisor")
    staff, other = _client(world, "litou_legal_staff"), _client(world, "demo2_legal_staff")
    r = legal.get(reverse("oversight:round_detail", args=[rnd.pk]))
    assert r.status_code == 200 and "按记录重新计算，结果一致" in r.content.decode()
    assert sup.get(reverse("oversight:round_detail", args=[rnd.pk])).status_code == 200
    assert staff.get(reverse("oversight:round_detail", args=[rnd.pk])).status_code == 403
    assert staff.get(reverse("oversight:file_detail", args=[f.pk])).status_code == 200  # its own result
    assert other.get(reverse("oversight:file_detail", args=[f.pk])).status_code == 404
    assert sup.post(reverse("oversight:notices"), {}).status_code == 403
    body = staff.get(reverse("oversight:my_results")).content.decode()
    assert f.case.number in body
    assert legal.get(reverse("oversight:assessment") + "?year=2024").status_code == 200
    assert legal.get(reverse("oversight:assessment") + "?year=99999999999").status_code == 200


def test_county_legal_issues_a_notice_and_the_township_answers_through_the_pages(world):
    legal, staff = _client(world, "county_legal"), _client(world, "litou_legal_staff")
    r = legal.post(reverse("oversight:notices"), {
        "township": world.litou.pk, "kind": "supervise", "source": "other", "title": "页面督办",
        "content": "请整改", "period_working_days": 10})
    n = Notice.objects.get(title="页面督办")
    assert r.status_code == 302
    r = staff.post(reverse("oversight:notice_answer", args=[n.pk]),
                   {"answer": "已整改完毕", "answered_on": n.issued_on.isoformat(), "expected_status": "issued"})
    n.refresh_from_db()
    assert n.status == NoticeStatus.ANSWERED
    r = staff.post(reverse("oversight:notice_accept", args=[n.pk]), {"opinion": ""}, follow=True)
    assert r.status_code == 403  # the township cannot accept its own answer
    page = staff.get(reverse("oversight:notice_detail", args=[n.pk])).content.decode()
    assert "审核通过" not in page  # nor is it offered the step
    n.refresh_from_db()
    assert n.status == NoticeStatus.ANSWERED
    r = legal.post(reverse("oversight:notice_accept", args=[n.pk]),
                   {"opinion": "同意", "expected_status": "answered"}, follow=True)
    n.refresh_from_db()
    assert n.status == NoticeStatus.ACCEPTED and "已审核通过" in r.content.decode()


def test_the_township_report_names_the_review_problem_and_its_rectification(world):
    from fazhi.reports.selectors import township_report

    text = township_report(world.litou, 2024, draft=False).full_text()
    assert "县司法局案卷评查抽查本乡镇案卷3卷，合格3卷，发现立卷归档方面1项问题" in text
    assert "发出整改通知1件，已全部整改到位" in text
    other = township_report(world.demo2, 2024, draft=False).full_text()
    assert "案卷评查抽查" not in other  # no problem found there: nothing to say


def test_the_county_dashboard_shows_oversight(world):
    c = _client(world, "county_legal")
    body = c.get(reverse("reports:county") + "?year=2024").content.decode()
    assert 'id="oversight"' in body and "蓝山县2024年度行政处罚案卷评查" in body
    assert "蓝山县2024年度乡镇法治政府建设考评方案：各乡镇考评得分及计算依据" in body


def test_the_county_ranking_is_the_schemes_weighted_score_linking_to_its_rows(world):
    body = _client(world, "county_legal").get(reverse("reports:county") + "?year=2024").content.decode()
    data = selectors.assessment(world.county, 2024)
    assert "<th>考评得分</th>" in body and "案卷评查合格率（20.0分）" in body
    for row in data["rows"]:
        assert f'class="score">{row["total"]}</td>' in body
        for v in row["values"]:
            assert f'<a href="{v.url}" title="{v.basis}">{v.points}</a>'.replace("&", "&amp;") in body
    assert "平均值" not in body.split('id="rk"')[1].split("</section>")[0]  # not the plain mean any more


def test_the_batched_legal_review_rate_is_the_enforcement_apps_own(world):
    from fazhi.enforcement.selectors import legal_review_coverage

    towns = [world.litou, world.demo2]
    batch = selectors.legal_review_coverage_by_township(towns, 2024)
    for t in towns:
        assert batch.get(t.pk, (0, 0)) == legal_review_coverage(t, 2024)


def test_the_county_report_tells_the_review_notices_and_assessment(world):
    from fazhi.reports.selectors import county_report

    text = county_report(world.county, 2024).full_text()
    assert "（七）加强执法监督，推动问题整改。县司法局组织开展2024年度行政执法案卷评查，随机抽查2个乡镇案卷" in text
    assert "发现立卷归档方面问题1项" in text
    assert "蓝山县2024年度乡镇法治政府建设考评方案" in text and "位列第一" in text
    assert "县司法局案卷评查抽查各乡镇案卷" in text  # 二、存在问题


def _add_townships(world, n):
    from fazhi.core.models import Region, RegionLevel
    from fazhi.oversight.models import Indicator, IndicatorSource, ManualScore, NoticeKind, Scheme

    county = world.county
    scheme = Scheme.objects.get(county=county, year=2024)
    manual = Indicator.objects.create(scheme=scheme, name="依法行政专项工作", source=IndicatorSource.MANUAL,
                                      weight=Decimal("5"), order=99)
    for i in range(n):
        code = f"431127{300 + i:03d}000"
        town = Region.objects.create(code=code, name=f"测试{i}乡", level=RegionLevel.TOWNSHIP, parent=county,
                                     path=county.path + code + "/", population=1000, area_km2=10)
        Region.objects.create(code=code[:9] + "001", name=f"测试{i}村", level=RegionLevel.VILLAGE, parent=town,
                              path=town.path + code[:9] + "001/")
        ManualScore.objects.create(indicator=manual, township=town, value=Decimal("80"), proof="专项检查记录")
        services.notice_issue(actor=world.user("county_legal"), township=town, kind=NoticeKind.SUPERVISE,
                              title=f"督办{i}", content="请按期办理。", period_working_days=5,
                              issued_on=D(2024, 11, 1), today=D(2024, 11, 1))


def test_the_county_dashboard_and_report_cost_the_same_queries_for_2_and_12_townships(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _client(world, "county_legal")

    def cost():
        out = []
        for url in (reverse("reports:county") + "?year=2024", reverse("reports:county_export") + "?year=2024"):
            c.get(url)  # the first view computes the stored township-year rows of townships never seen
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return tuple(out)

    _add_townships(world, 0)  # the manual indicator, so both counts read it
    two = cost()
    _add_townships(world, 10)
    twelve = cost()
    data = selectors.assessment(world.county, 2024)
    assert len(data["rows"]) == 12
    assert len(selectors.county_oversight_summary(world.county, 2024, D(2025, 1, 10))["rows"]) == 12
    assert two == twelve, (two, twelve)


def _executed_coercion(world):
    from django.utils import timezone

    from fazhi.enforcement.models import CoercionProcedure, CoercionStatus

    case = Case.objects.filter(township=world.litou, status="closed", outcome="penalty",
                               decided_on__year=2024).order_by("pk").first()
    return CoercionProcedure.objects.create(
        case=case, township=world.litou, status=CoercionStatus.EXECUTED, obligation="限期缴纳罚款",
        decided_on=D(2024, 10, 8), means="划拨存款", execution_note="已划拨到账",
        executed_at=timezone.make_aware(dt.datetime(2024, 10, 20, 10, 0)))


def test_a_round_may_draw_closed_coercion_files_besides_penalty_cases(world):
    co = _executed_coercion(world)
    assert not any(c.get("kind") == "coercion" for c in services.candidates_for(world.county, 2024))
    rnd = _new_round(world, sample_rate=100, include_coercion=True)
    rnd = round_transition(actor=world.user("county_legal"), round=rnd, step="draw", data={"seed": "co"})
    key = next(c for c in rnd.candidates if c.get("kind") == "coercion")
    assert key == {"id": co.pk, "kind": "coercion", "case": co.case_id, "number": f"{co.case.number}（强制执行）",
                   "township": world.litou.code, "township_name": world.litou.name}
    f = rnd.files.get(coercion=co)
    assert f.case == co.case and f.township == world.litou and f.label == f"{co.case.number}（强制执行）"
    assert rnd.files.filter(case=co.case, coercion__isnull=True).exists()  # the penalty file is a file of its own
    assert [d["id"] for d in services.redo_draw(rnd)] == [d["id"] for d in rnd.drawn]
    body = _client(world, "county_legal").get(reverse("oversight:file_detail", args=[f.pk])).content.decode()
    assert "行政强制执行案卷（只读）" in body and "划拨存款" in body and "已划拨到账" in body
    names = [p.title for p in casefile.pieces_for(co.case) if p.section == "执行"]
    assert "行政强制执行情况" in names


def test_the_reviewer_views_evidence_inline_with_a_review_custody_entry(world):
    from fazhi.evidence.models import EvidenceFile
    from fazhi.evidence.services import evidence_ingest

    f = ReviewFile.objects.filter(round__county=world.county, township=world.litou).first()
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    ev = evidence_ingest(actor=world.user("litou_officer"), township=world.litou, fileobj=io.BytesIO(pdf),
                         filename="询问笔录扫描件.pdf", subject=f.case, stage="investigation")
    c = _client(world, "county_legal")
    body = c.get(reverse("oversight:file_detail", args=[f.pk])).content.decode()
    assert "询问笔录扫描件.pdf" in body and 'id="evidence"' in body
    url = next(e["url"] for e in selectors.file_evidence(f, list(f.case.records.all())) if e["ev"].pk == ev.pk)
    assert url.replace("&", "&amp;") in body and "<iframe" in body  # shown inline on the page
    before = AuditEntry.objects.filter(object_id=str(ev.pk)).count()
    r = c.get(url)
    assert r.status_code == 200 and "attachment" not in r.get("Content-Disposition", "")
    entry = AuditEntry.objects.filter(object_id=str(ev.pk)).order_by("-pk").first()
    assert AuditEntry.objects.filter(object_id=str(ev.pk)).count() == before + 1
    assert entry.reason == f"案卷评查：{f.label}" and entry.action == "play"
    assert not EvidenceFile.objects.filter(pk=ev.pk, disposed_at__isnull=False).exists()
    # the reviewer still cannot change the evidence
    assert c.post(reverse("evidence:edit", args=[ev.pk]), {"description": "改"}).status_code in (403, 404)


def test_the_score_sheet_and_case_file_pieces_are_official_documents(world):
    import docx as python_docx

    f = ReviewFile.objects.filter(round__county=world.county, round__year=2024, township=world.litou,
                                  notices__isnull=False).first()
    r = _client(world, "county_legal").get(reverse("oversight:file_sheet", args=[f.pk]))
    assert r.status_code == 200
    d = python_docx.Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in d.paragraphs) + "\n".join(c.text for t in d.tables for row in t.rows
                                                             for c in row.cells)
    assert "行政执法案卷评查表" in text and "案卷材料未按卷宗顺序排列" in text and f.township.name in text
    assert d.core_properties.language == "zh-CN"  # core.documents.OfficialDocument's layout
    town = _client(world, "litou_legal_staff").get(reverse("oversight:file_sheet", args=[f.pk]))
    assert town.status_code == 200  # the round is finished: the township reads its own sheet
    piece = next(p for p in casefile.pieces_for(f.case) if p.data)
    assert python_docx.Document(io.BytesIO(piece.data)).core_properties.language == "zh-CN"


def test_the_notices_score_links_to_that_townships_notices_of_the_year(world):
    data = selectors.assessment(world.county, 2024)
    litou = next(r for r in data["rows"] if r["township"] == world.litou)
    v = next(v for v in litou["values"] if v.indicator.source == "notices_on_time")
    body = _client(world, "county_legal").get(v.url).content.decode()
    assert 'id="notice-filter"' in body and world.litou.name in body
    n = Notice.objects.filter(township=world.litou, issued_on__year=2024).count()
    assert f"（{n}件）" in body and v.basis.startswith(f"督办整改{n}件")
