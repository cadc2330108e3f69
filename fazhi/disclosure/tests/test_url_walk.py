"""The project's URL walk (fazhi/core/tests/test_url_scope.py) run over this module's and the
portal's URLs with only this module's demo loaded, so it stays green while other modules change."""

import pytest
from django.test import Client

from fazhi.accounts.roles import COUNTY_ROLES, Role
from fazhi.core.tests import test_url_scope as walk

MINE = ("disclosure:", "portal:")


@pytest.fixture
def world(demo):
    from fazhi.disclosure.demo import load

    load(demo)
    return demo


def targets(world):
    return [t for t in walk._targets(world) if t[0].startswith(MINE)]


def test_every_url_has_a_sample_and_a_declaration(world):
    names = {name for name, *_ in targets(world)}
    assert {"disclosure:item_detail", "disclosure:request_detail", "portal:item", "portal:category",
            "portal:township"} <= names
    for name, p in walk.walk():
        if name.startswith(MINE):
            assert walk.access_of(p) is not None, name


def test_anonymous(world):
    anon = Client()
    for name, _p, a, url in targets(world):
        r = anon.get(url)
        if a.kind == "public":
            assert r.status_code < 500, name
        else:
            assert r.status_code == 302 and "/accounts/login/" in r["Location"], name


def test_other_township_wrong_role_right_role_supervisor(world, login):
    for name, p, a, url in targets(world):
        if a.kind != "roles":
            continue
        if walk.pattern_kwargs(p):
            other = walk._right_user(world, a, prefix="demo2")
            assert login(other, Client()).get(url).status_code == 404, name
        outsiders = [r for r in Role if r not in a.read and r not in COUNTY_ROLES]  # county roles have no township persona
        if outsiders:
            assert login(world.user(f"litou_{outsiders[0]}"), Client()).get(url).status_code == 403, name
        right = walk._right_user(world, a)
        r = login(right, Client()).get(url)
        assert r.status_code not in (403, 404) and r.status_code < 500, (name, r.status_code)
        sup = login(world.user("county_supervisor"), Client())
        assert sup.post(url, {}).status_code == 403, name
