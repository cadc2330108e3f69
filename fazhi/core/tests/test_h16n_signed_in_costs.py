"""A signed-in trivial page (issue 16, sessions): what it costs in queries, with and without a second factor, and
that nothing the cuts touched delays a security change — a deactivated user, a changed password, a revoked role,
an added or removed 2FA device and the idle timeout all take effect on the very next request."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.shortcuts import render
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from fazhi.core import nav
from fazhi.core.access import public_view
from fazhi.urls import urlpatterns as product


@public_view
def _bare(request):
    from django.http import HttpResponse

    return HttpResponse("ok" if request.user.is_authenticated else "anonymous")


@public_view
def _public_frame(request):
    return render(request, "base.html", {})


def _staff_frame(request):  # no access declaration: the two-factor middleware treats it as a staff page
    return render(request, "base.html", {})


urlpatterns = product + [path("_t/bare/", _bare), path("_t/frame/", _public_frame),
                         path("_t/staff/", _staff_frame)]
pytestmark = pytest.mark.urls(__name__)


def _count(client, url):
    client.get(url)  # the first request of a minute notes the session; later ones only read
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return [q["sql"] for q in ctx.captured_queries]


def test_queries_of_a_signed_in_trivial_get_without_a_second_factor(demo, login, client):
    login(demo.user("litou_legal_staff"))
    assert len(_count(client, "/_t/bare/")) == 1  # the session row with its user's row (was 2)
    frame = _count(client, "/_t/staff/")
    # + the memberships (menu, scope) + one look for a confirmed device of any kind (was one per device model)
    assert len(frame) == 3, frame
    assert sum("otp_" in q for q in frame) == 1


def test_queries_of_a_signed_in_trivial_get_with_a_second_factor(demo, login, client):
    login(demo.user("litou_admin"))  # a confirmed TOTP device, the session verified with it
    assert len(_count(client, "/_t/bare/")) == 2  # session and user, the verifying device (still there, confirmed?)
    assert len(_count(client, "/_t/staff/")) == 3  # + the memberships


def test_the_menu_is_rendered_once_per_menu_and_current_entry(demo, login, client):
    user = demo.user("litou_legal_staff")
    login(user)
    home = reverse("core:home")
    nav._HTML.clear()
    first = client.get("/_t/frame/").content.decode()
    assert 'id="nav"' in first and "aria-current" not in first.split('id="nav"')[1].split("</nav>")[0]
    assert len(nav._HTML) == 1
    client.get("/_t/frame/")
    assert len(nav._HTML) == 1
    current = [i for i in nav.items_for(user) if i["url"] == home]
    if current:  # the home page is an entry: rendered once more, with that entry marked
        page = client.get(home).content.decode()
        assert f'href="{home}" aria-current="page"' in page
        assert len(nav._HTML) == 2


def test_anonymous_frame_has_no_menu_and_no_query(db, client):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/_t/frame/")
    assert r.status_code == 200 and 'id="nav"' not in r.content.decode() and not ctx.captured_queries


def _signed_in(client):
    return 'id="nav"' in client.get("/_t/frame/").content.decode()


def test_a_deactivated_user_is_out_on_the_next_request(demo, login, client):
    user = demo.user("litou_legal_staff")
    login(user)
    assert _signed_in(client) and _signed_in(client)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not _signed_in(client)
    assert client.get("/_t/bare/").content == b"anonymous"


def test_a_changed_password_ends_other_sessions_on_the_next_request(demo, login, client):
    user = demo.user("litou_legal_staff")
    login(user)
    assert _signed_in(client) and _signed_in(client)
    user.set_password("another-long-password-1")
    user.save()
    assert not _signed_in(client)


def test_a_revoked_role_leaves_the_menu_on_the_next_request(demo, login, client):
    user = demo.user("litou_legal_staff")
    login(user)
    role_urls = {reverse(i.url_name) for i in nav._ITEMS if i.roles and "legal_staff" in i.roles}
    before = client.get("/_t/frame/").content.decode()
    assert any(f'href="{u}"' in before for u in role_urls)
    user.memberships.update(active=False)
    after = client.get("/_t/frame/").content.decode()
    assert 'id="nav"' in after and not any(f'href="{u}"' in after for u in role_urls)


def test_a_removed_device_unverifies_the_session_on_the_next_request(demo, login, client):
    login(demo.user("litou_admin"))
    assert client.get("/_t/staff/").status_code == 200
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=demo.user("litou_admin")).delete()
    r = client.get("/_t/staff/")
    assert r.status_code == 302 and r["Location"] == reverse("accounts:otp_setup")  # an admin must enrol again


@pytest.mark.parametrize("kind", ["totp", "static"])
def test_a_device_added_elsewhere_is_required_on_the_next_request(demo, login, client, kind):
    user = demo.user("litou_legal_staff")
    login(user)
    assert client.get("/_t/staff/").status_code == 200
    if kind == "totp":
        from django_otp.plugins.otp_totp.models import TOTPDevice as Model
    else:
        from django_otp.plugins.otp_static.models import StaticDevice as Model
    Model.objects.create(user=user, name="phone", confirmed=False)
    assert client.get("/_t/staff/").status_code == 200  # an unconfirmed device does not count yet
    Model.objects.filter(user=user).update(confirmed=True)
    r = client.get("/_t/staff/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_verify"))


def test_the_idle_timeout_still_ends_a_signed_in_frame(demo, login, client):
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        login(demo.user("litou_legal_staff"))
        assert _signed_in(client)
        traveller.shift(1799)
        assert _signed_in(client)  # within the idle timeout: still in (and the clock restarts)
        traveller.shift(1801 + 60)
        assert not _signed_in(client)


# --- the session and the user read without building a query (core.rowread)

def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_the_user_read_by_primary_key_is_the_instance_get_returns(demo):
    from django.contrib.auth import get_user_model

    from fazhi.core.rowread import by_pk

    User = get_user_model()
    user = demo.user("litou_legal_staff")
    User.objects.filter(pk=user.pk).update(last_login=dt.datetime(2026, 3, 5, 8, 30, 1, 250, tzinfo=dt.UTC))
    read, orm = by_pk(User, user.pk), User.objects.get(pk=user.pk)
    assert _fields(read) == _fields(orm) and read._state.db == orm._state.db and not read._state.adding
    assert read.last_login == dt.datetime(2026, 3, 5, 8, 30, 1, 250, tzinfo=dt.UTC)  # aware, converted as the ORM does
    assert by_pk(User, str(user.pk)).pk == user.pk  # the session stores the id as text
    assert by_pk(User, 10**12) is None
    assert by_pk(User, "1 OR 1=1") is None and by_pk(User, None) is None  # a tampered id finds nobody


def test_a_session_is_read_until_it_expires_and_a_bad_key_reads_nothing(db):
    from django.contrib.sessions.models import Session

    from fazhi.accounts.session_store import SessionStore

    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        store = SessionStore()
        store["k"] = "值"
        store.set_expiry(600)
        store.save()
        key = store.session_key
        stored = Session.objects.get(pk=key).get_decoded()
        assert SessionStore(key).load() == stored and stored["k"] == "值"
        traveller.shift(599)
        assert SessionStore(key).load() == stored
        traveller.shift(2)
        expired = SessionStore(key)
        assert expired.load() == {} and expired.session_key is None  # a new session, not the expired one
    for bad in ("nope", "x" * 40, "' OR ''='"):
        assert SessionStore(bad).load() == {}


def test_a_user_id_that_names_nobody_leaves_the_request_anonymous(demo, login, client):
    login(demo.user("litou_legal_staff"))
    session = client.session
    session["_auth_user_id"] = "999999999"
    session.save()
    assert client.get("/_t/bare/").content == b"anonymous"


def test_memberships_read_with_their_regions_are_the_orm_s(demo, django_assert_num_queries):
    from fazhi.core.scope import memberships

    for name in ("litou_legal_staff", "county_supervisor", "litou_admin"):
        user = demo.user(name)
        orm = list(user.memberships.filter(active=True).select_related("region").order_by("pk"))
        with django_assert_num_queries(1):  # memberships and regions in one query, m.user the same object
            read = memberships(user)
            assert [(_fields(m), _fields(m.region)) for m in read] == [(_fields(m), _fields(m.region)) for m in orm]
            assert all(m.user is user for m in read)
        assert read, name
    user = demo.user("litou_legal_staff")
    user.memberships.update(active=False)
    del user._fazhi_memberships
    assert memberships(user) == []


def _whoami(client):
    from django.contrib.auth import get_user

    from fazhi.accounts.session_store import SessionStore

    class _Request:  # what auth.get_user needs: the client's session, freshly loaded
        session = SessionStore(client.cookies["sessionid"].value)

    return get_user(_Request())


def test_the_user_comes_with_the_session_row_and_only_for_that_session(demo, login, client):
    from fazhi.accounts.models import UserSession

    user, other = demo.user("litou_legal_staff"), demo.user("county_supervisor")
    login(user)
    client.get("/_t/bare/")  # the session's first request notes its 我的登录会话 row
    with CaptureQueriesContext(connection) as ctx:
        got = _whoami(client)
    assert len(ctx.captured_queries) == 1 and "accounts_usersession" in ctx.captured_queries[0]["sql"]
    assert _fields(got) == _fields(type(user).objects.get(pk=user.pk))
    # a 我的登录会话 row naming someone else (never written so, but not trusted): the session's own user is read
    UserSession.objects.filter(user=user).update(user=other)
    with CaptureQueriesContext(connection) as ctx:
        assert _whoami(client).pk == user.pk
    assert len(ctx.captured_queries) == 2
    UserSession.objects.all().delete()  # no row (the first request has not ended yet): read the user
    assert _whoami(client).pk == user.pk
    assert client.get("/_t/bare/").content == b"ok"


def test_a_user_read_with_one_session_is_not_given_to_the_next(demo, login, client):
    from django.test import Client

    from fazhi.accounts.session_store import SessionStore, take_user

    first, second = demo.user("litou_legal_staff"), demo.user("county_supervisor")
    login(first)
    client.get("/_t/bare/")
    other = Client()
    login(second, other)
    other.get("/_t/bare/")
    SessionStore(client.cookies["sessionid"].value).load()
    assert take_user(second.pk) is None  # read with the first user's session: not the second user
    SessionStore(client.cookies["sessionid"].value).load()
    assert take_user(first.pk).pk == first.pk and take_user(first.pk) is None  # taken once
    SessionStore("nosuchsessionkey00000000").load()
    assert take_user(first.pk) is None  # a failed load forgets the previous read
