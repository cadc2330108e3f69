"""Walks EVERY URL pattern of the project (modules added later included) with fixed personas:
anonymous → login redirect (or 403); another township → 404 for objects; a wrong role → 403;
the right role → no refusal; the county supervisor → every POST refused.
A view without an access declaration fails this test."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fazhi.accounts.roles import COUNTY_ROLES, Role
from fazhi.core.access import Access

# Third-party views mounted by the project that carry no fazhi access declaration.
UNDECLARED_ALLOWED: set[str] = set()


def walk(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def access_of(pattern) -> Access | None:
    return getattr(pattern.callback, "fazhi_access", None)


def pattern_kwargs(pattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def sample_for(pattern, access, township):
    sampler = getattr(pattern.callback, "fazhi_sample", None)
    if sampler is not None:
        return sampler(township)
    if access.model is None:
        return None
    return access.model.objects.filter(township=township).order_by("pk").first()


def url_for(name, pattern, access, obj):
    kwargs = pattern_kwargs(pattern)
    if not kwargs:
        return reverse(name)
    if obj is None:
        return None
    values = access.url_kwargs(obj) if access.url_kwargs else {"pk": obj.pk}
    return reverse(name, kwargs={k: values[k] for k in kwargs})


def client_for(user, login):
    return login(user, Client())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The full demo, loaded once for the module inside a transaction rolled back at the end."""
    from django.db import transaction

    from fazhi.core.demo import load_all

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_all()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _db(world, db):
    """Each test runs in a savepoint inside the module's transaction."""


def probe(client, url):
    """GET the URL; a POST-only view (405) is probed with an empty POST instead."""
    r = client.get(url)
    if r.status_code == 405:
        r = client.post(url, {})
    return r


def test_every_view_declares_its_access(world):
    missing = [name for name, p in walk() if access_of(p) is None and name not in UNDECLARED_ALLOWED]
    assert not missing, f"views without an access declaration (fazhi.core.access): {missing}"


def test_views_with_object_urls_declare_their_model(world):
    bad = []
    for name, p in walk():
        a = access_of(p)
        if a and a.kind == "roles" and pattern_kwargs(p) and a.model is None:
            bad.append(name)
    assert not bad, f"object URLs must declare model= so scope can be checked: {bad}"


def _targets(world):
    for name, p in walk():
        a = access_of(p)
        if a is None:
            continue
        obj = sample_for(p, a, world.litou) if pattern_kwargs(p) else None
        url = url_for(name, p, a, obj)
        if url is None:
            continue  # no sample object in the demo for this URL (reported by test_object_urls_have_samples)
        yield name, p, a, url


def test_object_urls_have_demo_samples(world):
    """Each object URL must be reachable in the demo so that scope is proven, not assumed."""
    missing = []
    for name, p in walk():
        a = access_of(p)
        if a and a.kind in {"roles", "login"} and pattern_kwargs(p) and sample_for(p, a, world.litou) is None:
            missing.append(name)
    assert not missing, f"no demo object in 犁头瑶族乡 for: {missing}"


def test_anonymous_is_sent_to_login(world):
    anon = Client()
    wrong = []
    for name, _p, a, url in _targets(world):
        if a.kind in {"public", "account"}:
            continue
        r = anon.get(url)
        if not (r.status_code in (401, 403) or (r.status_code == 302 and "/accounts/login/" in r["Location"])):
            wrong.append((name, r.status_code))
    assert not wrong, f"reachable without login: {wrong}"


def test_public_pages_do_not_fail_for_anonymous(world):
    anon = Client()
    bad = []
    for name, _p, a, url in _targets(world):
        if a.kind == "public":
            r = anon.get(url)
            if r.status_code >= 500:
                bad.append((name, r.status_code))
    assert not bad


def _right_user(world, a: Access, prefix="litou"):
    """A demo user of `prefix`'s township holding one of the view's read roles."""
    order = [Role.LEGAL_STAFF, Role.LEADER, Role.OFFICER, Role.MEDIATOR, Role.ADMIN, Role.VILLAGE_CADRE, Role.COUNSEL]
    for role in order:
        if not a.read or role in a.read:
            return world.user(f"{prefix}_{role}")
    if Role.SUPERVISOR in a.read and prefix == "litou":
        return world.user("county_supervisor")
    if Role.COUNTY_LEGAL in a.read and prefix == "litou":
        return world.user("county_legal")
    return None


def test_other_township_gets_404_for_objects(world, login):
    leaks = []
    for name, p, a, url in _targets(world):
        if a.kind != "roles" or not pattern_kwargs(p):
            continue
        user = _right_user(world, a, prefix="demo2")
        if user is None:
            continue
        r = probe(client_for(user, login), url)
        if r.status_code != 404:
            leaks.append((name, user.username, r.status_code))
    assert not leaks, f"objects of 犁头瑶族乡 reachable from 汇源瑶族乡: {leaks}"


def test_wrong_role_is_refused(world, login):
    wrong = []
    for name, _p, a, url in _targets(world):
        if a.kind != "roles":
            continue
        outsiders = [r for r in Role if r not in a.read and r not in COUNTY_ROLES]  # county roles have no township persona
        if not outsiders:
            continue
        user = world.user(f"litou_{outsiders[0]}")
        r = probe(client_for(user, login), url)
        if r.status_code != 403:
            wrong.append((name, outsiders[0], r.status_code))
    assert not wrong, f"wrong role not refused: {wrong}"


def test_right_role_is_not_refused(world, login):
    refused = []
    for name, _p, a, url in _targets(world):
        if a.kind not in {"roles", "login"}:
            continue
        user = _right_user(world, a) if a.kind == "roles" else world.user("litou_leader")
        if user is None:
            continue
        r = client_for(user, login).get(url)
        if r.status_code in (403, 404) or r.status_code >= 500:
            refused.append((name, user.username, r.status_code))
    assert not refused, f"right role refused: {refused}"


def test_supervisor_cannot_post_anywhere(world, login):
    sup = client_for(world.user("county_supervisor"), login)
    allowed = []
    for name, _p, a, url in _targets(world):
        if a.kind in {"public", "account"}:
            continue
        r = sup.post(url, {})
        if r.status_code != 403:
            allowed.append((name, r.status_code))
    assert not allowed, f"supervisor POST not refused: {allowed}"


def test_county_legal_cannot_write_township_records(world, login):
    """县司法局执法监督 writes oversight records only: every other app's POST is refused."""
    c = client_for(world.user("county_legal"), login)
    allowed = []
    for name, _p, a, url in _targets(world):
        if a.kind in {"public", "account", "login"} or name.startswith("oversight:"):
            continue
        r = c.post(url, {})
        if r.status_code not in (403, 404, 405):
            allowed.append((name, r.status_code))
    assert not allowed, f"county_legal POST not refused: {allowed}"
