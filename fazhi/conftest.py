"""Shared test fixtures: the demo regions and one persona per role in two townships."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

# Tests never read the real clock: the whole run starts at one pinned moment (ticking from there), so
# module-level TODAY constants, services' default "today" and the live server all agree on any real day.
# .ci/run runs the suite once more with FAZHI_TEST_TODAY=2027-03-01 (a 1st of the month in a year
# chinese-calendar does not know) under faketime; a test that needs a particular day pins it itself.
PINNED_TODAY = os.environ.get("FAZHI_TEST_TODAY", "2026-06-15")
_traveller = None


def pinned_now() -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(PINNED_TODAY), dt.time(9, 30), tzinfo=ZoneInfo("Asia/Shanghai"))


def pytest_configure(config):
    global _traveller
    import time_machine
    from django.conf import settings

    _traveller = time_machine.travel(pinned_now(), tick=True)
    _traveller.start()

    data_dir = Path(tempfile.mkdtemp(prefix="fazhi-test-"))  # uploads and files of a test run stay out of ./data
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = data_dir / "files"
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and not db.get("TEST", {}).get("NAME"):
        # A file in WAL mode, not shared-cache memory: threads in the concurrency test then wait on
        # busy_timeout like production instead of failing with "database table is locked".
        db.setdefault("TEST", {})["NAME"] = str(data_dir / "test.sqlite3")
    settings.FAZHI_AUDIT_KEY_FILE = data_dir / "audit_ed25519.key"  # a throwaway signing key per run

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production uses Argon2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Per-process cache: rate-limit counters must not outlive a test (transactional tests don't flush it).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def pytest_unconfigure(config):
    if _traveller is not None:
        _traveller.stop()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The per-process cache (rate-limit counters, kept to-do lists) starts empty in every test: a rolled-back
    test's audit log restarts its numbering, which production's never does. The dashboards' rendered parts
    kept per process under a digest of that numbering go with it."""
    from django.core.cache import cache

    from fazhi.reports import dashboard

    cache.clear()
    dashboard._FIGURES_HTML.clear()
    dashboard._COUNTY_HTML.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_holiday_schedule_cache():
    """Entered holiday schedules are cached per process; a rolled-back test must not leak its schedule."""
    from fazhi.core.calendar import clear_schedule_cache

    clear_schedule_cache()
    yield
    clear_schedule_cache()


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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    import os

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_login(live_server, chromium):
    """browser_login(username, width=1280) → a Playwright page signed in on the live server."""
    pages = []

    def _open(username, width=1280, height=900, password="fazhi-demo-2024"):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        pages.append(context)
        return page

    yield _open
    for context in pages:
        context.close()
