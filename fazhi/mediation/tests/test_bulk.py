"""Bulk actions: assign many disputes to a mediator at once, mark several villages' screening done."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.mediation.models import Dispute, DisputeTransition, ScreeningRound
from fazhi.mediation.services.bulk import BulkRefused, disputes_start_many, screenings_create_many
from fazhi.mediation.tests.conftest import start, village_mediator

S = Dispute.Status
TODAY = dt.date.today()


@pytest.fixture
def three(make_dispute, med):
    """Two 犁头 disputes in 犁头村 and one in the other township."""
    v = med.villages["litou"][0]
    return make_dispute(village=v), make_dispute(village=v), make_dispute(village=med.villages["demo2"][0],
                                                                          user="demo2_mediator")


def test_it_assigns_many_disputes_through_the_start_step(med, three):
    a, b, _ = three
    m = village_mediator(a)
    done = disputes_start_many(actor=med.user("litou_mediator"), disputes=[a, b], mediators=[m], started_on=TODAY)
    assert [d.pk for d in done] == [a.pk, b.pk]
    for d in (a, b):
        d.refresh_from_db()
        assert d.status == S.MEDIATING and list(d.mediators.all()) == [m]
    assert DisputeTransition.objects.filter(dispute__in=[a, b], to_status=S.MEDIATING).count() == 2


def test_it_changes_nothing_when_one_dispute_is_refused(med, three):
    a, b, _ = three
    user = med.user("litou_mediator")
    b = start(b, user)  # already mediating: 开始调解 refuses it
    before = DisputeTransition.objects.count()
    with pytest.raises(BulkRefused) as e:
        disputes_start_many(actor=user, disputes=[a, b], mediators=[village_mediator(a)], started_on=TODAY)
    assert "未作任何更改" in e.value.message and b.number in e.value.message and "调解中" in e.value.message
    a.refresh_from_db()
    assert a.status == S.RECEIVED and not a.mediators.exists()
    assert DisputeTransition.objects.count() == before


def test_bulk_page_walk_anonymous_supervisor_other_township_then_mediator(client, login, med, three):
    a, b, other = three
    url = reverse("mediation:bulk_start")
    m = village_mediator(a)
    post = {"ids": [a.pk, b.pk], "mediators": [m.pk], "started_on": TODAY.isoformat()}
    assert client.get(url, {"ids": [a.pk]}).status_code == 302  # anonymous → login
    login(med.user("county_supervisor"))
    assert client.get(url, {"ids": [a.pk]}).status_code == 403
    assert client.post(url, post).status_code == 403
    login(med.user("demo2_mediator"))  # another township: the ids are outside its scope
    r = client.post(url, post)
    assert r.status_code == 302 and r.url == reverse("mediation:ledger")
    assert Dispute.objects.filter(pk__in=[a.pk, b.pk], status=S.RECEIVED).count() == 2
    login(med.user("litou_mediator"))
    page = client.get(url, {"ids": [a.pk, b.pk, other.pk]}).content.decode()  # the confirmation page
    assert a.number in page and b.number in page and "已略去" in page
    assert f'name="ids" value="{a.pk}"' in page and f'name="ids" value="{other.pk}"' not in page
    assert "data-confirm" in page
    r = client.post(url, {**post, "ids": [a.pk, b.pk, other.pk]}, follow=True)
    assert "已为2件纠纷指定调解员" in r.content.decode()
    assert Dispute.objects.filter(pk__in=[a.pk, b.pk], status=S.MEDIATING).count() == 2
    assert Dispute.objects.get(pk=other.pk).status == S.RECEIVED


def test_bulk_page_shows_the_chinese_reason_and_writes_nothing(client, login, med, three):
    a, b, _ = three
    user = med.user("litou_mediator")
    start(b, user)
    login(user)
    r = client.post(reverse("mediation:bulk_start"), {"ids": [a.pk, b.pk], "mediators": [village_mediator(a).pk],
                                                      "started_on": TODAY.isoformat()})
    body = r.content.decode()
    assert r.status_code == 200 and "未作任何更改" in body and "调解中" in body
    assert Dispute.objects.get(pk=a.pk).status == S.RECEIVED


def test_ledger_offers_bulk_assign_to_handlers_only(client, login, med, three):
    login(med.user("litou_mediator"))
    body = client.get(reverse("mediation:ledger")).content.decode()
    assert "批量指定调解员" in body and 'name="ids"' in body and "导出所选" in body
    login(med.user("county_supervisor"))
    assert "批量指定调解员" not in client.get(reverse("mediation:ledger")).content.decode()


def test_export_selected_returns_only_checked_rows_in_scope(client, login, med, three):
    import io

    from openpyxl import load_workbook

    a, b, other = three
    login(med.user("litou_mediator"))
    r = client.get(reverse("mediation:ledger"), {"export": "xlsx", "ids": [a.pk, other.pk, "x", ""]})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    numbers = [row[0] for row in rows[1:]]
    assert numbers == [a.number]  # b not checked, other outside the scope, junk ids ignored


# --- screenings ----------------------------------------------------------------------------------------

def test_it_marks_several_villages_screened_at_once(med):
    v1, v2 = med.villages["litou"][:2]
    month = TODAY.replace(day=1)
    done = screenings_create_many(actor=med.user("litou_mediator"), villages=[v1, v2], period_start=month,
                                  held_on=TODAY, screeners="盘书记、赵主任")
    assert len(done) == 2
    assert ScreeningRound.objects.filter(period_start=month, village__in=[v1, v2]).count() == 2


def test_it_writes_no_round_when_one_village_is_already_screened(med):
    v1, v2 = med.villages["litou"][:2]
    month = TODAY.replace(day=1)
    user = med.user("litou_mediator")
    screenings_create_many(actor=user, villages=[v2], period_start=month, held_on=TODAY, screeners="甲")
    with pytest.raises(BulkRefused) as e:
        screenings_create_many(actor=user, villages=[v1, v2], period_start=month, held_on=TODAY, screeners="乙")
    assert "已登记排查" in e.value.message and v2.name in e.value.message
    assert not ScreeningRound.objects.filter(village=v1).exists()


def test_screening_bulk_page_confirms_then_writes(client, login, med):
    v1, v2 = med.villages["litou"][:2]
    url = reverse("mediation:screening_bulk")
    data = {"villages": [v1.pk, v2.pk], "period": TODAY.strftime("%Y-%m"), "held_on": TODAY.isoformat(),
            "screeners": "盘书记"}
    assert client.get(url).status_code == 302
    login(med.user("county_supervisor"))
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 403
    login(med.user("demo2_mediator"))  # villages of another township are not choices
    r = client.post(url, {**data, "confirmed": "1"})
    assert r.status_code == 200 and not ScreeningRound.objects.exists()
    login(med.user("litou_mediator"))
    r = client.post(url, data)  # first POST: the confirmation, nothing written
    assert "请确认" in r.content.decode() and not ScreeningRound.objects.exists()
    r = client.post(url, {**data, "confirmed": "1"}, follow=True)
    assert "排查2个村" in r.content.decode()
    assert ScreeningRound.objects.filter(village__in=[v1, v2]).count() == 2
