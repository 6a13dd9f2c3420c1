"""Each process serves repeat visits from its own memory, and Redis's news keeps it honest:
a change made anywhere is never served stale by any process."""

import os
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import cache, caches
from django.test import Client, override_settings

from knowaml.cache import ResilientRedisCache
from knowaml.localpages import LocalPages, local_pages

from .conftest import html
from .test_page_cache import WITH_PAGE_CACHE

URL = "/en/understanding-aml/relapse/"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    # Under pytest-xdist a private server: Redis tells every tracking connection when any
    # database is emptied, and the other worker empties its own before each test.
    if os.environ.get("REDIS_URL") and not os.environ.get("PYTEST_XDIST_WORKER"):
        yield os.environ["REDIS_URL"]
        return
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs redis-server")
        pytest.skip("needs Redis: `make services`, or apt-get install redis-server")
    port = free_port()
    argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)  # noqa: S603
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/1"
    process.terminate()
    process.wait(10)


@pytest.fixture
def site(redis_url, db, monkeypatch):
    caches = {
        "default": {
            "BACKEND": "knowaml.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            # Redis announces changes by key prefix, across databases: one per worker.
            "KEY_PREFIX": f"local-pages-test-{os.environ.get('PYTEST_XDIST_WORKER', '')}",
        }
    }
    # Trusted long enough for a slow, busy test machine; one test shortens it on purpose.
    with override_settings(CACHES=caches, MIDDLEWARE=WITH_PAGE_CACHE, PAGE_CACHE_LOCAL_SECONDS=30):
        cache.clear()
        asked = []
        ask_redis = ResilientRedisCache.get_many

        def counted(self, keys, version=None):
            asked.append(keys)
            return ask_redis(self, keys, version)

        monkeypatch.setattr(ResilientRedisCache, "get_many", counted)
        client = Client()
        client.asked_redis = asked
        yield client
        cache.clear()


def visit(client):
    client.asked_redis.clear()
    response = client.get(URL, headers={"accept-encoding": "identity"})
    assert response.status_code == 200
    return html(response).h1.get_text(), bool(client.asked_redis)


def warm(site):
    """Visits until this process keeps the page: the first one writes generations to Redis,
    whose news of that write may reach the process only after it (later on a busy machine,
    such as two test workers on two cores)."""
    first = visit(site)
    for _ in range(40):
        time.sleep(0.05)
        if not visit(site)[1]:
            break
    return first


def test_a_repeat_visit_costs_no_round_trip_to_redis(site, relapse):
    assert local_pages() is not None
    assert warm(site) == ("Relapse", True)
    assert visit(site) == ("Relapse", False)
    assert visit(site) == ("Relapse", False)


def saved_elsewhere(article, monkeypatch):
    """A save as another process makes it: this process hears of it only from Redis."""
    with monkeypatch.context() as patch:
        patch.setattr(LocalPages, "forget", lambda self: None)
        article.title_en = "When AML comes back"
        article.save()


def test_a_change_announced_by_another_process_is_never_served_stale(site, relapse, monkeypatch):
    warm(site)
    assert visit(site) == ("Relapse", False)
    saved_elsewhere(relapse, monkeypatch)
    assert visit(site) == ("When AML comes back", True)
    time.sleep(0.05)
    assert visit(site) == ("When AML comes back", False)


def test_this_process_forgets_its_copies_when_it_saves(site, relapse):
    warm(site)
    relapse.title_en = "Relapse of AML"
    relapse.save()
    assert visit(site) == ("Relapse of AML", True)


def test_copies_are_trusted_a_short_time_only(site, relapse, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0.2
    warm(site)
    assert visit(site) == ("Relapse", False)
    time.sleep(0.3)
    assert visit(site) == ("Relapse", True)


def test_while_the_news_cannot_be_heard_every_visit_asks_redis(
    site, relapse, redis_url, monkeypatch
):
    warm(site)
    assert visit(site) == ("Relapse", False)
    admin = redis.Redis.from_url(redis_url)
    trackers = [c for c in admin.client_list() if "t" in c["flags"]]
    assert trackers, "the process listens for Redis's news"
    for tracker in trackers:
        admin.client_kill_filter(_id=tracker["id"])
    saved_elsewhere(relapse, monkeypatch)
    assert visit(site) == ("When AML comes back", True)
    assert visit(site) == ("When AML comes back", True)


def test_memory_is_bounded(site, relapse, what_is_aml, settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 20_000  # room for one page
    other = "/en/understanding-aml/what-is-aml/"
    for url in (URL, URL, other, other):
        site.get(url, headers={"accept-encoding": "identity"})
    assert visit(site)[1], "the older page made room for the newer one"
    assert local_pages().size <= 20_000


def test_a_save_made_while_redis_was_out_of_reach_is_forgotten_when_it_answers(
    site, relapse, monkeypatch
):
    visit(site)
    backend = caches["default"]
    backend._down_until = time.monotonic() + 60  # this process gave up on Redis for now
    saved_elsewhere(relapse, monkeypatch)  # its forgetting cannot reach Redis
    backend._down_until = 0.0
    monkeypatch.setattr(LocalPages, "lookup", lambda self, *args: (None, None))
    assert visit(site) == ("When AML comes back", True)


def test_a_copy_from_before_a_change_never_hides_the_current_one(site, relapse, monkeypatch):
    gzip = {"accept-encoding": "gzip"}
    site.get(URL, headers=gzip)
    site.get(URL, headers=gzip)  # this process keeps the gzip copy
    saved_elsewhere(relapse, monkeypatch)
    visit(site)  # learns the new generations from Redis (identity)
    site.get(URL, headers=gzip)  # renders and stores the new gzip copy in Redis
    time.sleep(0.05)
    site.asked_redis.clear()
    response = site.get(URL, headers=gzip)
    assert response["Content-Encoding"] == "gzip"
    assert b"When AML comes back" in __import__("gzip").decompress(response.content)
    site.asked_redis.clear()
    assert site.get(URL, headers=gzip)["Content-Encoding"] == "gzip"
    assert not site.asked_redis, "the current copy is kept here again"
