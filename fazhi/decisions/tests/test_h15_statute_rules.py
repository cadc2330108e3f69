"""Issue 15: 行政复议法第四十八条、第八十八条 (10 working days); 行政诉讼法第六十七条 (15 days)."""

import datetime as dt

from fazhi.decisions.deadlines import hearing_notice, reply_deadline
from fazhi.decisions.models import DecisionSettings, Litigation, LitigationKind

D = dt.date


def test_it_counts_reconsideration_reply_in_working_days():
    case = Litigation(kind=LitigationKind.RECONSIDERATION, received_on=D(2024, 9, 27))
    d = reply_deadline(case, DecisionSettings())
    # 9/29 (Sun, 调休), 9/30, 10/8–10/11, 10/12 (Sat, 调休), 10/14–10/16: the 10th working day is 16 October
    assert d.due == D(2024, 10, 16)
    assert "第四十八条" in d.explanation and "第八十八条" in d.explanation and d.period == "dec.reconsideration_reply"


def test_it_gives_the_defence_statement_15_days():
    case = Litigation(kind=LitigationKind.LITIGATION, received_on=D(2024, 3, 1))
    d = reply_deadline(case, DecisionSettings())
    assert d.due == D(2024, 3, 18)  # 16 March is a Saturday: a litigant's period moves to Monday
    assert "第六十七条" in d.explanation and "顺延" in d.explanation


def test_it_labels_the_decision_hearing_notice_as_a_local_rule():
    check = hearing_notice(D(2024, 5, 1), D(2024, 5, 10), 7)
    assert "本地规则" in check.explanation and "第十八条" in check.explanation


def test_it_never_gives_the_respondent_longer_than_the_statute_to_reply():
    """行政复议法第四十八条 / 行政诉讼法第六十七条 fix the periods: a township setting of 15 (or 20) days
    changes neither the reply's 10 working days nor the defence's 15 days."""
    loose = DecisionSettings(reconsideration_reply_days=15, defence_statement_days=20)
    recon = Litigation(kind=LitigationKind.RECONSIDERATION, received_on=D(2024, 9, 27))
    assert reply_deadline(recon, loose).due == D(2024, 10, 16)
    suit = Litigation(kind=LitigationKind.LITIGATION, received_on=D(2024, 3, 1))
    assert reply_deadline(suit, loose).due == D(2024, 3, 18)


def test_it_names_article_15_in_the_comment_period_explanation():
    from fazhi.decisions.deadlines import comment_period

    check = comment_period(D(2024, 5, 1), D(2024, 5, 20), 30)
    assert check.short and "第十五条" in check.explanation and "予以说明" in check.explanation
