"""Whole-page cache for public pages: at most one shared-cache round trip per hit.

Public pages are the same for every visitor (no cookie, no user, the language is in the
path), so they are served before the session, locale and CSRF layers run. A hit is one
``get_many`` of three keys: the global generation, the generation of the page's path, and
the entry, which holds the status, headers and body bytes (already compressed) together with
the two generations it was rendered under; it is served only if both still match. A save
replaces the generation of each path that shows the changed object (``forget_paths``), or the
global one (``forget_all_pages``). Generations are read when a request starts, so a page
rendered before a save is stored under the old ones and never served once the save returns.
A page the saving process renders ahead of publishing (knowaml/pagerefresh.py) waits under
a key of its own generations, leaving the entry visitors are served in place; the first
request under the published generations makes it the entry.
Each process also keeps the entries it served and, told of every new generation by Redis,
serves repeat visits without the round trip (knowaml/localpages.py).

On a miss one request renders while the others asking for the same page wait for its entry,
so a save never sends a crowd of renders to the same page.
"""

import contextlib
import hashlib
import secrets
import time

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_max_age, patch_vary_headers
from django.utils.encoding import iri_to_uri

from . import compression
from .cache import after_lost_writes
from .compression import ENCODINGS, IDENTITY
from .localpages import local_pages

GLOBAL_KEY = "pages:generation"
LOCK_SECONDS = 10
WAIT_SECONDS = 3.0
POLL_SECONDS = 0.02

# Parameters that only tell analytics where a visitor came from: the page is the same.
TRACKING_PARAMETERS = {
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "yclid",
    "igshid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "_ga",
    "_gl",
    "mkt_tok",
    "ref_src",
}
TRACKING_PREFIXES = ("utm_",)


def _one_of(*values):
    return lambda value: value in values


def _page_number(value):
    return value.isdigit() and 0 < len(value) <= 4


def _story_role(value):
    from stories.models import Role

    return value in Role.values


def normalised_search(value):
    return " ".join(value.casefold().split())


# The parameters each page reads (by URL name), and which values make a distinct page. A
# response to any other parameter, or value, is served but not stored.
QUERY_PARAMETERS = {
    "search": {"q": bool, "page": _page_number},
    "stories:list": {"role": _story_role, "page": _page_number},
    "sitemap": {"p": _page_number},
}
EVERY_PAGE_PARAMETERS = {"feedback": _one_of("thanks")}
KNOWN_PARAMETERS = {name for used in QUERY_PARAMETERS.values() for name in used} | {
    *EVERY_PAGE_PARAMETERS
}
NORMALISE = {"q": normalised_search}
SHORT_LIVED = {"search"}


def _digest(text):
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def path_generation_key(path):
    # Requests carry the decoded path (/ar/قصص/), reverse() the percent-encoded one.
    return f"pages:generation:{_digest(iri_to_uri(path))}"


def new_generation():
    return secrets.token_hex(8)


_overrides = Local()


def own_generations():
    """Generations this thread reads instead of the shared ones: those of the pages it is
    rendering before anyone else may see them (knowaml/pagerefresh.py)."""
    return getattr(_overrides, "rendering", None) or {}


@contextlib.contextmanager
def rendering_under(generations):
    """Within it, this thread reads ``generations`` (key: value) instead of the shared ones."""
    before = getattr(_overrides, "rendering", None)
    _overrides.rendering = {**(before or {}), **generations}
    try:
        yield
    finally:
        _overrides.rendering = before


def _told_every_process():
    # This process forgets at once; the others hear it from Redis, which has sent the news
    # by the time it answers a command that follows the writes.
    local = local_pages()
    if local is not None:
        local.forget()
        cache.has_key(GLOBAL_KEY)


@after_lost_writes
def forget_all_pages():
    cache.set(GLOBAL_KEY, new_generation(), None)
    _told_every_process()


def forget_paths(paths):
    """Forget the cached copies of these paths (every query variant and encoding)."""
    paths = set(paths)
    if paths:
        generation = new_generation()
        publish({path_generation_key(path): generation for path in paths})


def publish(generations):
    """Make these path generations (key: value) every process's."""
    cache.set_many(generations, None)
    _told_every_process()


def is_tracking(name):
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


