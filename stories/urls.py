from django.urls import path

import knowaml.converters  # noqa: F401  (registers the "uslug" path converter)

from . import views

app_name = "stories"
urlpatterns = [
    path("", views.story_list, name="list"),
    path("atom.xml", views.feed, name="feed"),
    path("<uslug:slug>/", views.StoryView.as_view(), name="detail"),
]
