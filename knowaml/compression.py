"""Brotli or gzip for public pages, chosen by ``Accept-Encoding``.

Only responses that are the same for every visitor are compressed: a page carrying a secret
(a CSRF token, a session, a newsletter token, the admin) next to text an attacker can inject
would let compression leak that secret through the response size (BREACH).
"""

import gzip

import brotli
from django.utils.cache import patch_vary_headers

from .tidyhtml import tidy_html

ENCODINGS = ("br", "gzip")
IDENTITY = "identity"
# Smaller bodies gain less than the header costs.
MIN_SIZE = 256
COMPRESSIBLE_TYPES = ("text/", "application/xml", "application/rss+xml", "application/json")
# Measured on the 22 KB Relapse page: quality 4 takes about 0.6 ms (6.3 KB), 5 about 0.7 ms
# (6.0 KB), 10 about 12 ms (5.4 KB), 11 about 35 ms (5.3 KB). A page compressed on every
# response (a render the page cache does not keep) gets 4; one the page cache stores, 10: a
# save re-renders its pages before publishing them, and 11 would triple that work for 2 %.
BROTLI_QUALITY = 4
BROTLI_QUALITY_STORED = 10
GZIP_LEVEL = 9
# The admin, and the unprefixed addresses that carry a newsletter token.
PRIVATE_PATHS = ("/admin/", "/newsletter/")


def tidy_public(request, response):
    """Public HTML without its template indentation: smaller, compressed or not."""
    if (
        not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and is_public(request, response)
    ):
        response.content = tidy_html(response.content)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))


def accepted_encoding(header):
    """``br``, ``gzip`` or ``identity``: the best encoding this Accept-Encoding allows."""
    accepted = {}
    for part in (header or "").lower().split(","):
        name, _, params = part.partition(";")
        name = name.strip()
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name:
            accepted[name] = quality
    for encoding in ENCODINGS:
        if accepted.get(encoding, accepted.get("*", 0.0)) > 0:
            return encoding
    return IDENTITY


def request_encoding(request):
    return accepted_encoding(request.META.get("HTTP_ACCEPT_ENCODING"))


def is_public(request, response):
    """A response that any shared cache may keep: no cookie, no token, nothing private."""
    if request.path.startswith(PRIVATE_PATHS):
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = {
        part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",")
    }
    if "public" not in cache_control or cache_control & {"private", "no-store", "no-cache"}:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    return not vary & {"cookie", "*", "authorization"}


def is_compressible(response):
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES)
        and len(response.content) >= MIN_SIZE
    )


def compress(body, encoding, stored=False):
    if encoding == "br":
        quality = BROTLI_QUALITY_STORED if stored else BROTLI_QUALITY
        return brotli.compress(body, mode=brotli.MODE_TEXT, quality=quality)
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    return body


def encode_response(response, encoding):
    patch_vary_headers(response, ("Accept-Encoding",))
    if encoding == IDENTITY:
        return response
    response.content = compress(response.content, encoding)
    response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(response.content))
    return response


def compress_public(request, response):
    if is_compressible(response) and is_public(request, response):
        return encode_response(response, request_encoding(request))
    return response


class CompressionMiddleware:
    """Tidies public pages, and compresses them on every request unless the page cache
    compresses them once instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        tidy_public(request, response)
        if getattr(request, "page_cache_compresses", False):
            return response
        return compress_public(request, response)
