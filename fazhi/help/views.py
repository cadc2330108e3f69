"""Help pages: one per module, in plain Chinese, with a screenshot of the module's real page."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fazhi.core.access import Access, login_view
from fazhi.help.topics import TOPICS, shot_exists


@login_view
@require_GET
def index(request):
    return render(request, "help/index.html", {"topics": TOPICS.values()})


@login_view
@require_GET
def topic(request, key):
    t = TOPICS.get(key)
    if t is None:
        raise Http404("没有这个帮助主题。")
    return render(request, "help/topic.html", {"t": t, "has_shot": shot_exists(t), "topics": TOPICS.values()})


# For the every-URL walk: a topic is addressed by its key, and every signed-in user may read every topic.
topic.fazhi_access = Access("login", url_kwargs=lambda t: {"key": t.key})
topic.fazhi_sample = lambda township: TOPICS["start"]
