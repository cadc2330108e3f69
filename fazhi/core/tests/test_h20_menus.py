"""Menus by job: each role's daily work first (≤ 12 top-level entries with 更多功能 and 设置), nothing it
could open before is lost, and the API token page only for roles that use the API."""

import pytest
from django.test import Client

from fazhi.core import nav

pytestmark = pytest.mark.django_db

PERSONAS = ["litou_leader", "litou_legal_staff", "litou_officer", "litou_mediator", "litou_village_cadre",
            "litou_counsel", "county_supervisor", "litou_admin"]


def top_level(items):
    sections = {i["section"] for i in items}
    return sum(1 for i in items if i["section"] == "daily") + len(sections - {"daily"})


@pytest.mark.parametrize("username", PERSONAS)
def test_each_role_sees_at_most_twelve_top_level_entries(demo, username):
    user = demo.user(username)
    items = nav.items_for(user)
    assert top_level(items) <= 12, [i["label"] for i in items if i["section"] == "daily"]
    daily = [i["url_name"] for i in items if i["section"] == "daily"]
    assert daily[:2] == ["core:home", "core:todo"] and len(daily) >= 3
    assert all(i["group"] == "设置" for i in items if i["section"] == "settings")


def test_api_tokens_only_for_roles_that_use_the_api(demo):
    def has_tokens(username):
        return any(i["url_name"] == "api:tokens" for i in nav.items_for(demo.user(username)))

    assert has_tokens("litou_officer") and has_tokens("county_supervisor") and has_tokens("litou_admin")
    assert not has_tokens("litou_leader") and not has_tokens("litou_village_cadre") and not has_tokens("litou_counsel")


def test_the_menu_page_folds_the_rest(demo, login):
    c = login(demo.user("litou_officer"), Client())
    html = c.get("/").content.decode()
    assert "更多功能" in html and "nav-daily" in html
    nav_html = html.split('id="nav"', 1)[1].split("</nav>", 1)[0]
    daily = nav_html.split("</ul>", 1)[0]
    assert "执法案件" in daily and "日常巡查" in daily and "纠纷台账" not in daily
