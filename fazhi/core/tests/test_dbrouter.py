"""Read routing: safe requests read from a replica, writers read their own writes from the primary.
(The real streaming replica is exercised by test_replica_real.py through scripts/replica.sh.)"""

import datetime as dt

import time_machine
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from fazhi.accounts.models import User
from fazhi.core import dbrouter

router = dbrouter.ReplicaRouter()


def _through(request, monkeypatch, inside_atomic=False):
    monkeypatch.setattr(dbrouter, "replica_aliases", lambda: ["replica0"])
    seen = {}

    def view(req):
        if inside_atomic:
            with transaction.atomic():
                seen["read"] = router.db_for_read(User)
        else:
            seen["read"] = router.db_for_read(User)
        seen["write"] = router.db_for_write(User)
        return HttpResponse("ok")

    response = dbrouter.ReplicaMiddleware(view)(request)
    return seen, response


def test_a_get_reads_from_the_replica_and_writes_to_the_primary(monkeypatch):
    seen, _ = _through(RequestFactory().get("/"), monkeypatch)
    assert seen == {"read": "replica0", "write": "default"}
    assert router.db_for_read(User) == "default"  # outside a request (tasks, commands): the primary


def test_reads_inside_a_transaction_use_the_primary(transactional_db, monkeypatch):
    seen, _ = _through(RequestFactory().get("/"), monkeypatch, inside_atomic=True)
    assert seen["read"] == "default"


def test_a_writer_reads_from_the_primary_for_a_few_seconds(monkeypatch, settings):
    settings.FAZHI_READ_YOUR_WRITES_SECONDS = 5
    rf = RequestFactory()
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        seen, response = _through(rf.post("/x/"), monkeypatch)
        assert seen["read"] == "default"
        cookie = response.cookies[dbrouter.PIN_COOKIE].value
        get = rf.get("/")
        get.COOKIES[dbrouter.PIN_COOKIE] = cookie
        assert _through(get, monkeypatch)[0]["read"] == "default"
        t.shift(6)
        get = rf.get("/")
        get.COOKIES[dbrouter.PIN_COOKIE] = cookie
        assert _through(get, monkeypatch)[0]["read"] == "replica0"
    forged = rf.get("/")
    forged.COOKIES[dbrouter.PIN_COOKIE] = "9999999999"  # unsigned: ignored
    assert _through(forged, monkeypatch)[0]["read"] == "replica0"


def test_without_replicas_everything_uses_the_primary():
    seen = {}

    def view(req):
        seen["read"] = router.db_for_read(User)
        return HttpResponse("ok")

    response = dbrouter.ReplicaMiddleware(view)(RequestFactory().post("/"))
    assert seen["read"] == "default" and dbrouter.PIN_COOKIE not in response.cookies
