"""Takes the help pages' screenshots of the real pages on the whole demo (so the pictures never go stale),
then checks each help page shows its picture."""
import os
from itertools import groupby

import pytest
from django.urls import reverse

from fazhi.help.topics import SHOTS, TOPICS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def test_help_screenshots(full_demo, browser_login, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    by_user = sorted(TOPICS.values(), key=lambda t: t.as_user)
    for username, topics in groupby(by_user, key=lambda t: t.as_user):
        page = browser_login(username, width=1280, height=800)
        for t in topics:
            response = page.goto(f"{live_server.url}{reverse(t.page)}")
            assert response.status == 200, (t.key, username, response.status)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(SHOTS / f"{t.key}.jpg"), type="jpeg", quality=70)
            page.goto(f"{live_server.url}{reverse('help:topic', args=[t.key])}")
            img = page.locator("figure.help-shot img")
            img.scroll_into_view_if_needed()
            assert page.evaluate("(el) => el.complete && el.naturalWidth", img.element_handle()) == 1280, t.key
        page.context.close()
