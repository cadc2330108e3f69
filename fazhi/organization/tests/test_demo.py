from fazhi.audit.models import AuditEntry


def test_demo_loaders_are_idempotent(seeded):
    from fazhi.education import demo as education_demo
    from fazhi.education.models import PublicityEvent, StudySession
    from fazhi.organization import demo as organization_demo
    from fazhi.organization.models import AnnualPlan, GroupMember, PlanTask

    counts = [m.objects.count() for m in (AnnualPlan, PlanTask, GroupMember, PublicityEvent, StudySession,
                                          AuditEntry)]
    organization_demo.load(seeded)
    education_demo.load(seeded)
    assert [m.objects.count() for m in (AnnualPlan, PlanTask, GroupMember, PublicityEvent, StudySession,
                                        AuditEntry)] == counts


def test_demo_2025_plan_holds_the_seeds_next_steps(seeded):
    from fazhi.organization.models import AnnualPlan, PlanStatus

    p24 = AnnualPlan.objects.get(township=seeded.litou, year=2024)
    p25 = AnnualPlan.objects.get(township=seeded.litou, year=2025)
    assert p24.status == PlanStatus.CLOSED and p25.carried_from == p24
    sources = dict(p25.tasks.values_list("title", "source"))
    assert sources["做实做细普法宣传"] == "next_step"
    assert sources["组织执法人员参加执法资格考试，增加持证执法人员"] == "carried"
