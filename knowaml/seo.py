"""Addresses for search engines: the sitemap index of every app, and robots.txt."""

from django.http import HttpResponse
from django.urls import reverse

from .addresses import absolute_url
from .pages import make_public


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return make_public(HttpResponse("\n".join(lines) + "\n", content_type="text/plain"))
