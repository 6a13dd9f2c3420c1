"""Public forms that carry no CSRF token accept POSTs from this site only.

The newsletter and feedback boxes sit on cached, cookie-free pages, so they cannot carry
Django's CSRF token; their views are ``csrf_exempt`` and wrapped in ``same_site_post`` instead.
Browsers send ``Origin`` with every POST (``null`` when they hide where it comes from), so a
form on another site cannot post here unnoticed. A request with neither ``Origin`` nor
``Referer`` therefore does not come from a form on another site but from a program or a
privacy tool that strips both; a program could send any header it liked, so refusing it would
protect nothing. It passes, and the rate limits, honeypot and validation behind the check apply.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.shortcuts import render
from django.utils.http import is_same_domain

from .public_views import named_page_context

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def origin_of(url):
    """``scheme://host[:port]`` of an address, lower-cased; "" when it has none."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def request_source(request):
    """Where the browser says the POST comes from: ``Origin``, else ``Referer``; None if neither."""
    origin = request.headers.get("Origin")
    if origin:
        return origin.strip().lower()  # "null" stays "null", which matches nothing
    referer = request.headers.get("Referer")
    return origin_of(referer) if referer else None


def is_trusted(request, origin):
    own = set()
    try:
        own.add(f"{request.scheme}://{request.get_host()}".lower())
    except DisallowedHost:
        pass
    own.add(origin_of(settings.SITE_URL))
    trusted = getattr(settings, "CSRF_TRUSTED_ORIGINS", [])
    own.update(origin_of(entry) for entry in trusted if "*" not in entry)
    if origin in own - {""}:
        return True
    # Like Django's CSRF check: "https://*.example.com" trusts every subdomain over https.
    parts = urlsplit(origin)
    return any(
        is_same_domain(parts.netloc, pattern.netloc.lstrip("*"))
        for pattern in (urlsplit(entry.lower()) for entry in trusted if "*" in entry)
        if pattern.scheme == parts.scheme
    )


def is_same_site(request):
    source = request_source(request)
    return source is None or is_trusted(request, source)


def same_site_post(view=None, *, template_name="not_same_site.html", page="education:home"):
    """Refuse a POST sent from another site with a 403 page, before the view stores anything.

    ``template_name`` is that page and ``page`` the URL name its language links point to.
    """

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method in SAFE_METHODS or is_same_site(request):
                return view(request, *args, **kwargs)
            context = named_page_context(page)
            context["canonical_url"] = None
            response = render(request, template_name, context, status=403)
            response["Cache-Control"] = "no-store"
            return response

        guarded.same_site_only = True
        return guarded

    return decorator(view) if view is not None else decorator
