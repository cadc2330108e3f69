import datetime as dt

from fazhi.core.todo import todo_for
from fazhi.education import services as edu
from fazhi.education.models import Topic
from fazhi.organization import services as org


def test_unfulfilled_duty_obligations_are_on_the_todo_list(demo):
    staff = demo.user("litou_legal_staff")
    d = org.duty_list_create(actor=staff, township=demo.litou, year=2024, unit="派出所")
    ob = org.obligation_add(actor=staff, duty_list=d, content="国家安全宣传", target_events=1,
                            due_date=dt.date(2024, 4, 30))
    today = dt.date(2024, 4, 25)
    items = [i for i in todo_for(staff, today) if i.module == "普法责任"]
    assert [i.title for i in items] == ["派出所：国家安全宣传"] and items[0].due == dt.date(2024, 4, 30)
    assert not [i for i in todo_for(demo.user("demo2_legal_staff"), today) if i.module == "普法责任"]
    edu.event_create(actor=staff, township=demo.litou, village=demo.villages["litou"][0], date=dt.date(2024, 4, 15),
                     place="村部", theme="国家安全教育日", format="campaign", organizer="派出所", audience=10,
                     topics=[Topic.objects.get(name="国家安全")], obligations=[ob])
    assert not [i for i in todo_for(staff, today) if i.module == "普法责任"]


def test_publicity_plan_pace_is_on_the_todo_list(demo):
    staff = demo.user("litou_legal_staff")
    year = dt.date.today().year
    edu.pubplan_create(actor=staff, township=demo.litou, year=year, title=f"{year}年普法计划", planned_events=12)
    quarter_end = {1: 3, 2: 6, 3: 9, 4: 12}[(dt.date.today().month - 1) // 3 + 1]
    items = [i for i in todo_for(staff, dt.date.today(), horizon_days=100) if i.module == "普法计划"]
    assert len(items) == 1 and f"计划至本季度末{quarter_end}次，已开展0次" in items[0].title


def test_meeting_follow_ups_are_on_the_todo_list(demo):
    staff = demo.user("litou_legal_staff")
    m = org.meeting_create(actor=staff, township=demo.litou, date=dt.date(2024, 2, 27), title="专题会",
                           attendees="雷斌", agenda="部署")
    org.followup_add(actor=staff, meeting=m, content="印发计划", owner="党政办", due_date=dt.date(2024, 3, 15))
    items = [i for i in todo_for(demo.user("litou_officer"), dt.date(2024, 3, 20)) if i.module == "专题会议"]
    assert [i.title for i in items] == ["落实：印发计划"] and items[0].overdue(dt.date(2024, 3, 20))
