"""Addresses browsers and search engines ask for: robots.txt and /favicon.ico."""

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse

from .addresses import absolute_url
from .public_views import public_page


@public_page
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@public_page
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin): send the site's."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
