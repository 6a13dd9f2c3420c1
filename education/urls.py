from django.urls import path

import knowaml.converters  # noqa: F401  (registers the "uslug" path converter)

from . import views

app_name = "education"
urlpatterns = [
    path("", views.home, name="home"),
    path("<uslug:section>/", views.SectionView.as_view(), name="section"),
    path("<uslug:section>/<uslug:article>/", views.ArticleView.as_view(), name="article"),
]
