"""Saving a draft paragraph: history, audit, figures never typed, guards refuse and change nothing."""

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import ConflictError, DomainError
from fazhi.reports import selectors
from fazhi.reports.models import ReportDraft, ReportRevision
from fazhi.reports.services import draft_paragraph_save
from fazhi.reports.tests.fakes import patch_sources, seed_stats

EDIT = "全年共排查矛盾纠纷{mediation.received}起，已化解{mediation.resolved}起。"


@pytest.fixture
def fake(monkeypatch, demo):
    return patch_sources(monkeypatch)


def save(demo, text=EDIT, key="mediation", user="litou_legal_staff", **kw):
    return draft_paragraph_save(actor=demo.user(user), township=demo.litou, year=2024, key=key, text=text, **kw)


def test_it_saves_a_paragraph_with_a_revision_and_an_audit_entry(fake, demo):
    before = AuditEntry.objects.count()
    draft = save(demo)
    assert draft.version == 1
    assert draft.paragraphs["mediation"]["text"] == EDIT
    assert draft.paragraphs["mediation"]["figures"] == {"mediation.received": "62", "mediation.resolved": "61"}
    rev = ReportRevision.objects.get(draft=draft)
    assert rev.version == 1 and rev.after == EDIT and "{mediation.success_rate}" in rev.before
    assert rev.actor == demo.user("litou_legal_staff")
    assert AuditEntry.objects.count() == before + 2  # draft created, paragraph edited
    save(demo, EDIT + "成绩来之不易。")
    assert ReportRevision.objects.filter(draft=draft).count() == 2
    report = selectors.township_report(demo.litou, 2024)
    assert "全年共排查矛盾纠纷62起，已化解61起。成绩来之不易。" in report.full_text()


def test_saving_the_same_text_writes_no_revision(fake, demo):
    save(demo)
    save(demo)
    assert ReportRevision.objects.count() == 1


def test_empty_text_restores_the_generated_paragraph(fake, demo):
    save(demo)
    draft = save(demo, "")
    assert "mediation" not in draft.paragraphs
    assert "成功率98%" in selectors.township_report(demo.litou, 2024).full_text()
    assert ReportRevision.objects.count() == 2


@pytest.mark.parametrize("text, message", [
    ("全年排查调处矛盾纠纷62起。", "请使用数据占位符{mediation.received}"),
    ("共{mediation.nonsense}起。", "未知的数据占位符"),
    ("长" * 5001, "段落过长"),
])
def test_it_refuses_typed_figures_and_bad_text_and_changes_nothing(fake, demo, text, message):
    with pytest.raises(DomainError) as e:
        save(demo, text)
    assert message in e.value.message
    assert not ReportDraft.objects.exists() and not ReportRevision.objects.exists()


def test_it_refuses_users_who_may_not_edit(fake, demo):
    for user in ("litou_officer", "demo2_legal_staff", "county_supervisor", "litou_village_cadre"):
        with pytest.raises(DomainError):
            save(demo, user=user)
    assert not ReportDraft.objects.exists()


def test_it_refuses_an_unknown_paragraph(fake, demo):
    with pytest.raises(DomainError):
        save(demo, key="no_such_paragraph")


def test_it_refuses_a_stale_version(fake, demo):
    save(demo)
    with pytest.raises(ConflictError):
        save(demo, EDIT + "补充。", expected_version=0)
    assert ReportRevision.objects.count() == 1


def test_it_shows_which_figures_changed_since_the_paragraph_was_edited(monkeypatch, demo):
    patch_sources(monkeypatch)
    draft = save(demo)
    patch_sources(monkeypatch, seed_stats(mediation={"received": 64, "resolved": 62}))
    report = selectors.township_report(demo.litou, 2024)
    changes = selectors.figure_changes(draft, report)
    assert {(c.key, c.before, c.after) for c in changes} == {
        ("mediation.received", "62", "64"), ("mediation.resolved", "61", "62")}
    assert "全年共排查矛盾纠纷64起，已化解62起。" in report.full_text()


def test_report_queries_do_not_depend_on_other_townships(fake, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # villages count, draft
        selectors.township_report(demo.litou, 2024)


def test_saving_another_paragraph_is_not_a_conflict(fake, demo):
    save(demo)  # mediation at version 1
    save(demo, "{report.year}年，{report.name}坚持依法行政。", key="opening", expected_version=0)
    save(demo, EDIT + "补充。", expected_version=1)
    assert ReportRevision.objects.count() == 3


def test_a_small_figure_typed_with_its_unit_is_refused(fake, demo):
    with pytest.raises(DomainError, match="enforcement.certified_officers"):
        save(demo, "乡镇法治建设队伍单薄，我乡持有执法证件的干部仅4人。", key="problem_team")
    save(demo, "乡镇法治建设队伍单薄，我乡持有执法证件的干部仅{enforcement.certified_officers}人，"
               "4个村人口分散。", key="problem_team")
