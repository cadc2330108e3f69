from django.urls import path

from fazhi.disclosure import views, views_requests

app_name = "disclosure"
urlpatterns = [
    path("", views.items, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/status/", views.item_status, name="item_status"),
    path("items/<int:pk>/attachments/", views.item_attach, name="item_attach"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("categories/", views.categories, name="categories"),
    path("settings/", views.settings_page, name="settings"),
    path("requests/", views_requests.requests, name="requests"),
    path("requests/overdue/", views_requests.overdue, name="overdue"),
    path("requests/new/", views_requests.request_new, name="request_new"),
    path("requests/<int:pk>/", views_requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/act/", views_requests.request_act, name="request_act"),
    path("requests/<int:pk>/reply.docx", views_requests.request_reply_docx, name="request_reply"),
    path("requests/<int:pk>/notice.docx", views_requests.request_notice_docx, name="request_notice"),
    path("annual/", views_requests.annual, name="annual"),
]
