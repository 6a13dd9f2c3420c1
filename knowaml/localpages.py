"""Each process's own copy of the pages it serves, kept honest by Redis.

A page-cache hit that asks Redis costs a network round trip, and on a busy machine that
round trip is most of its price. So each process keeps the entries it served, with the
generations they were stored under, and Redis tells it when a generation changes: one
connection per process is registered for Redis's client-side caching in broadcast mode
(``CLIENT TRACKING ON BCAST``, RESP3) on the generation keys. Before every request the
process reads that connection without waiting; any news forgets every generation it knows
(which key changed does not matter: saves are rare), so the next request for each page asks
Redis again. Redis queues the news before it answers the save, and a save waits for one
more reply after its writes (``pagecache.forget_paths``), so the news is on every
process's connection by the time the save returns.

Nothing is trusted longer than ``PAGE_CACHE_LOCAL_SECONDS``, and nothing at all while the
connection that carries the news is down: then every hit asks Redis, as before.
"""

import collections
import os
import socket
import threading
import time
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.dispatch import receiver
from django.test.signals import setting_changed

RETRY_SECONDS = 5.0
READY = b"knowaml-tracking-ready"
MAX_GENERATIONS = 20_000


def _command(*words):
    parts = [f"*{len(words)}\r\n".encode()]
    for word in words:
        data = word if isinstance(word, bytes) else str(word).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class TrackingError(Exception):
    pass


class Tracker:
    """A connection on which Redis announces every change to keys starting with ``prefix``."""

    def __init__(self, url, prefix, timeout):
        self.url, self.prefix, self.timeout = url, prefix, timeout
        self.sock = None

    def _open(self):
        parts = urlsplit(self.url)
        if parts.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            sock.connect(parts.path)
        elif parts.scheme == "redis":
            address = (parts.hostname or "127.0.0.1", parts.port or 6379)
            sock = socket.create_connection(address, timeout=self.timeout)
        else:  # rediss:// and the like: no local copies, every hit asks Redis
            raise TrackingError(f"no client-side caching over {parts.scheme}://")
        return sock, parts

    def connect(self):
        sock, parts = self._open()
        try:
            hello = ["HELLO", "3"]
            if parts.password is not None:
                hello += ["AUTH", unquote(parts.username or "default"), unquote(parts.password)]
            tracking = ["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self.prefix]
            sock.sendall(_command(*hello) + _command(*tracking) + _command("PING", READY))
            received = b""
            marker = b"$%d\r\n%s\r\n" % (len(READY), READY)
            while marker not in received:
                data = sock.recv(65536)
                if not data:
                    raise TrackingError("Redis closed the connection")
                received += data
            answers, _, _ = received.partition(marker)
            if answers.startswith(b"-") or b"\r\n-" in answers or b"+OK\r\n" not in answers:
                raise TrackingError(answers[:200].decode(errors="replace"))
            sock.setblocking(False)
        except BaseException:
            sock.close()
            raise
        # Whatever followed the marker is news about keys read before any was kept: ignored.
        self.sock = sock

    def news(self):
        """True if Redis announced a change since the last call; raises once disconnected."""
        heard = False
        while True:
            try:
                data = self.sock.recv(262144)
            except BlockingIOError:
                return heard
            if not data:
                raise ConnectionError("Redis closed the tracking connection")
            heard = True

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class LocalPages:
    """Entries (least recently used first) and the generations they were found under."""

    def __init__(self, tracker):
        self.tracker = tracker
        self.lock = threading.Lock()
        self.pid = os.getpid()
        self.connected = False
        self.retry_at = 0.0
        self.changes = 0
        self.generations = {}
        self.entries = collections.OrderedDict()
        self.size = 0

    def _clear(self):
        self.generations.clear()
        self.entries.clear()
        self.size = 0
        self.changes += 1

    def _ready(self):
        """Hear Redis's news (under the lock); False while the news cannot be heard."""
        if os.getpid() != self.pid:  # a forked child must not read its parent's connection
            self.pid, self.connected, self.tracker.sock = os.getpid(), False, None
            self._clear()
        if not self.connected:
            if time.monotonic() < self.retry_at:
                return False
            try:
                self.tracker.connect()
            except (OSError, TrackingError):
                self.retry_at = time.monotonic() + RETRY_SECONDS
                return False
            self.connected = True
            self._clear()
            return True
        try:
            if self.tracker.news():
                self.generations.clear()
                self.changes += 1
        except OSError:
            self.tracker.close()
            self.connected = False
            self.retry_at = time.monotonic() + 1.0
            self._clear()
            return False
        return True

    def lookup(self, generation_keys, entry_key):
        """(found, mark): ``found`` as ``cache.get_many`` would answer, or None; ``mark`` is
        given back to ``remember`` so that what was read before any news is not kept."""
        with self.lock:
            if not self._ready():
                return None, None
            mark = self.changes
            oldest = time.monotonic() - settings.PAGE_CACHE_LOCAL_SECONDS
            found = {}
            for key in generation_keys:
                known = self.generations.get(key)
                if known is None or known[1] < oldest:
                    return None, mark
                found[key] = known[0]
            entry = self.entries.get(entry_key)
            if entry is None:
                return None, mark
            if entry[0] != tuple(found[key] for key in generation_keys):
                # Stored under generations since replaced: ask Redis, which may hold a newer one.
                self.size -= len(self.entries.pop(entry_key)[3]) + 512
                return None, mark
            self.entries.move_to_end(entry_key)
            found[entry_key] = entry
            return found, mark

    def remember(self, mark, generations, entries):
        with self.lock:
            if mark is None or not self._ready() or self.changes != mark:
                return
            limit = settings.PAGE_CACHE_LOCAL_BYTES
            if len(self.generations) > MAX_GENERATIONS:
                self.generations.clear()
            now = time.monotonic()
            for key, value in generations.items():
                self.generations[key] = (value, now)
            for key, entry in entries.items():
                size = len(entry[3]) + 512
                if size > limit:
                    continue
                if key in self.entries:
                    self.size -= len(self.entries.pop(key)[3]) + 512
                self.entries[key] = entry
                self.size += size
            while self.size > limit and self.entries:
                _, evicted = self.entries.popitem(last=False)
                self.size -= len(evicted[3]) + 512

    def forget(self):
        """This process's own save: forget at once, whenever Redis's news arrives."""
        with self.lock:
            self.generations.clear()
            self.changes += 1


_local = None
_configured = False


def local_pages():
    """This process's LocalPages, or None (no Redis, or turned off)."""
    global _local, _configured
    if not _configured:
        _configured = True
        _local = _build()
    return _local


def forget_here():
    """This process emptied or changed the shared cache itself: forget at once."""
    if _local is not None:
        _local.forget()


def _build():
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if settings.PAGE_CACHE_LOCAL_BYTES <= 0 or not isinstance(cache, RedisCache):
        return None
    url = cache._servers[0]
    timeout = cache._options.get("socket_connect_timeout", 0.25)
    prefix = cache.make_key("pages:generation")
    return LocalPages(Tracker(url, prefix, timeout))


@receiver(setting_changed)
def reset(setting=None, **kwargs):
    """Forget the configuration (tests that switch caches or settings)."""
    global _local, _configured
    if setting not in (None, "CACHES", "PAGE_CACHE_LOCAL_BYTES"):
        return
    if _local is not None:
        _local.tracker.close()
    _local, _configured = None, False
