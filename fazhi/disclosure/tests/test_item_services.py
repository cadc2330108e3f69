"""Proactive items: publication workflow, schedule, unpublish with reason, lateness, sanitising, scope."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.disclosure.models import DisclosureItem, ItemStatus
from fazhi.disclosure.services import items as services
from fazhi.disclosure.services.catalogue import category_save
from fazhi.disclosure.workflow.items import item_transition

D = dt.date
pytestmark = pytest.mark.django_db


def at(d):
    return timezone.make_aware(dt.datetime.combine(d, dt.time(9)))


def test_publish_on_time_and_late(make_item, staff):
    item = make_item(formed=D(2024, 9, 27))
    on_time = item_transition(actor=staff, item=item, step="publish", data={"at": at(D(2024, 10, 30))})
    assert on_time.status == ItemStatus.PUBLISHED and not on_time.published_late
    late = make_item(formed=D(2024, 9, 27), title="另一条")
    late = item_transition(actor=staff, item=late, step="publish", data={"at": at(D(2024, 10, 31))})
    assert late.published_late


def test_unpublish_requires_a_reason_and_hides_the_item(make_item, staff):
    item = item_transition(actor=staff, item=make_item(), step="publish")
    with pytest.raises(DomainError, match="理由"):
        item_transition(actor=staff, item=item, step="unpublish", data={"unpublish_reason": "  "})
    assert DisclosureItem.objects.public().filter(pk=item.pk).exists()
    item = item_transition(actor=staff, item=item, step="unpublish", data={"unpublish_reason": "含个人信息"})
    assert item.unpublish_reason == "含个人信息"
    assert not DisclosureItem.objects.public().filter(pk=item.pk).exists()
    assert item.transitions.filter(to_status="unpublished", reason="含个人信息").exists()


def test_scheduled_item_appears_when_its_time_comes(make_item, staff):
    item = make_item(formed=timezone.localdate())
    with pytest.raises(DomainError, match="晚于当前时间"):
        item_transition(actor=staff, item=item, step="schedule", data={"publish_at": timezone.now()})
    when = timezone.now() + dt.timedelta(hours=2)
    item = item_transition(actor=staff, item=item, step="schedule", data={"publish_at": when})
    assert not DisclosureItem.objects.public().filter(pk=item.pk).exists()
    assert DisclosureItem.objects.public(now=when + dt.timedelta(minutes=1)).filter(pk=item.pk).exists()
    assert services.items_publish_due(now=when + dt.timedelta(minutes=1)) == 1
    assert DisclosureItem.objects.get(pk=item.pk).status == ItemStatus.PUBLISHED


def test_empty_item_cannot_be_published(make_item, staff):
    item = make_item(body="")
    with pytest.raises(DomainError, match="不能都为空"):
        item_transition(actor=staff, item=item, step="publish")
    assert DisclosureItem.objects.get(pk=item.pk).status == ItemStatus.DRAFT


def test_changing_the_information_moves_the_deadline(make_item, staff):
    item = make_item(formed=D(2024, 9, 27))
    item = services.item_update(actor=staff, item=item, formed_on=D(2024, 12, 2))
    assert item.publish_due == D(2024, 12, 30)


def test_rich_text_is_sanitised(make_item):
    item = make_item(body='<p onclick="x()">好</p><script>alert(1)</script><a href="javascript:alert(2)">链</a>'
                          '<iframe src="//evil"></iframe><style>body{}</style>')
    assert "<script" not in item.body and "onclick" not in item.body and "javascript:" not in item.body
    assert "<iframe" not in item.body and "<style" not in item.body and "<p>好</p>" in item.body


def test_title_markup_is_removed(make_item):
    item = make_item(title='<img src=x onerror="alert(1)">标题<b>粗</b>')
    assert item.title == "标题粗"


def test_other_township_and_read_only_roles_cannot_write(demo, news):
    for name in ("demo2_legal_staff", "county_supervisor", "litou_officer"):
        with pytest.raises(DomainError, match="无权"):
            services.item_create(actor=demo.user(name), township=demo.litou, category=news, title="x",
                                 formed_on=D(2024, 1, 1), body="<p>x</p>")
    assert not DisclosureItem.objects.exists()


def test_attachment_type_and_size_are_checked(make_item, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = make_item()
    with pytest.raises(DomainError, match="格式不允许"):
        services.attachment_add(actor=staff, item=item, upload=SimpleUploadedFile("a.exe", b"MZ"))
    att = services.attachment_add(actor=staff, item=item, upload=SimpleUploadedFile("表格.pdf", b"%PDF-1.4 x"))
    assert att.size == 10 and len(att.sha256) == 64 and att.name == "表格.pdf"


def test_category_admin_only(demo):
    with pytest.raises(DomainError, match="管理员"):
        category_save(actor=demo.user("litou_legal_staff"), name="新类目", group="other")
    c = category_save(actor=demo.user("litou_admin"), name="<b>新类目</b>", group="other")
    assert c.name == "新类目"


@pytest.mark.parametrize("leak", ["身份证431127198001011234", "联系电话13907461234"])
def test_unmasked_personal_data_blocks_publication(make_item, staff, leak):
    item = make_item(body=f"<p>低保对象：盘某某，{leak}</p>")
    with pytest.raises(DomainError, match="个人信息"):
        item_transition(actor=staff, item=item, step="publish")
    assert DisclosureItem.objects.get(pk=item.pk).status == ItemStatus.DRAFT
    masked = make_item(title="已脱敏", body="<p>盘某某，4311**********1234，电话0746-2212345</p>")
    assert item_transition(actor=staff, item=masked, step="publish").status == ItemStatus.PUBLISHED