class Page:
    """The cache keys of one request: its generations and its entry in each encoding."""

    def __init__(self, request, query):
        self.path = request.path
        self.query = query
        self.encoding = compression.request_encoding(request)
        language = translation.get_language_from_path(request.path_info)
        self.language = language or settings.LANGUAGE_CODE
        self.path_key = path_generation_key(self.path)
        self.entry_keys = {
            encoding: self._entry_key(encoding) for encoding in (IDENTITY, *ENCODINGS)
        }
        self.keys = [GLOBAL_KEY, self.path_key, self.entry_keys[self.encoding]]
        self.local = local_pages()
        self.mark = None
        self.from_local = False

    def found(self):
        """What the caches hold for this request: this process's copy if still current,
        otherwise one shared-cache round trip."""
        own = own_generations()
        if self.local is not None and not own:
            found, self.mark = self.local.lookup(self.keys[:2], self.keys[2])
            if found is not None:
                self.from_local = True
                return found
        self.from_local = False
        found = cache.get_many(self.keys)
        found.update((key, own[key]) for key in self.keys[:2] if key in own)
        return found

    def keep_locally(self, generations, entry):
        if self.local is not None and not self.from_local and not own_generations():
            known = dict(zip(self.keys[:2], generations, strict=True))
            self.local.remember(self.mark, known, {self.keys[2]: entry})

    @classmethod
    def for_request(cls, request):
        """None when the address has a parameter no page reads: served, never stored."""
        query = []
        for name, values in request.GET.lists():
            if is_tracking(name):
                continue
            if name not in KNOWN_PARAMETERS or len(values) != 1:
                return None
            query.append((name, NORMALISE.get(name, str)(values[0])))
        return cls(request, tuple(sorted(query)))

    def _entry_key(self, encoding):
        return f"pages:entry:{_digest(repr((self.path, self.query, self.language, encoding)))}"

    def ready_key(self, generations, encoding=None):
        """Where a page rendered ahead of a save waits until its generations are published,
        so that it never displaces the entry visitors are still being served."""
        return f"{self.entry_keys[encoding or self.encoding]}:{_digest(repr(generations))}"

    def generations(self, found):
        """The generations this request runs under, or None if one is not set yet."""
        generations = (found.get(GLOBAL_KEY), found.get(self.path_key))
        return None if None in generations else generations

    def cached_response(self, found):
        entry = found.get(self.entry_keys[self.encoding])
        if entry is None or self.generations(found) != entry[0]:
            return None
        self.keep_locally(entry[0], entry)
        return build_response(entry)

    def ready_response(self, generations, found=None):
        """The page rendered ahead of the save that published ``generations``, now made the
        entry everyone is served; None if there is none. (``found``: a ``get_many`` answer
        that asked for it already.)"""
        key = self.ready_key(generations)
        ready = cache.get(key) if found is None else found.get(key)
        if ready is None:
            return None
        seconds, entry = ready
        cache.set(self.entry_keys[self.encoding], entry, seconds)
        self.keep_locally(generations, entry)
        return build_response(entry)

    def lock_key(self, generations):
        return f"pages:lock:{_digest(repr((self.entry_keys[IDENTITY], generations)))}"

    def start_generations(self, found):
        """Set the generations that are missing (new, or evicted) and run under them; None
        if the cache cannot keep them (then the render is served, not stored)."""
        generations = []
        for key in (GLOBAL_KEY, self.path_key):
            value = found.get(key)
            if value is None:
                value = new_generation()
                if not cache.add(key, value, None):
                    value = cache.get(key)  # another request set it first
            generations.append(value)
        return None if None in generations else tuple(generations)

    def is_storable(self, request, response):
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if not compression.is_public(request, response):
            return False
        used = {**EVERY_PAGE_PARAMETERS, **QUERY_PARAMETERS.get(_view_name(request), {})}
        return all(name in used and used[name](value) for name, value in self.query)

    def lifetime(self, request, response):
        seconds = get_max_age(response)
        seconds = settings.PUBLIC_CACHE_SECONDS if seconds is None else seconds
        if _view_name(request) in SHORT_LIVED:
            seconds = min(seconds, settings.PAGE_CACHE_SEARCH_SECONDS)
        return seconds

    def store(self, request, response, generations):
        """Keep the page in every encoding and answer with this request's one."""
        compressible = compression.is_compressible(response)
        if compressible:
            patch_vary_headers(response, ("Accept-Encoding",))
        headers = [(name, value) for name, value in response.items() if name != "Content-Length"]
        body, status = response.content, response.status_code
        entries = {}
        for encoding, key in self.entry_keys.items():
            if compressible and encoding != IDENTITY:
                encoded = compression.compress(body, encoding, stored=True)
                entry = (generations, status, [*headers, ("Content-Encoding", encoding)], encoded)
            else:
                entry = (generations, status, headers, body)
            entries[key] = entry
        seconds = self.lifetime(request, response)
        entry = entries[self.entry_keys[self.encoding]]
        if seconds > 0 and own_generations():
            ready = {
                self.ready_key(generations, encoding): (seconds, entries[key])
                for encoding, key in self.entry_keys.items()
            }
            cache.set_many(ready, seconds)
        elif seconds > 0:
            cache.set_many(entries, seconds)
            self.keep_locally(generations, entry)
        return build_response(entry)


def _view_name(request):
    match = getattr(request, "resolver_match", None)
    return match and match.view_name


def build_response(entry):
    _, status, headers, body = entry
    response = HttpResponse(body, status=status, headers=dict(headers))
    response["Content-Length"] = str(len(body))
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        page = Page.for_request(request)
        if page is None:
            return self.get_response(request)
        request.page_cache_compresses = True
        found = page.found()
        response = page.cached_response(found)
        if response is not None:
            return response
        generations = page.generations(found) or page.start_generations(found)
        if generations is None:
            return self.render(request, page, None)
        if not own_generations():
            response = page.ready_response(generations)
            if response is not None:
                return response
        lock = page.lock_key(generations)
        # A HEAD never stores, so it must not make GETs wait for it.
        if request.method == "HEAD":
            return self.render(request, page, generations)
        if getattr(cache, "available", True) and not cache.add(lock, 1, LOCK_SECONDS):
            response = self.wait(page, lock, generations)
            if response is not None:
                return response
            return self.render(request, page, generations)
        try:
            return self.render(request, page, generations)
        finally:
            cache.delete(lock)

    def wait(self, page, lock, generations):
        """The entry another request is rendering (or the saving process, which leaves it
        under its ready key); None once it gave up or took too long."""
        ready = page.ready_key(generations)
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            found = cache.get_many([*page.keys, lock, ready])
            response = page.cached_response(found) or page.ready_response(generations, found)
            if response is not None or lock not in found:
                return response
        return None

    def render(self, request, page, generations):
        response = self.get_response(request)
        if generations is not None and page.is_storable(request, response):
            return page.store(request, response, generations)
        return compression.compress_public(request, response)
