"""Help: a page per module, reachable from every page's header, each with its screenshot."""
import pytest
from django.urls import reverse

from fazhi.help.topics import TOPICS, shot_exists, topic_for_namespace

pytestmark = pytest.mark.django_db


def test_every_topic_page_renders_in_chinese_with_its_statutes_steps_and_screenshot(client, login, demo):
    login(demo.user("litou_officer"))
    index = client.get(reverse("help:index")).content.decode()
    for t in TOPICS.values():
        assert reverse("help:topic", args=[t.key]) in index
        html = client.get(reverse("help:topic", args=[t.key])).content.decode()
        assert t.title in html and "依据" in html and "怎么操作" in html
        assert all(s in html for s in t.statutes) and all(s in html for s in t.steps)
        assert reverse(t.page) in html  # 打开该页面
        assert shot_exists(t), f"{t.key}: run the browser test test_help_screenshots to take its screenshot"
        assert t.shot in html


def test_each_page_header_links_to_its_modules_help(client, login, demo):
    login(demo.user("litou_leader"))
    for name, key in [("enforcement:cases", "enforcement"), ("mediation:ledger", "mediation"),
                      ("reports:dashboard", "reports"), ("core:todo", "start")]:
        path = reverse(name)
        html = client.get(path, follow=True).content.decode()
        assert f'href="{reverse("help:topic", args=[key])}" data-help-link' in html, path
    assert topic_for_namespace("decisions").key == "decisions" and topic_for_namespace("nothing") is None


def test_help_needs_sign_in_and_an_unknown_topic_is_a_404(client, login, demo):
    assert client.get(reverse("help:index")).status_code in (302, 403)
    login(demo.user("litou_village_cadre"))
    assert client.get("/help/no-such-topic/").status_code == 404
