import datetime as dt
from decimal import Decimal

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
def small(demo):
    """Known small data in 犁头瑶族乡 2024: 3 events in 2 of the 4 villages, a plan, 2 officials, 3 sessions."""
    from fazhi.education import services
    from fazhi.education.models import Law, Topic

    staff = demo.user("litou_legal_staff")
    v = demo.villages["litou"]
    civil = Topic.objects.get(name="民法典")
    land = Topic.objects.get(name="土地管理")
    common = {"actor": staff, "township": demo.litou, "format": "campaign", "organizer": "司法所", "place": "村部"}
    services.event_create(**common, village=v[0], date=dt.date(2024, 3, 1), theme="a", topics=[civil], audience=20,
                          aud_under18=2, aud_18_39=3, aud_40_59=5, aud_60_plus=10, posters=5, leaflets=100)
    services.event_create(**common, village=v[0], date=dt.date(2024, 6, 1), theme="b", topics=[land], audience=10,
                          aud_60_plus=10, posters=3, leaflets=50)
    services.event_create(**{**common, "format": "lecture"}, village=v[1], date=dt.date(2024, 9, 1), theme="c",
                          topics=[civil, land], audience=30, posters=0, leaflets=20)  # ages not recorded
    services.event_create(**common, village=v[2], date=dt.date(2023, 9, 1), theme="old", topics=[civil],
                          audience=99)  # another year
    services.pubplan_create(actor=staff, township=demo.litou, year=2024, title="2024年普法计划", planned_events=4,
                            target_audience=100, target_posters=10, target_leaflets=100, target_villages=4)
    lead = services.official_create(actor=staff, township=demo.litou, name="雷斌", post="乡长", is_leader=True)
    clerk = services.official_create(actor=staff, township=demo.litou, name="唐法治", post="司法所所长")
    law = Law.objects.get(name="中华人民共和国宪法")
    s1 = {"actor": staff, "township": demo.litou, "topic": "学宪法", "laws": [law]}
    services.session_create(**s1, kind="center_group", date=dt.date(2024, 1, 5), attendees=[lead, clerk],
                            hours=Decimal("2"))
    services.session_create(**s1, kind="center_group", date=dt.date(2024, 2, 5), attendees=[lead],
                            hours=Decimal("1.5"))
    services.session_create(**s1, kind="pre_meeting", date=dt.date(2024, 3, 5), attendees=[lead, clerk],
                            hours=Decimal("1"), hours_by_official={clerk.pk: Decimal("0.5")})
    services.session_create(**s1, kind="lecture", date=dt.date(2023, 3, 5), attendees=[lead], hours=Decimal("3"))
    return demo
