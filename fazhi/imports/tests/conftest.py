import pytest


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


@pytest.fixture
def town(world, db):
    """Each test runs in a savepoint inside the module's transaction."""
    return world
