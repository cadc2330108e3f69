"""My to-do (issue 20): the user's own items first, then the team's; overdue and due-soon disjoint;
each item opens its step."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import todo
from fazhi.core.todo import TodoItem

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def items(demo, monkeypatch):
    officer = demo.user("litou_officer")

    def provider(user, today, horizon):
        t = demo.litou.pk
        return [
            TodoItem("行政执法", "送达决定书 甲", today - dt.timedelta(days=2), "/s/1", township_id=t,
                     roles=frozenset({"officer"}), action="送达决定书"),
            TodoItem("行政执法", "法制审核 乙", today + dt.timedelta(days=3), "/s/2", township_id=t,
                     roles=frozenset({"legal_staff"})),
            TodoItem("行政执法", "指定给我 丙", today + dt.timedelta(days=5), "/s/3", assignee_id=officer.pk),
            TodoItem("行政执法", "外乡 丁", today + dt.timedelta(days=1), "/s/4", township_id=demo.demo2.pk,
                     roles=frozenset({"officer"})),
        ]

    monkeypatch.setattr(todo, "_PROVIDERS", [provider])
    return officer


def test_an_officer_sees_his_own_items_first_and_the_legal_review_as_the_teams(demo, items):
    board = todo.todo_board(items, TODAY)
    assert [i.title for i in board.mine] == ["送达决定书 甲", "指定给我 丙"]
    assert [i.title for i in board.team] == ["外乡 丁", "法制审核 乙"]
    legal = todo.todo_board(demo.user("litou_legal_staff"), TODAY)
    assert [i.title for i in legal.mine] == ["法制审核 乙"]


def test_overdue_and_due_soon_counts_are_disjoint(demo, items):
    board = todo.todo_board(items, TODAY)
    assert (board.overdue_count, board.due_soon_count) == (1, 3)
    assert (board.mine_overdue_count, board.mine_due_soon_count) == (1, 1)
    assert board.overdue_count + board.due_soon_count == len(board.mine) + len(board.team)


def test_the_pages_show_mine_then_team_with_a_one_click_step(demo, items, login):
    c = login(items)
    html = c.get(reverse("core:todo")).content.decode()
    assert html.index("我的待办") < html.index("送达决定书 甲") < html.index("团队待办") < html.index("法制审核 乙")
    assert 'class="btn small" href="/s/1">送达决定书</a>' in html
    home = c.get(reverse("core:home")).content.decode()
    tile = home[home.index("14日内到期"):home.index("查看全部")]
    assert '<div class="stat">3</div>' in tile and "其中本人1项，不含已逾期" in tile


def test_the_to_do_page_is_rendered_once_and_again_after_a_write_in_the_township(demo, login, monkeypatch):
    """The page's lists are kept under the to-do list's rule: unchanged data, one render; a new dispute in
    the township shows on the next view (issue 16: hundreds of items were unpickled and rendered per view)."""
    from fazhi.mediation.models import DisputeType
    from fazhi.mediation.services.disputes import dispute_create

    mediator = demo.user("litou_mediator")
    renders = []
    real = todo.todo_board
    monkeypatch.setattr(todo, "todo_board", lambda *a, **k: renders.append(1) or real(*a, **k))
    c = login(mediator)

    def items() -> int:
        html = c.get(reverse("core:todo")).content.decode()
        return html[html.index("<h1>待办事项</h1>"):html.index("</main>")].count("<li>")

    before = items()
    assert items() == before and len(renders) == 1
    kind, _ = DisputeType.objects.get_or_create(name="邻里")
    dispute_create(actor=mediator, township=demo.litou, village=demo.villages["litou"][0], dispute_type=kind,
                   summary="两户因宅基地界址起争执", received_on=dt.date.today() - dt.timedelta(days=25),
                   parties=[{"name": "盘石生", "side": "applicant"}])
    assert items() == before + 1 and len(renders) == 2
    assert c.get(reverse("core:todo") + "?range=30").status_code == 200 and len(renders) == 3  # another horizon
