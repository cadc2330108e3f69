"""Issue 15: the one table of periods (期限依据一览): each row counts as its statute says, and the page shows it."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core.periods import AGENCY, DAYS, MONTHS, PARTY, PERIODS, WORKING_DAYS, YEARS, count

D = dt.date


@pytest.mark.parametrize("key", sorted(PERIODS))
def test_it_counts_every_row_by_its_binding_rule(key):
    p = PERIODS[key]
    assert p.article and p.label and p.unit in {WORKING_DAYS, DAYS, MONTHS, YEARS} and p.binds in {PARTY, AGENCY}
    d = count(key, D(2024, 9, 20))
    assert d.period == key
    assert ("本地规则" in d.explanation) == p.local
    if p.unit == WORKING_DAYS:
        assert d.due.weekday() < 5 or d.makeup_workdays
    elif p.binds == AGENCY or p.minimum:
        assert d.moved_from is None  # an agency's limit (and a minimum lead) never lengthens
    if not p.local:
        assert p.article.split("：")[0] in d.explanation


def test_it_moves_only_party_periods_off_rest_days():
    assert count("enf.payment", D(2024, 9, 20)).due == D(2024, 10, 8)  # 5 Oct holiday → 8 Oct
    assert count("enf.seizure", D(2024, 9, 1)).due == D(2024, 10, 1)


@pytest.mark.django_db
def test_it_shows_the_period_table_page_to_signed_in_users(client, demo, login):
    url = reverse("core:periods")
    assert client.get(url).status_code in {302, 403}
    login(demo.user("litou_officer"))
    r = client.get(url)
    body = r.content.decode()
    assert r.status_code == 200 and "期限依据一览" in body and 'id="dec.reconsideration_reply"' in body
    assert "本地规则" in body and "行政复议法第四十八条" in body


def test_it_counts_the_coercion_and_oversight_periods_from_the_table():
    """Issue 15: 强制执行 (行政强制法 Arts. 35/44/53/54), the county's 督办 and the counsel's opinion are rows too."""
    for key in ("enf.coercion_perform", "enf.self_removal", "enf.court_application", "enf.court_urge",
                "ovs.notice_answer", "dec.counsel_opinion"):
        assert key in PERIODS
    d = count("enf.coercion_perform", D(2024, 9, 20), 15)  # ends 5 Oct (国庆) → the party's period moves
    assert d.due == D(2024, 10, 8) and "第三十五条" in d.explanation and "本件文书确定为15日" in d.explanation
    assert "法定10" not in d.explanation  # the statute fixes no number: 10 is only the form's default
    # 10 working days over 国庆, counting the make-up workdays 29 Sep and 12 Oct
    assert count("enf.court_urge", D(2024, 9, 27)).due == D(2024, 10, 16)
    assert count("enf.court_application", D(2024, 11, 30)).moved_from is None  # an agency's limit never moves
    assert "本地规则" in count("ovs.notice_answer", D(2024, 9, 2), 10).explanation


def test_it_counts_an_approved_extension_under_its_own_article():
    d = count("med.petition_conclude", D(2024, 9, 2), extended=20, extension="med.petition_extension")
    assert d.due == D(2024, 11, 21)  # 60 + 20 days, an agency's limit: not moved
    assert "本地参数" not in d.explanation and "经批准延长20日" in d.explanation and "合计80日" in d.explanation
    assert "信访工作条例第三十五条：情况复杂的" in d.explanation


@pytest.mark.parametrize("key", sorted(PERIODS))
def test_it_never_lets_a_local_number_exceed_a_statutory_ceiling(key):
    from fazhi.core.periods import within_statute

    p = PERIODS[key]
    fixed = not (p.local or p.per_record or p.minimum or p.changeable)
    assert within_statute(key, p.n + 10) == (p.n if fixed else p.n + 10)
    assert within_statute(key, max(1, p.n - 1)) == max(1, p.n - 1)  # stricter on oneself is always lawful


def test_it_does_not_credit_article_69_with_the_rest_day_move():
    """行政强制法第六十九条 only says the law's periods of ten days or less are working days; the move of a
    party's period off a rest day is 民事诉讼法第八十五条's rule."""
    p = PERIODS["enf.coercion_perform"]
    assert "第六十九条：期限届满日为法定节假日的顺延" not in p.note and "民事诉讼法第八十五条" in p.note
