"""Portal pages for anonymous visitors: what is published shows, nothing else does."""

import pytest
from django.urls import reverse

from fazhi.disclosure.models import DisclosureItem, ItemStatus

LITOU = "431127201000"


@pytest.fixture
def site(demo):
    from fazhi.disclosure.demo import load

    load(demo)
    return demo


def test_index_and_township_home_list_published_items(client, site):
    r = client.get(reverse("portal:index"))
    assert r.status_code == 200
    assert "犁头瑶族乡" in r.content.decode()
    r = client.get(reverse("portal:township", args=[LITOU]))
    body = r.content.decode()
    assert r.status_code == 200
    assert "国家宪法日宣传活动" in body
    assert "一事一议" not in body  # draft
    assert "已撤回" not in body  # unpublished


def test_draft_and_unpublished_items_are_404_and_other_township_items_too(client, site):
    draft = DisclosureItem.objects.get(status=ItemStatus.DRAFT, township=site.litou)
    gone = DisclosureItem.objects.get(status=ItemStatus.UNPUBLISHED, township=site.litou)
    other = DisclosureItem.objects.get(township=site.demo2)
    for pk in (draft.pk, gone.pk):
        assert client.get(reverse("portal:item", args=[LITOU, pk])).status_code == 404
    assert client.get(reverse("portal:item", args=[LITOU, other.pk])).status_code == 404
    assert client.get(reverse("portal:item", args=[site.demo2.code, other.pk])).status_code == 200


def test_catalogue_category_search(client, site, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        r = client.get(reverse("portal:catalogue", args=[LITOU]))
    assert "工作动态" in r.content.decode()
    from fazhi.disclosure.models import Category

    news = Category.objects.get(name="工作动态")
    with django_assert_max_num_queries(6):
        r = client.get(reverse("portal:category", args=[LITOU, news.pk]))
    assert "宪法日" in r.content.decode()
    r = client.get(reverse("portal:search", args=[LITOU]), {"q": "宪法宣传"})
    body = r.content.decode()
    assert "国家宪法日宣传活动" in body and "部门预算" not in body


def test_every_portal_page_renders(client, site):
    for name in ("township", "catalogue", "search", "request", "enforcement", "consultations"):
        r = client.get(reverse(f"portal:{name}", args=[LITOU]))
        assert r.status_code == 200, name
        assert "http://" not in r.content.decode().replace("http://testserver", "") or name  # no external assets
    assert client.get(reverse("portal:status")).status_code == 200
    assert client.get(reverse("portal:township", args=["999999999999"])).status_code == 404


def test_large_font_mode_persists_in_a_cookie(client, site):
    r = client.get(reverse("portal:township", args=[LITOU]), {"font": "large"})
    assert '<html lang="zh-CN" class="large">' in r.content.decode()
    assert r.cookies["fz_font"].value == "large"
    r = client.get(reverse("portal:catalogue", args=[LITOU]))
    assert 'class="large"' in r.content.decode()
    r = client.get(reverse("portal:font"), {"font": "normal", "next": "https://evil.example/"})
    assert r["Location"] == reverse("portal:index")
    r = client.get(reverse("portal:catalogue", args=[LITOU]))
    assert 'class="large"' not in r.content.decode()


def test_public_pages_forbid_outside_resources(client, site):
    r = client.get(reverse("portal:township", args=[LITOU]))
    assert "default-src 'self'" in r["Content-Security-Policy"]
    assert "<script" not in r.content.decode()  # the portal needs no JavaScript at all


def test_township_home_and_status_have_a_query_budget(client, site, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(reverse("portal:township", args=[LITOU])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("portal:index")).status_code == 200
