"""After a save commits, the pages it changed that are in the cache are rendered under new
generations by the saving process (in a thread of lower CPU priority, which the save waits
for), and only then are the new generations made every process's: visitors go straight from
the old page to the new one, and no crowd of requests waits on a render. A transaction's
saves are refreshed together, once.

Saves refresh one at a time (a short lock in the shared cache), so a slower refresh that
read the rows before a later save can never publish its pages after that save's. Past
``REFRESH_LIMIT`` pages (a glossary change touches every article), or when the lock is not
had in time, the rest are forgotten and render on their next visit, one request per page.
"""

import io
import logging
import os
import threading
import time
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import connections
from django.utils.encoding import iri_to_uri

from . import fragments, pagecache

logger = logging.getLogger(__name__)
MIDDLEWARE = "knowaml.pagecache.PageCacheMiddleware"
REFRESH_LIMIT = 40
LOCK_KEY = "pages:refreshing"
LOCK_SECONDS = 30
LOCK_WAIT_SECONDS = 10.0
RENDER_SECONDS = 20.0
NICENESS = 10


def is_enabled():
    return MIDDLEWARE in settings.MIDDLEWARE


def environ_for(path):
    """A visitor's GET of ``path`` as the web server would pass it on."""
    site = urlsplit(settings.SITE_URL)
    secure = site.scheme == "https"
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(iri_to_uri(path)).decode("iso-8859-1"),
        "QUERY_STRING": "",
        "SERVER_NAME": site.hostname or "localhost",
        "SERVER_PORT": str(site.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": site.netloc,
        "HTTP_ACCEPT_ENCODING": "br, gzip",
        "wsgi.url_scheme": site.scheme or "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if header and secure:
        environ[header[0]] = header[1]
    return environ


def visited(paths):
    """Those of ``paths`` whose page is in the cache now (others wait for a visitor)."""
    keys = {}
    for path in paths:
        page = pagecache.Page.for_request(WSGIRequest(environ_for(path)))
        if page is not None:
            keys[page.entry_keys[page.encoding]] = path
    found = cache.get_many(list(keys))
    return sorted(path for key, path in keys.items() if key in found)


def _render(handler, path):
    request = WSGIRequest(environ_for(path))
    with fragments.request_scope(request.path):
        # get_response, not the handler's __call__: no request_started / finished, which
        # would close the saving request's database connection.
        handler.get_response(request)


def _take_lock():
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while not cache.add(LOCK_KEY, 1, LOCK_SECONDS):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def refresh(paths):
    """Render ``paths`` under new generations, then publish those (see the module doc)."""
    if not paths:
        return
    if not is_enabled() or pagecache.own_generations() or not _take_lock():
        pagecache.forget_paths(paths)
        return
    generation = pagecache.new_generation()
    generations = {pagecache.path_generation_key(path): generation for path in paths}
    try:
        # In a thread of lower priority: the save waits for it, visitors' requests do not.
        worker = threading.Thread(target=_render_all, args=(paths, generations), daemon=True)
        worker.start()
        worker.join(RENDER_SECONDS)
    finally:
        pagecache.publish(generations)  # whatever happened there, the old pages are gone
        cache.delete(LOCK_KEY)


def _render_all(paths, generations):
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
    except (AttributeError, OSError):
        pass
    try:
        handler = WSGIHandler()
        with pagecache.rendering_under(generations):
            for path in visited(paths)[:REFRESH_LIMIT]:
                _render(handler, path)
    except Exception:
        logger.exception("Re-rendering the changed pages failed; they render on next visit")
    finally:
        connections.close_all()  # this thread's own
