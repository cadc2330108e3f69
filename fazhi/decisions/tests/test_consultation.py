import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.errors import DomainError
from fazhi.decisions.models import PublicComment
from fazhi.decisions.selectors import open_consultations
from fazhi.decisions.services.consultation import (
    COMMENT_RATE_LIMIT,
    comment_moderate,
    comment_submit,
    comment_summary_publish,
    consultation_open,
)
from fazhi.decisions.tests.conftest import new_decision

pytestmark = pytest.mark.django_db
URL = "/decisions/consultations/"


@pytest.fixture
def open_decision(demo, staff):
    today = dt.date.today()
    d = new_decision(demo, title="集镇农贸市场管理办法")
    consultation_open(actor=staff, decision=d, draft_text="<b>征求意见稿</b>正文", comment_start=today - dt.timedelta(days=1),
                      comment_end=today + dt.timedelta(days=29))
    return d


def test_selector_lists_open_consultations_by_township(demo, open_decision):
    assert list(open_consultations()) == [open_decision]
    assert list(open_consultations(township=demo.litou)) == [open_decision]
    assert list(open_consultations(township=demo.demo2)) == []
    assert list(open_consultations(today=dt.date.today() + dt.timedelta(days=40))) == []


def test_public_page_shows_draft_and_takes_a_moderated_comment(open_decision, staff):
    c = Client()
    r = c.get(URL)
    assert r.status_code == 200 and "集镇农贸市场管理办法" in r.content.decode()
    r = c.post(URL, {"decision": open_decision.pk, "body": "建议<script>alert(1)</script>增设<b>优先摊位</b>", "name": "居民"})
    assert r.status_code == 302
    comment = PublicComment.objects.get()
    assert comment.body == "建议增设优先摊位" and comment.status == "pending"
    assert "增设优先摊位" not in c.get(URL).content.decode()  # not shown before moderation
    comment_moderate(actor=staff, comment=comment, status="approved", handling="采纳")
    assert "增设优先摊位" in c.get(URL).content.decode()


def test_comment_is_size_capped_and_needs_text(open_decision):
    with pytest.raises(DomainError, match="不能超过"):
        comment_submit(decision=open_decision, body="字" * 2001, client_ip="1.2.3.4")
    with pytest.raises(DomainError, match="请填写"):
        comment_submit(decision=open_decision, body="<img src=x>", client_ip="1.2.3.4")
    assert not PublicComment.objects.exists()


def test_comments_are_rate_limited_per_client_ip(open_decision):
    for _ in range(COMMENT_RATE_LIMIT):
        comment_submit(decision=open_decision, body="意见", client_ip="1.2.3.4")
    with pytest.raises(DomainError, match="频繁"):
        comment_submit(decision=open_decision, body="意见", client_ip="1.2.3.4")
    comment_submit(decision=open_decision, body="意见", client_ip="5.6.7.8")
    assert PublicComment.objects.count() == COMMENT_RATE_LIMIT + 1
    r = Client(REMOTE_ADDR="1.2.3.4").post(URL, {"decision": open_decision.pk, "body": "再来"})
    assert r.status_code == 200 and "频繁" in r.content.decode()


def test_post_without_csrf_token_is_refused(open_decision):
    r = Client(enforce_csrf_checks=True).post(URL, {"decision": open_decision.pk, "body": "意见"})
    assert r.status_code == 403
    assert not PublicComment.objects.exists()


def test_closed_consultation_refuses_comments(demo, staff):
    d = new_decision(demo)
    consultation_open(actor=staff, decision=d, draft_text="稿", comment_start=dt.date(2024, 3, 1),
                      comment_end=dt.date(2024, 3, 31))
    r = Client().post(URL, {"decision": d.pk, "body": "晚了"})
    assert r.status_code == 200 and "不在征求意见期内" in r.content.decode()
    assert not PublicComment.objects.exists()


def test_summary_needs_all_comments_moderated_and_is_published(open_decision, staff):
    comment_submit(decision=open_decision, body="意见", client_ip="1.2.3.4")
    with pytest.raises(DomainError, match="未审核"):
        comment_summary_publish(actor=staff, decision=open_decision, summary="采纳", published_on=dt.date.today())
    comment_moderate(actor=staff, comment=PublicComment.objects.get(), status="rejected", handling="与本事项无关")
    comment_summary_publish(actor=staff, decision=open_decision, summary="共1条，未采纳1条", published_on=dt.date.today())
    assert "共1条，未采纳1条" in Client().get(URL).content.decode()


def test_staff_comment_pages_check_access(demo, open_decision, login, client):
    url = reverse("decisions:comments", args=[open_decision.pk])
    assert client.get(url).status_code == 302
    assert login(demo.user("demo2_legal_staff")).get(url).status_code == 404
    assert login(demo.user("litou_officer")).get(url).status_code == 403
    assert login(demo.user("litou_legal_staff")).get(url).status_code == 200


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(open_decision, settings):
    for i in range(COMMENT_RATE_LIMIT):
        Client(REMOTE_ADDR="9.9.9.9", HTTP_X_FORWARDED_FOR=f"1.1.1.{i}").post(URL, {"decision": open_decision.pk, "body": "意见"})
    assert PublicComment.objects.count() == COMMENT_RATE_LIMIT
    r = Client(REMOTE_ADDR="9.9.9.9", HTTP_X_FORWARDED_FOR="2.2.2.2").post(URL, {"decision": open_decision.pk, "body": "x"})
    assert "频繁" in r.content.decode()
    settings.FAZHI_TRUSTED_PROXY_COUNT = 1
    r = Client(REMOTE_ADDR="9.9.9.9", HTTP_X_FORWARDED_FOR="2.2.2.2").post(URL, {"decision": open_decision.pk, "body": "x"})
    assert r.status_code == 302
