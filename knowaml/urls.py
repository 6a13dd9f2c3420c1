from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from education import sitemaps as education_sitemaps
from education.glossary import glossary_index
from newsletter.views import one_click_unsubscribe
from stories import sitemaps as stories_sitemaps

from . import errors, health, seo
from .search.views import search
from .sitemaps import NamedPagesSitemap
from .translations.landing import translator_landing

admin.site.site_header = _("Know AML editors")
admin.site.site_title = _("Know AML admin")
admin.site.index_title = _("Content, translations and newsletter")
admin.site.site_url = "/en/"

handler404 = errors.page_not_found
handler500 = errors.server_error

SITEMAPS = {
    "home": education_sitemaps.HomeSitemap,
    "sections": education_sitemaps.SectionSitemap,
    "articles": education_sitemaps.ArticleSitemap,
    "pages": education_sitemaps.PageSitemap,
    "stories": stories_sitemaps.StoryListSitemap,
    "story": stories_sitemaps.StorySitemap,
    "glossary": NamedPagesSitemap("glossary"),
    "newsletter": NamedPagesSitemap("newsletter:signup"),
}

urlpatterns = [
    path("health/", health.health, name="health"),
    path("admin/", translator_landing, name="admin_landing"),
    path("admin/translations/", include("knowaml.translations.urls")),
    path("admin/revisions/", include("knowaml.revisions.urls")),
    path("admin/", admin.site.urls),
    # RFC 8058 one-click unsubscribe: outside the language prefix, so a POST is never
    # redirected.
    path(
        "newsletter/unsubscribe/<str:token>/",
        one_click_unsubscribe,
        name="newsletter-unsubscribe",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("favicon.ico", seo.favicon, name="favicon"),
]

urlpatterns += i18n_patterns(
    path(_("stories/"), include("stories.urls")),
    path(_("newsletter/"), include("newsletter.urls")),
    path(_("feedback/"), include("knowaml.feedback.urls")),
    path(_("glossary/"), glossary_index, name="glossary"),
    path(_("search/"), search, name="search"),
    path("", include("education.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns.insert(
        0,
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    )
