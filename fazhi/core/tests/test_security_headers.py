"""Site-wide hardening: CSP on every page (no inline script anywhere, so `script-src 'self'` holds), HSTS with
secure cookies, and no start in production (FAZHI_DEBUG=0) with the development secret key."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import fazhi

ROOT = Path(fazhi.__file__).resolve().parent
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"""<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=\s*["']""", re.I)


def test_no_template_carries_inline_script_or_event_handlers():
    bad = []
    for path in ROOT.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for rx in (INLINE_SCRIPT, INLINE_HANDLER):
            bad += [(str(path.relative_to(ROOT)), m.group(0)[:60]) for m in rx.finditer(text)]
        if "javascript:" in text:
            bad.append((str(path.relative_to(ROOT)), "javascript:"))
    assert not bad, f"inline script (blocked by script-src 'self'): {bad}"


def _script_src(csp: str) -> str:
    return next(d for d in csp.split(";") if d.strip().startswith("script-src")).strip()


@pytest.mark.django_db
def test_staff_public_and_login_pages_carry_a_strict_csp(demo, login):
    staff = login(demo.user("litou_legal_staff"), Client())
    for c, url in [(staff, reverse("core:home")), (staff, reverse("core:todo")), (Client(), reverse("accounts:login")),
                   (Client(), "/portal/")]:
        r = c.get(url, follow=True)
        csp = r.headers.get("Content-Security-Policy", "")
        assert _script_src(csp) == "script-src 'self'", (url, csp)
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert not INLINE_SCRIPT.search(r.content.decode()), url


@pytest.mark.django_db
def test_admin_pages_with_two_factor_carry_the_csp(demo, login):
    r = login(demo.user("litou_admin"), Client()).get(reverse("accounts:user_list"))
    assert r.status_code == 200 and _script_src(r.headers["Content-Security-Policy"]) == "script-src 'self'"


def _settings_in_subprocess(env: dict, code: str = "import fazhi.settings as s; print(s.SECRET_KEY)"):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    return subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                          timeout=60)


def test_production_refuses_the_development_secret_key(tmp_path):
    r = _settings_in_subprocess({"FAZHI_DEBUG": "0", "FAZHI_DATA_DIR": str(tmp_path)})
    assert r.returncode != 0 and "ImproperlyConfigured" in r.stderr
    assert "FAZHI_SECRET_KEY" in r.stderr and "未设置密钥" in r.stderr
    assert _settings_in_subprocess({"FAZHI_DEBUG": "1", "FAZHI_DATA_DIR": str(tmp_path)}).returncode == 0
    ok = _settings_in_subprocess({"FAZHI_DEBUG": "0", "FAZHI_DATA_DIR": str(tmp_path), "FAZHI_SECRET_KEY": "k" * 50})
    assert ok.returncode == 0 and ok.stdout.strip() == "k" * 50


def test_demo_generates_a_private_key_file_that_is_reused(tmp_path):
    env = {"FAZHI_DATA_DIR": str(tmp_path)}
    assert _settings_in_subprocess(env, "import fazhi.secret_key as k; k.main()").returncode == 0
    key_file = tmp_path / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert _settings_in_subprocess(env, "import fazhi.secret_key as k; k.main()").returncode == 0
    assert key_file.read_text().strip() == key  # reused next time
    r = _settings_in_subprocess({"FAZHI_DEBUG": "0", **env})
    assert r.returncode == 0 and r.stdout.strip() == key
    named = tmp_path / "elsewhere"
    named.write_text("n" * 50)
    r = _settings_in_subprocess({"FAZHI_DEBUG": "0", "FAZHI_SECRET_KEY_FILE": str(named), **env})
    assert r.stdout.strip() == "n" * 50
    r = _settings_in_subprocess({"FAZHI_DEBUG": "0", "FAZHI_SECRET_KEY_FILE": str(tmp_path / "missing"), **env})
    assert r.returncode != 0 and "FAZHI_SECRET_KEY_FILE" in r.stderr


def test_secure_cookies_turn_on_hsts(tmp_path):
    code = "import fazhi.settings as s; print(getattr(s, 'SECURE_HSTS_SECONDS', 0))"
    base = {"FAZHI_DATA_DIR": str(tmp_path), "FAZHI_SECRET_KEY": "k" * 50}
    assert int(_settings_in_subprocess({**base, "FAZHI_SECURE_COOKIES": "1"}, code).stdout) >= 180 * 24 * 3600
    assert int(_settings_in_subprocess(base, code).stdout) == 0


@pytest.mark.django_db
def test_hsts_header_on_https_requests(demo, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    r = Client().get(reverse("accounts:login"), secure=True)
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
