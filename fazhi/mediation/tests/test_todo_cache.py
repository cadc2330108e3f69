"""The to-do is kept per user and day while nothing is written in the user's townships: a repeat view
asks the audit log one question instead of every provider, and any write there is seen at once."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core.todo import todo_for
from fazhi.mediation.services import committees as cs

TODAY = dt.date.today()  # the suite's pinned day


def titles(user):
    return {i.title for i in todo_for(user, TODAY)}


def queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        todo_for(user, TODAY)
    return len(ctx.captured_queries)


def test_a_repeat_view_reads_the_kept_list_and_a_write_is_seen_at_once(med, make_dispute):
    mediator = med.user("litou_mediator")
    make_dispute(received_on=TODAY - dt.timedelta(days=40))
    first = titles(mediator)
    assert queries(mediator) <= 4  # the kept list, the log since it, the memberships
    d = make_dispute(received_on=TODAY - dt.timedelta(days=50))  # a write in the township
    assert any(d.number in t for t in titles(mediator) - first)


def test_a_write_in_another_township_keeps_the_list_and_a_shared_setting_refreshes_it(med, make_dispute):
    mediator = med.user("litou_mediator")
    make_dispute(received_on=TODAY - dt.timedelta(days=40))
    titles(mediator)
    make_dispute(village=med.villages["demo2"][0], user="demo2_mediator", received_on=TODAY - dt.timedelta(days=40))
    assert queries(mediator) <= 4
    # a county-wide setting (outside any township) moves every township's deadlines: computed afresh
    from fazhi.accounts.models import Membership, User
    from fazhi.accounts.roles import Role

    admin = User.objects.create(username="county_admin_t", full_name="县管理员")
    Membership.objects.create(user=admin, region=med.county, role=Role.ADMIN)
    cs.settings_save(actor=admin, region=med.county, target_months=2)
    assert queries(mediator) > 4


def test_another_role_is_another_list(med, make_dispute):
    from fazhi.accounts.models import Membership
    from fazhi.accounts.roles import Role

    make_dispute(received_on=TODAY - dt.timedelta(days=40))
    officer = med.user("litou_officer")
    before = titles(officer)
    Membership.objects.create(user=officer, region=med.litou, role=Role.MEDIATOR)
    officer._fazhi_memberships = None  # a new request loads the memberships again
    assert titles(officer) - before  # the new role's items, not the kept list of the old roles
