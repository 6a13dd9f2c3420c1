"""Whole-page cache for public pages, emptied whenever content changes.

Public pages are the same for every visitor (no cookie, no user, the language is in the
path), so Django's cache middleware can serve them before the session, locale and CSRF
layers run. The key prefix carries a content version that any save or delete in the
content apps bumps, so editors see their change at once instead of after max-age. The
prefix is fixed when a request starts, so a page rendered before a save is never stored
under the new version.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils import translation

VERSION_KEY = "pages:content-version"
_prefix = ContextVar("page_cache_prefix", default="")


def content_version():
    return cache.get_or_set(VERSION_KEY, 1, None)


def forget_all_pages():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def forget_paths(paths):
    """Forget the cached copies of these paths (every query variant and encoding)."""
    if paths:
        forget_all_pages()


class _VersionedPrefix:
    @property
    def key_prefix(self):
        return _prefix.get()

    @key_prefix.setter
    def key_prefix(self, value):
        """Django's __init__ sets a fixed prefix; the versioned one replaces it."""


class UpdatePageCacheMiddleware(_VersionedPrefix, UpdateCacheMiddleware):
    pass


class FetchPageCacheMiddleware(_VersionedPrefix, FetchFromCacheMiddleware):
    def process_request(self, request):
        _prefix.set(f"pages.v{content_version()}")
        # The key includes the language; LocaleMiddleware has not run yet, so take it from
        # the path, as it will, rather than from whatever this thread served last.
        language = translation.get_language_from_path(request.path_info)
        request.LANGUAGE_CODE = language or settings.LANGUAGE_CODE
        return super().process_request(request)
