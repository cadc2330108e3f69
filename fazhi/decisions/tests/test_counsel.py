import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from fazhi.accounts.models import Membership, User
from fazhi.core.errors import DomainError
from fazhi.decisions.models import OpinionRequest
from fazhi.decisions.selectors import attachment_list_for, opinion_list_for, opinion_stats
from fazhi.decisions.services.counsel import counsel_save, opinion_request_create
from fazhi.decisions.tests.conftest import new_decision
from fazhi.decisions.todo import counsel_todo
from fazhi.decisions.workflow import opinion_transition

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def counsel(demo, staff):
    return counsel_save(actor=staff, township=demo.litou, name="陈律师", firm="正和律师事务所",
                        user=demo.user("litou_counsel"), contract_start=D(2024, 1, 1),
                        contract_end=D(2030, 12, 31), fee=Decimal("30000"))


@pytest.fixture
def other_counsel(demo, staff):
    user = User.objects.create(username="litou_counsel2", full_name="第二顾问")
    Membership.objects.create(user=user, region=demo.litou, role="counsel")
    return counsel_save(actor=staff, township=demo.litou, name="第二顾问", firm="另一律所", user=user,
                        contract_start=D(2024, 1, 1), contract_end=D(2030, 12, 31))


def ask(demo, counsel, **kw):
    args = {"subject_type": "mediation.dispute", "subject_label": "山林纠纷", "question": "如何处理？",
            "asked_on": D(2024, 3, 1)} | kw
    return opinion_request_create(actor=demo.user("litou_legal_staff"), township=demo.litou, counsel=counsel,
                                  **args)


def test_counsel_sees_only_requests_sent_to_them(demo, counsel, other_counsel):
    mine = ask(demo, counsel, files=[ContentFile(b"x", name="材料.txt")])
    theirs = ask(demo, other_counsel, files=[ContentFile(b"y", name="他人.txt")])
    assert list(opinion_list_for(demo.user("litou_counsel"))) == [mine]
    assert list(opinion_list_for(User.objects.get(username="litou_counsel2"))) == [theirs]
    assert set(opinion_list_for(demo.user("litou_legal_staff"))) == {mine, theirs}
    assert list(opinion_list_for(demo.user("demo2_counsel"))) == []
    assert list(attachment_list_for(demo.user("litou_counsel"))) == list(mine.attachments.all())


def test_counsel_pages_hide_other_requests(demo, counsel, other_counsel, login):
    mine, theirs = ask(demo, counsel), ask(demo, other_counsel)
    c = login(demo.user("litou_counsel"))
    assert c.get(reverse("decisions:opinion_detail", args=[mine.pk])).status_code == 200
    assert c.get(reverse("decisions:opinion_detail", args=[theirs.pk])).status_code == 404
    body = c.get(reverse("decisions:opinions")).content.decode()
    assert body.count("/decisions/opinions/") >= 1 and f"/decisions/opinions/{theirs.pk}/" not in body
    # Counsel cannot open the township's decisions or the counsel registry (fees).
    d = new_decision(demo)
    assert c.get(reverse("decisions:detail", args=[d.pk])).status_code == 403
    assert c.get(reverse("decisions:counsel_list")).status_code == 403


def test_only_the_assigned_counsel_answers(demo, counsel, other_counsel):
    req = ask(demo, counsel)
    for who in (User.objects.get(username="litou_counsel2"), demo.user("litou_legal_staff")):
        with pytest.raises(DomainError, match="受托的法律顾问本人"):
            opinion_transition(actor=who, opinion=req, step="answer",
                               data={"answer": "意见", "answered_on": D(2024, 3, 5)})
    req.refresh_from_db()
    assert req.status == "sent" and req.answer == ""
    opinion_transition(actor=demo.user("litou_counsel"), opinion=req, step="answer",
                       data={"answer": "依法调解", "answered_on": D(2024, 3, 5)})
    req.refresh_from_db()
    assert req.status == "answered" and req.turnaround_days == 4
    with pytest.raises(DomainError):
        opinion_transition(actor=demo.user("litou_counsel"), opinion=req, step="answer",
                           data={"answer": "再答", "answered_on": D(2024, 3, 6)})


def test_subject_must_exist_in_the_township(demo, counsel):
    d = new_decision(demo)
    req = ask(demo, counsel, subject_type="decisions.decision", subject_id=d.pk, subject_label="")
    assert req.subject_label == str(d)
    with pytest.raises(DomainError, match="不属于本乡镇"):
        ask(demo, counsel, subject_type="decisions.decision", subject_id=d.pk + 999)
    with pytest.raises(DomainError, match="事项类型无效"):
        ask(demo, counsel, subject_type="accounts.user", subject_id=1)
    with pytest.raises(DomainError, match="聘用期"):
        ask(demo, counsel, asked_on=D(2023, 12, 31))


def test_default_due_date_counts_working_days(demo, counsel):
    req = ask(demo, counsel, asked_on=D(2024, 9, 30), due_on=None)
    assert req.due_on == D(2024, 10, 12)  # 5 working days after 9-30: 10-8..10-12 (10-12 make-up Saturday)


def test_counsel_todo_lists_due_opinions_only_for_that_counsel(demo, counsel, other_counsel):
    today = dt.date.today()
    ask(demo, counsel, asked_on=today, due_on=today + dt.timedelta(days=3))
    ask(demo, other_counsel, asked_on=today, due_on=today + dt.timedelta(days=3))
    items = counsel_todo(demo.user("litou_counsel"), today, 14)
    assert len(items) == 1 and items[0].title.startswith("出具法律意见")
    assert counsel_todo(demo.user("litou_legal_staff"), today, 14) == []


def test_turnaround_and_volume_stats(demo, counsel):
    a = ask(demo, counsel, asked_on=D(2024, 3, 1), due_on=D(2024, 3, 8))
    b = ask(demo, counsel, asked_on=D(2024, 3, 1), due_on=D(2024, 3, 3), subject_type="other.contract", subject_label="合同")
    ask(demo, counsel, asked_on=D(2024, 3, 1), due_on=D(2024, 3, 2))
    opinion_transition(actor=demo.user("litou_counsel"), opinion=a, step="answer",
                       data={"answer": "x", "answered_on": D(2024, 3, 3)})
    opinion_transition(actor=demo.user("litou_counsel"), opinion=b, step="answer",
                       data={"answer": "y", "answered_on": D(2024, 3, 7)})
    stats = opinion_stats(OpinionRequest.objects.filter(township=demo.litou), today=D(2024, 4, 1))
    assert stats["total"] == 3 and stats["answered"] == 2 and stats["overdue"] == 1 and stats["late"] == 1
    assert stats["avg_days"] == 4.0
    assert stats["by_subject"] == {"合同审查": 1, "矛盾纠纷": 2}


def test_counsel_account_must_hold_counsel_role(demo, staff):
    with pytest.raises(DomainError, match="法律顾问账号"):
        counsel_save(actor=staff, township=demo.litou, name="x", firm="y", user=demo.user("litou_officer"),
                     contract_start=D(2024, 1, 1), contract_end=D(2024, 12, 31))
    with pytest.raises(DomainError, match="不能早于"):
        counsel_save(actor=staff, township=demo.litou, name="x", firm="y",
                     contract_start=D(2024, 1, 1), contract_end=D(2023, 12, 31))
