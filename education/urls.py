from django.urls import path, register_converter

from knowaml.converters import UnicodeSlugConverter

from . import views

register_converter(UnicodeSlugConverter, "uslug")

app_name = "education"
urlpatterns = [
    path("", views.home, name="home"),
    path("<uslug:section>/", views.section_or_page, name="section"),
    path("<uslug:section>/<uslug:article>/", views.article, name="article"),
]
