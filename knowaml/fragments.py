"""Data and HTML every page shows (navigation, latest story, glossary, menus, forms), cached.

Each ``LanguageFragment`` has a version in the shared cache; saving or deleting any of its
sources bumps it, so every language's copy is rebuilt on next use, in every process. A
request reads all versions at once, in one cache round trip, the first time it needs one;
each process keeps what it built or fetched in its own memory, valid for as long as the
versions it was built with, so a render usually costs no other round trip and no
unpickling. Emptying the shared cache (or losing it) changes every version, so no process
keeps a copy from before.
"""

import contextlib
import functools
import time

from asgiref.local import Local
from django.core.cache import cache
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.test.signals import setting_changed
from django.utils import translation
from django.utils.autoreload import file_changed

from . import pagecache
from .cache import after_lost_writes

EPOCH_KEY = "fragments:epoch"
LOCAL_ENTRIES = 5000
# A dependency on the page's own address: what an edit forgets of the page cache (one page
# in every language, its section, home…) it forgets here too, and nothing else.
THIS_PAGE = "this page"

_fragments = {}
_request = Local()


def _new_version():
    # Unique even after the shared cache lost the key: never the number of an older copy.
    return time.time_ns()


def _read_versions(keys):
    found = cache.get_many(keys)
    own = pagecache.own_generations()
    found.update((key, own[key]) for key in keys if key in own)
    for key in keys:
        if key not in found:
            version = _new_version()
            found[key] = version if cache.add(key, version, None) else cache.get(key, version)
    return found


@after_lost_writes
def forget_everything():
    """A new epoch: every fragment in every process is rebuilt (after a restore)."""
    cache.set(EPOCH_KEY, _new_version(), None)


@functools.lru_cache(maxsize=4096)
def _page_keys(path):
    return (pagecache.GLOBAL_KEY, pagecache.path_generation_key(path))


def versions(path=None):
    """Every fragment's version and the epoch (and the generations of ``path``'s page, or of
    the request's own), read once per request."""
    keys = [EPOCH_KEY, *(fragment.version_key for fragment in _fragments.values())]
    own = getattr(_request, "path", None)
    for address in {path, own} - {None}:
        keys += _page_keys(address)
    memo = getattr(_request, "versions", None)
    if memo is None:  # outside a request (a task, the shell): always ask the shared cache
        return _read_versions(keys)
    missing = [key for key in keys if key not in memo]
    if missing:
        memo.update(_read_versions(missing))
    return memo


def _request_path(environ):
    # request.path, as WSGIRequest builds it, before the request object exists.
    script_name = get_script_name(environ)
    return f"{script_name.rstrip('/')}/{get_path_info(environ).replace('/', '', 1)}"


def _start_request(environ=None, **kwargs):
    _request.versions = {}
    _request.path = _request_path(environ) if environ is not None else None


def _end_request(**kwargs):
    _request.versions = None
    _request.path = None


@contextlib.contextmanager
def request_scope(path):
    """Versions read afresh for a request made inside another (a page re-rendered on save)."""
    before = getattr(_request, "versions", None), getattr(_request, "path", None)
    _request.versions, _request.path = {}, path
    try:
        yield
    finally:
        _request.versions, _request.path = before


request_started.connect(_start_request, dispatch_uid="fragments-request-started")
request_finished.connect(_end_request, dispatch_uid="fragments-request-finished")


class LocalStore:
    """What this process built, by key; the key holds every version it depends on."""

    def __init__(self, size=LOCAL_ENTRIES):
        self.size = size
        self.entries = {}

    def get(self, key):
        return self.entries.get(key)

    def set(self, key, value):
        if len(self.entries) >= self.size:
            self.entries.clear()  # rare: only after many pages, languages or edits
        self.entries[key] = value

    def clear(self, **kwargs):
        self.entries.clear()


local = LocalStore()
# Tests change settings; the development server changes templates and translations.
setting_changed.connect(local.clear, dispatch_uid="fragments-settings")
file_changed.connect(local.clear, dispatch_uid="fragments-files")


class Versioned:
    """A version in the shared cache, bumped whenever one of ``sources`` is saved or deleted."""

    def __init__(self, name, sources):
        self.name = name
        self.version_key = f"{name}:version"
        _fragments[name] = self
        for model in sources:
            for signal in (post_save, post_delete):
                signal.connect(
                    self.forget, sender=model, dispatch_uid=f"{name}-{model._meta.label}"
                )

    def version(self):
        """A value that changes whenever a source is saved or deleted, or the cache empties."""
        current = versions()
        return f"{current[EPOCH_KEY]}.{current[self.version_key]}"

    def forget(self, using=None, **kwargs):
        self.bump()
        # A render in another process between this save and its commit reads the old rows
        # under the new version; bumping again on commit drops what it kept.
        transaction.on_commit(self.bump, using=using)

    def bump(self):
        try:
            cache.incr(self.version_key)
        except ValueError:
            cache.set(self.version_key, _new_version(), None)
        memo = getattr(_request, "versions", None)
        if memo is not None:
            memo.pop(self.version_key, None)  # the rest of this request sees the change


class LanguageFragment(Versioned):
    """Data built per language from some models. Callers must not change what they get."""

    def __init__(self, name, build, sources, timeout=60 * 60 * 24):
        super().__init__(name, sources)
        self.build = build
        self.timeout = timeout

    def get(self, language=None):
        language = language or translation.get_language()
        version = self.version()
        kept = local.get((self.name, language))
        if kept is not None and kept[0] == version:
            return kept[1]
        key = f"{self.name}:{language}:{version}"
        data = cache.get(key)
        if data is None:
            data = self.build(language)
            cache.set(key, data, self.timeout)
        local.set((self.name, language), (version, data))
        return data


def kept(parts, depends, build, path=None):
    """``build()``, kept in this process per ``parts``, language and ``depends`` versions.

    ``THIS_PAGE`` among ``depends`` keeps it for as long as the page cache would keep the
    page at ``path`` (without a path, it is built every time). For what is cheap to keep and
    costly to build (HTML, lists of objects shown); callers must not change what they get.
    """
    if THIS_PAGE in depends and path is None:
        return build()
    current = versions(path)
    key = (
        translation.get_language(),
        current[EPOCH_KEY],
        *parts,
        *(current[_fragments[name].version_key] for name in depends if name != THIS_PAGE),
    )
    if THIS_PAGE in depends:
        key += tuple(current[name] for name in _page_keys(path))
    value = local.get(key)
    if value is None:
        value = build()
        local.set(key, value)
    return value


def rendered(parts, depends, render, path=None):
    """HTML from ``render()``, kept per ``parts``, language and the ``depends`` versions."""
    return kept(("html", *parts), depends, render, path)
