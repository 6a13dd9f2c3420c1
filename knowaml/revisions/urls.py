from django.urls import path

from . import preview

app_name = "revisions"
urlpatterns = [
    path("<int:revision_id>/preview/", preview.preview_view, name="preview"),
    path("<int:revision_id>/page/", preview.page_preview_view, name="page_preview"),
]
