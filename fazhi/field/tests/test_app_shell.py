"""The service worker, the manifest and the icons are served by the site itself, nothing from outside."""
import json
import re
import struct

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_service_worker_is_served_from_the_root_with_a_versioned_cache(client, login, demo):
    login(demo.user("litou_mediator"))
    r = client.get("/sw.js")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/javascript")
    assert r["Service-Worker-Allowed"] == "/" and r["Cache-Control"] == "no-cache"
    body = r.content.decode()
    assert 'const CACHE = PREFIX + "' in body and "{{" not in body
    assert "/field/disputes/" in body and "/static/field/field.js" in body
    assert "http://" not in body and "https://" not in body  # nothing fetched from outside


def test_manifest_names_the_app_and_its_icons(client):
    data = client.get(reverse("field:manifest")).json()
    assert data["short_name"] == "法治" and data["display"] == "standalone"
    assert data["start_url"] == reverse("field:dispute")
    sizes = {i["sizes"] for i in data["icons"]}
    assert sizes == {"192x192", "512x512"}
    for size in (192, 512):
        with open(finders.find(f"field/icon-{size}.png"), "rb") as f:
            head = f.read(24)
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (size, size)


def test_base_template_links_the_manifest_and_registers_the_worker(client, login, demo):
    login(demo.user("litou_leader"))
    body = client.get(reverse("core:home")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in body and "field/register.js" in body


def _worker(client) -> tuple[list, str]:
    body = client.get("/sw.js").content.decode()
    pages = json.loads(re.search(r"const PAGES = (\[.*?\]);", body).group(1))
    return pages, re.search(r'const CACHE = PREFIX \+ "(\w+)"', body).group(1)


def test_the_worker_keeps_only_the_field_pages_the_user_may_open(client, login, demo):
    """A role without field access gets no field page in its worker (fetching them at install only drew 403s)."""
    assert _worker(client)[0] == []  # anonymous: assets only
    login(demo.user("litou_mediator"))
    mediator, mediator_cache = _worker(client)
    assert "/field/disputes/" in mediator and "/field/inspections/" not in mediator
    login(demo.user("litou_officer"))
    officer, officer_cache = _worker(client)
    assert "/field/inspections/" in officer and "/field/disputes/" not in officer
    assert mediator_cache != officer_cache  # a cache per page set


def test_only_users_with_field_access_register_the_worker(client, login, demo):
    login(demo.user("county_supervisor"))
    assert "field/register.js" not in client.get(reverse("core:home")).content.decode()
