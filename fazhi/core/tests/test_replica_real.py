"""Against a real streaming replica (scripts/replica.sh: pg_basebackup -R into a second cluster). Runs on
an already migrated database (no test database: a hot standby cannot create one), only when
FAZHI_REPLICA_REAL=1; scripts/replica.sh drops that database afterwards."""

import os
import subprocess
import time

import pytest
from django.db import connections
from django.urls import reverse

pytestmark = [pytest.mark.replica,
              pytest.mark.skipif(os.environ.get("FAZHI_REPLICA_REAL") != "1", reason="needs scripts/replica.sh")]


@pytest.fixture
def real_db(django_db_blocker):
    with django_db_blocker.unblock():
        yield


def _wait_on_replica(sql, params, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with connections["replica0"].cursor() as cur:
            cur.execute(sql, params)
            if cur.fetchone():
                return True
        time.sleep(0.2)
    return False


def _aliases_during(fn):
    used = []

    def wrapper(alias):
        def record(execute, sql, params, many, context):
            used.append((alias, sql))
            return execute(sql, params, many, context)
        return record

    wrappers = [connections[a].execute_wrapper(wrapper(a)) for a in ("default", "replica0")]
    for w in wrappers:
        w.__enter__()
    try:
        result = fn()
    finally:
        for w in wrappers:
            w.__exit__(None, None, None)
    return result, used


def test_the_standby_is_read_only_and_follows_the_primary(real_db):
    from django.db import DatabaseError

    from fazhi.core.demo import ensure_regions, ensure_users

    ensure_users(ensure_regions())
    assert _wait_on_replica("SELECT 1 FROM accounts_user WHERE username = %s", ["litou_legal_staff"])
    with connections["replica0"].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        assert cur.fetchone()[0] is True
        with pytest.raises(DatabaseError):
            cur.execute("CREATE TABLE fazhi_should_fail (id int)")


def test_a_ledger_get_reads_from_the_replica_and_a_writer_reads_the_primary(real_db, client):
    from fazhi.accounts.models import User

    user = User.objects.get(username="litou_legal_staff")
    client.force_login(user)
    time.sleep(0.5)  # the session row reaches the standby
    r, used = _aliases_during(lambda: client.get(reverse("audit:entries")))
    assert r.status_code == 200
    ledger_reads = {a for a, sql in used if "audit_auditentry" in sql and sql.lstrip().upper().startswith("SELECT")}
    assert ledger_reads == {"replica0"}, used
    r = client.post(reverse("disclosure:request_new"), {})  # any write (here refused by the form) pins
    assert r.status_code in (200, 302)
    r, used = _aliases_during(lambda: client.get(reverse("audit:entries")))
    assert r.status_code == 200 and used and {a for a, _ in used} == {"default"}


def test_long_reads_work_through_a_transaction_pool(real_db):
    """Behind pgbouncer in transaction mode a server-side cursor would outlive its server connection: with
    FAZHI_PGBOUNCER=1 an .iterator() (the streaming exports use it) reads client-side, in and out of a transaction."""
    from django.db import transaction

    from fazhi.accounts.models import User

    expected = User.objects.count()
    assert expected and sum(1 for _ in User.objects.all().iterator(chunk_size=2)) == expected
    with transaction.atomic():
        assert sum(1 for _ in User.objects.all().iterator(chunk_size=2)) == expected
    assert sum(1 for _ in User.objects.using("replica0").all().iterator(chunk_size=2)) == expected


@pytest.mark.skipif(os.environ.get("FAZHI_REPLICA_BOUNCER") != "1", reason="only the pgbouncer pass")
def test_both_pools_carried_the_traffic(real_db):
    from django.conf import settings

    assert all(db["DISABLE_SERVER_SIDE_CURSORS"] and db["CONN_MAX_AGE"] == 0 for db in settings.DATABASES.values())
    port = settings.DATABASES["default"]["PORT"]
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-Atc", "SHOW STATS",
                          "pgbouncer"], capture_output=True, text=True, check=True).stdout
    xacts = {line.split("|")[0]: int(line.split("|")[1]) for line in out.splitlines() if "|" in line}
    name = settings.DATABASES["default"]["NAME"]
    assert xacts.get(name, 0) > 0 and xacts.get(f"{name}_replica", 0) > 0, out
