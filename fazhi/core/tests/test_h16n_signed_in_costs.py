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
    assert len(_count(client, "/_t/bare/")) == 2  # the session row, the user row
    frame = _count(client, "/_t/staff/")
    # + the memberships (menu, scope) + one look for a confirmed device of any kind (was one per device model)
    assert len(frame) == 4, frame
    assert sum("otp_" in q for q in frame) == 1


def test_queries_of_a_signed_in_trivial_get_with_a_second_factor(demo, login, client):
    login(demo.user("litou_admin"))  # a confirmed TOTP device, the session verified with it
    assert len(_count(client, "/_t/bare/")) == 3  # session, user, the verifying device (still there, confirmed?)
    assert len(_count(client, "/_t/staff/")) == 4  # + the memberships


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
