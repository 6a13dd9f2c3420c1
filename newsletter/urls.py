from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "newsletter"
urlpatterns = [
    path("", views.signup, name="signup"),
    path(format_lazy("{}<str:token>/", _("confirm/")), views.confirm, name="confirm"),
    path(format_lazy("{}<str:token>/", _("preferences/")), views.preferences, name="preferences"),
]
