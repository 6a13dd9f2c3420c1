"""Addresses for search engines: the sitemap index of every app, and robots.txt."""

from django.http import HttpResponse
from django.urls import reverse

from .pages import make_public


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return make_public(HttpResponse("\n".join(lines) + "\n", content_type="text/plain"))
