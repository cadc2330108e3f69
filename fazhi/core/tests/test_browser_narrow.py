"""Every page of every role's menu at 375 px (a village cadre's phone) on the whole demo, and the first record
of every ledger: nothing scrolls sideways, and ledgers show as cards (one block per row, each value labelled)."""
import os

import pytest

from fazhi.core.nav import items_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROLES = ["litou_officer", "litou_mediator", "litou_legal_staff", "litou_leader", "litou_village_cadre",
         "litou_counsel", "county_supervisor", "county_legal"]
WIDTH = 375
# htmx marks an element .htmx-request while its request runs and swaps the answer in before unmarking it.
HTMX_IDLE = "() => !document.querySelector('.htmx-request')"


def test_every_menu_page_fits_a_375px_phone_and_ledgers_are_cards(full_demo, browser_login, live_server):
    from django.contrib.auth import get_user_model

    seen, too_wide, not_cards, ledgers = set(), [], [], 0
    for username in ROLES:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            continue
        urls = [i["url"] for i in items_for(user) if i["url"] not in seen]
        if not urls:
            continue
        page = browser_login(username, width=WIDTH, height=812)
        records = []
        for url in urls:
            seen.add(url)
            response = page.goto(f"{live_server.url}{url}")
            assert response.status < 400, (username, url, response.status)
            page.wait_for_function(HTMX_IDLE)  # what the page loads after itself (its change history) counts
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH + 2:
                too_wide.append((username, url, width))
            if page.locator("table.stack").count():
                ledgers += 1
                table = page.locator("table.stack").first
                if table.locator("thead").count() and table.locator("thead").first.is_visible():
                    not_cards.append((username, url, "header row shown"))
                cell = table.locator("tbody td[data-label]").first
                if table.locator("tbody tr:has(td + td)").count() and not cell.count():  # not just "暂无"
                    not_cards.append((username, url, "cells without labels"))
                link = table.locator("tbody td a[href^='/']").first
                if link.count():
                    records.append(link.get_attribute("href"))
        for url in records:  # the first record of each ledger this role reads
            if url in seen:
                continue
            seen.add(url)
            response = page.goto(f"{live_server.url}{url}")
            assert response.status < 400, (username, url, response.status)
            page.wait_for_function(HTMX_IDLE)  # what the page loads after itself (its change history) counts
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH + 2:
                too_wide.append((username, url, width))
        page.context.close()
    assert len(seen) > 40 and ledgers > 15, (len(seen), ledgers)
    assert not too_wide, too_wide
    assert not not_cards, not_cards
