from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from . import errors

handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    # stories: path(_("stories/"), include("stories.urls")),
    # newsletter: path(_("newsletter/"), include("newsletter.urls")),
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
