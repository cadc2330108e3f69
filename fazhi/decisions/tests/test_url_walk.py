"""The project's URL walk (fazhi/core/tests/test_url_scope.py) restricted to this app's URLs, on this
app's demo only, so it runs even while other modules' demos are being written."""

import pytest
from django.test import Client

from fazhi.accounts.roles import COUNTY_ROLES, Role
from fazhi.core.tests.test_url_scope import _right_user, access_of, pattern_kwargs, sample_for, url_for, walk
from fazhi.decisions import demo as decisions_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo):
    decisions_demo.load(demo)
    return demo


def targets(world):
    for name, p in walk():
        if not name.startswith("decisions:"):
            continue
        a = access_of(p)
        assert a is not None, name
        obj = sample_for(p, a, world.litou) if pattern_kwargs(p) else None
        if pattern_kwargs(p):
            assert obj is not None, f"no demo sample for {name}"
        yield name, p, a, url_for(name, p, a, obj)


def test_walk_every_decisions_url(world, login):
    problems = []
    for name, p, a, url in targets(world):
        if a.kind == "public":
            if Client().get(url).status_code >= 400:
                problems.append((name, "public"))
            continue
        assert a.kind == "roles" and (a.model is not None or not pattern_kwargs(p)), name
        r = Client().get(url)
        if not (r.status_code == 302 and "/accounts/login/" in r["Location"]):
            problems.append((name, "anonymous", r.status_code))
        if pattern_kwargs(p):
            other = _right_user(world, a, prefix="demo2")
            if other and login(other, Client()).get(url).status_code != 404:
                problems.append((name, "other township"))
        outsiders = [r for r in Role if r not in a.read and r not in COUNTY_ROLES]  # county roles have no township persona
        if outsiders and login(world.user(f"litou_{outsiders[0]}"), Client()).get(url).status_code != 403:
            problems.append((name, "wrong role", outsiders[0]))
        right = _right_user(world, a)
        code = login(right, Client()).get(url).status_code
        if code in (403, 404) or code >= 500:
            problems.append((name, "right role", right.username, code))
        if login(world.user("county_supervisor"), Client()).post(url, {}).status_code != 403:
            problems.append((name, "supervisor post"))
    assert not problems
