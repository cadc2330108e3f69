import pytest
from django.test import Client


@pytest.fixture
def staff_client(demo, login):
    return login(demo.user("litou_legal_staff"), Client())
