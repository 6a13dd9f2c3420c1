from django.contrib import admin
from django.urls import path

from . import views

app_name = "translations"
urlpatterns = [
    path("", admin.site.admin_view(views.dashboard), name="dashboard"),
    path("<str:language>/export/", admin.site.admin_view(views.export), name="export"),
    path("<str:language>/import/", admin.site.admin_view(views.import_view), name="import"),
]
