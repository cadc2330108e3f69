"""The county dashboard's body is rendered once per change and kept per process (issue 16): a view of unchanged
data reads only the stored rows' versions; a write in a township, a change outside any township, or a new day
shows on the next view."""

import datetime as dt
import re

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.audit.services import audit_record
from fazhi.oversight.models import NoticeKind
from fazhi.oversight.services import notice_issue
from fazhi.reports.views import dashboards

URL = reverse("reports:county") + "?year=2026"


def _body(page: str) -> str:
    # below the toolbar, up to the footer (whose logout form's CSRF token is masked anew per response)
    return page[page.index("只读视图"):page.index("</main>")]


def _open_notices(body: str) -> int:
    return int(re.search(r'id="open-notices">(\d+)<', body).group(1))


def test_the_county_body_is_built_once_per_change(full_demo, client, login, monkeypatch):
    builds = []
    real = dashboards._county_body
    monkeypatch.setattr(dashboards, "_county_body", lambda *a: builds.append(a) or real(*a))
    login(full_demo.user("county_supervisor"))
    client.get(URL)  # the first view of the year computes every township's row
    first = client.get(URL).content.decode()
    built = len(builds)
    with CaptureQueriesContext(connection) as kept:
        again = client.get(URL).content.decode()
    assert len(builds) == built and _body(again) == _body(first)
    assert "乡镇排名" in again and 'id="oversight"' in again
    assert not any("reports_townshipyearstats" in q["sql"] and '"data"' in q["sql"] for q in kept.captured_queries)
    # session+user, TOTP, memberships; townships, their rows' versions, changes since; the audit roots seen
    assert len(kept.captured_queries) <= 10, [q["sql"][:80] for q in kept.captured_queries]

    # A notice issued to one township (audited there) is on the next view, and the body is built once more.
    notice_issue(actor=full_demo.user("county_legal"), township=full_demo.litou, kind=NoticeKind.SUPERVISE,
                 title="督办：立案期限", content="请按期办理。", period_working_days=5)
    body = client.get(URL).content.decode()
    assert _open_notices(body) == _open_notices(first) + 1 and len(builds) == built + 1
    client.get(URL)
    assert len(builds) == built + 1

    # A change outside any township (a catalogue, a county's scheme) may move every figure: built again.
    audit_record(actor=None, action="update", object_type="core.calendaryear", object_id="2026")
    client.get(URL)
    assert len(builds) == built + 2


def test_a_new_day_builds_the_body_again(full_demo, client, login, monkeypatch):
    builds = []
    real = dashboards._county_body
    monkeypatch.setattr(dashboards, "_county_body", lambda *a: builds.append(a) or real(*a))
    login(full_demo.user("county_supervisor"))
    client.get(URL)
    client.get(URL)
    built = len(builds)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(tomorrow, dt.time(9, 0)), tick=False):
        login(full_demo.user("county_supervisor"))  # a night's idle time signs out
        assert client.get(URL).status_code == 200
    assert len(builds) == built + 1  # overdue counts depend on the day


def test_each_county_user_sees_their_own_menu_links(full_demo, client, login):
    for who in ("county_supervisor", "county_legal"):
        login(full_demo.user(who))
        r = client.get(URL)
        assert r.status_code == 200 and "乡镇排名" in r.content.decode()
