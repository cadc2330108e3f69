import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings


@pytest.mark.parametrize("who", ["litou_leader", "admin"])
@pytest.mark.parametrize("url", ["/_floor/trivial/", "/_floor/trivial-site/"])
@override_settings(ROOT_URLCONF="bench.scale_urls")
def test_probe(demo, login, client, who, url):
    from fazhi.accounts.models import User
    u = User.objects.filter(username__icontains=who).first() if who == "admin" else demo.user(who)
    print(who, u, [m.role for m in u.memberships.all()])
    login(u)
    client.get(url); client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    print(url, r.status_code, len(ctx.captured_queries))
    for q in ctx.captured_queries:
        print("   ", q["sql"][:300])
    with CaptureQueriesContext(connection) as ctx:
        client.logout(); r = client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    print("anon", len(ctx.captured_queries))
