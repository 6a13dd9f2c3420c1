from django.urls import path, register_converter

from knowaml.converters import UnicodeSlugConverter

from . import views

register_converter(UnicodeSlugConverter, "uslug")

app_name = "education"
urlpatterns = [
    path("", views.home, name="home"),
    path("<uslug:section>/", views.SectionView.as_view(), name="section"),
    path("<uslug:section>/<uslug:article>/", views.ArticleView.as_view(), name="article"),
]
