"""The 帮助 link in every page's header points at the help of the module the page belongs to."""

from django.urls import reverse

from fazhi.help.topics import topic_for_namespace


def help_link(request):
    match = getattr(request, "resolver_match", None)
    t = topic_for_namespace(match.namespace if match else "")
    return {"help_url": reverse("help:topic", args=[t.key]) if t else reverse("help:index")}
