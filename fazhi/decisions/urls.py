from django.urls import path

from fazhi.decisions.views import counsel, decision, discussion, litigation, public, stats
from fazhi.decisions.workflow import DECISION_FLOW, LITIGATION_FLOW, OPINION_FLOW

app_name = "decisions"
urlpatterns = [
    path("", decision.decision_list, name="list"),
    path("new/", decision.decision_create, name="create"),
    path("<int:pk>/", decision.decision_detail, name="detail"),
    path("<int:pk>/edit/", decision.decision_edit, name="edit"),
    path("<int:pk>/consultation/", decision.decision_consultation, name="consultation"),
    path("<int:pk>/review/", decision.decision_review, name="review"),
    path("<int:pk>/comments/", decision.decision_comments, name="comments"),
    path("<int:pk>/archive.zip", decision.decision_archive, name="archive"),
    path("<int:pk>/discussion/new/", discussion.discussion_create, name="discussion_create"),
    path("comments/<int:pk>/moderate/", decision.comment_moderate, name="comment_moderate"),
    path("files/<int:pk>/", decision.attachment_download, name="attachment"),
    path("discussions/<int:pk>/", discussion.discussion_detail, name="discussion_detail"),
    path("discussions/<int:pk>/action/", discussion.discussion_action, name="discussion_action"),
    path("discussions/<int:pk>/minutes.docx", discussion.discussion_minutes, name="discussion_minutes"),
    path("catalogues/", decision.catalogue_list, name="catalogues"),
    path("catalogues/<int:pk>/", decision.catalogue_detail, name="catalogue_detail"),
    path("settings/", decision.settings_edit, name="settings"),
    path("stats/", stats.annual, name="stats"),
    path("counsel/", counsel.counsel_list, name="counsel_list"),
    path("counsel/new/", counsel.counsel_create, name="counsel_create"),
    path("counsel/<int:pk>/edit/", counsel.counsel_edit, name="counsel_edit"),
    path("opinions/", counsel.opinion_list, name="opinions"),
    path("opinions/new/", counsel.opinion_create, name="opinion_create"),
    path("opinions/<int:pk>/", counsel.opinion_detail, name="opinion_detail"),
    *OPINION_FLOW.urls("opinions/"),  # opinions/<pk>/answer/, withdraw/
    path("litigation/", litigation.litigation_list, name="litigation_list"),
    path("litigation/new/", litigation.litigation_create, name="litigation_create"),
    path("litigation/<int:pk>/", litigation.litigation_detail, name="litigation_detail"),
    path("litigation/<int:pk>/edit/", litigation.litigation_edit, name="litigation_edit"),
    *LITIGATION_FLOW.urls("litigation/"),  # litigation/<pk>/answer/, close/
    *DECISION_FLOW.urls(),  # <pk>/<step>/: participation/ … implementation/, skip_<step>/, terminate/
    path("consultations/", public.consultations, name="consultations"),
]
