import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _catalogues(request):
    """The catalogues come from a data migration, which a transactional test's flush removes."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    from fazhi.education.catalogue import seed
    from fazhi.education.models import Law, Topic

    seed(Law, Topic)


@pytest.fixture
def seeded(demo):
    """Regions, users and this app's (and education's) demo data for 犁头瑶族乡 2024."""
    from fazhi.education import demo as education_demo
    from fazhi.organization import demo as organization_demo

    organization_demo.load(demo)
    education_demo.load(demo)
    return demo


@pytest.fixture
def plan(demo):
    """An issued 2024 plan in 犁头瑶族乡 with three tasks: one done, one half done, one not started."""
    from fazhi.organization import services
    from fazhi.organization.workflow import plan_transition, task_transition

    staff = demo.user("litou_legal_staff")
    p = services.plan_create(actor=staff, township=demo.litou, year=2024, title="2024年犁头瑶族乡法治政府建设工作计划",
                             issued_on=dt.date(2024, 3, 1))
    t1 = services.task_create(actor=staff, plan=p, area="organization", title="调整领导小组", owner_unit="党政办",
                              due_date=dt.date(2024, 3, 31))
    t2 = services.task_create(actor=staff, plan=p, area="education", title="集中宣传12次", owner_unit="司法所",
                              due_date=dt.date(2024, 12, 20), priority="high")
    services.task_create(actor=staff, plan=p, area="team", title="执法资格考试", owner_unit="执法队",
                         due_date=dt.date(2024, 2, 29))
    task_transition(actor=staff, task=t1, step="progress",
                    data={"date": dt.date(2024, 3, 20), "progress": 100, "note": "已完成"})
    task_transition(actor=staff, task=t2, step="progress",
                    data={"date": dt.date(2024, 12, 20), "progress": 50, "note": "完成一半"})
    plan_transition(actor=staff, plan=p, step="issue")
    services.next_step_add(actor=staff, plan=p, title="做实做细普法宣传", content="严格落实“谁执法谁普法”责任制",
                           area="education")
    p.refresh_from_db()
    return p
