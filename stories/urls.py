from django.urls import path, register_converter

from knowaml.converters import UnicodeSlugConverter

from . import views

# A name of our own: education registers "uslug", and a name can be registered only once.
register_converter(UnicodeSlugConverter, "storyslug")

app_name = "stories"
urlpatterns = [
    path("", views.story_list, name="list"),
    path("atom.xml", views.feed, name="feed"),
    path("<storyslug:slug>/", views.StoryView.as_view(), name="detail"),
]
