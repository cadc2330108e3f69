from django.urls import path

from fazhi.disclosure.views import annual, catalogue, items, requests
from fazhi.disclosure.workflow.items import ITEM_FLOW
from fazhi.disclosure.workflow.requests import REQUEST_FLOW

app_name = "disclosure"
urlpatterns = [
    path("", items.items, name="items"),
    path("items/new/", items.item_new, name="item_new"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    *ITEM_FLOW.urls("items/"),  # items/<pk>/publish|schedule|draft|unpublish/ → disclosure:item_<step>
    path("items/<int:pk>/attachments/", items.item_attach, name="item_attach"),
    path("attachments/<int:pk>/", items.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", items.attachment_delete, name="attachment_delete"),
    path("categories/", catalogue.categories, name="categories"),
    path("settings/", catalogue.settings_page, name="settings"),
    path("requests/", requests.requests, name="requests"),
    path("requests/overdue/", requests.overdue, name="overdue"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    *REQUEST_FLOW.urls("requests/"),  # requests/<pk>/confirm|correction|…|withdraw/ → disclosure:request_<step>
    path("requests/<int:pk>/reply.docx", requests.request_reply_docx, name="request_reply"),
    path("requests/<int:pk>/notice.docx", requests.request_notice_docx, name="request_notice"),
    path("annual/", annual.annual, name="annual"),
]
