"""Shared test fixtures: the demo regions and one persona per role in two townships."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest


def pytest_configure(config):
    from django.conf import settings

    data_dir = Path(tempfile.mkdtemp(prefix="fazhi-test-"))  # uploads and files of a test run stay out of ./data
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = data_dir / "files"

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production uses Argon2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def demo(db):
    """Regions (湖南省 → 永州市 → 蓝山县 → 犁头瑶族乡 / 汇源瑶族乡 → villages) and demo users.
    ctx.user("litou_officer"), ctx.user("demo2_legal_staff"), ctx.user("county_supervisor"), ..."""
    from fazhi.core.demo import ensure_regions, ensure_users

    return ensure_users(ensure_regions())


@pytest.fixture
def login(client):
    """login(user) signs the test client in; admins get a confirmed TOTP device and a verified session."""

    def _login(user, c=None):
        c = c or client
        c.force_login(user)
        if user.memberships.filter(role="admin").exists():
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
            session = c.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return c

    return _login


@pytest.fixture
def full_demo(db):
    """The whole demo (every module's data), as `fazhi load_demo` loads it."""
    from fazhi.core.demo import load_all

    return load_all()
