"""The cache is an accelerator, never a dependency: Redis down or hanging costs no page."""

import socket
import threading
import time

import pytest
from django.conf import settings as django_settings

from newsletter.models import Subscriber

from .newsletter_fixtures import signup_url

AFTER_STATIC = django_settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
WITH_PAGE_CACHE = [
    *django_settings.MIDDLEWARE[:AFTER_STATIC],
    *django_settings.PAGE_CACHE_MIDDLEWARE,
    *django_settings.MIDDLEWARE[AFTER_STATIC:],
]


def redis_cache_at(port):
    return {
        "default": {
            "BACKEND": "knowaml.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/1",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


class SilentServer:
    """Accepts connections like a stopped-but-listening Redis, and never answers."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = []
        self.commands = 0
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)
            threading.Thread(target=self.swallow, args=(connection,), daemon=True).start()

    def swallow(self, connection):
        try:
            while connection.recv(65536):
                self.commands += 1
        except OSError:
            pass

    def close(self):
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def redis_down(settings, db):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    settings.CACHES = redis_cache_at(port)
    settings.MIDDLEWARE = WITH_PAGE_CACHE


@pytest.fixture
def redis_hanging(settings, db):
    server = SilentServer()
    settings.CACHES = redis_cache_at(server.port)
    settings.MIDDLEWARE = WITH_PAGE_CACHE
    yield server
    server.close()


def test_with_redis_down_pages_admin_search_and_signup_answer(
    redis_down, client, relapse, post_signup
):
    for url in (relapse.get_absolute_url(), "/en/", "/en/search/?q=relapse", "/admin/login/"):
        assert client.get(url).status_code == 200, url
    assert client.get(relapse.get_absolute_url()).content.count(b"Relapse") > 0
    answer = post_signup(email="carer@example.com", HTTP_ORIGIN="http://testserver")
    assert answer.status_code in (200, 303)
    assert Subscriber.objects.filter(email="carer@example.com").exists()


def test_rate_limits_fail_open_and_say_so_in_the_log(redis_down, post_signup, caplog, settings):
    settings.NEWSLETTER_SIGNUP_RATE = (1, 60)
    for number in range(3):
        answer = post_signup(email=f"reader{number}@example.com", HTTP_ORIGIN="http://testserver")
        assert answer.status_code != 429
    assert "not enforced: the cache is unavailable" in caplog.text


def test_a_hanging_redis_costs_one_short_timeout_then_is_left_alone(redis_hanging, client, relapse):
    started = time.monotonic()
    assert client.get(relapse.get_absolute_url()).status_code == 200
    assert time.monotonic() - started < 1
    time.sleep(0.05)
    tried = redis_hanging.commands
    assert tried >= 1
    started = time.monotonic()
    assert client.get(signup_url("en")).status_code == 200
    assert time.monotonic() - started < 1
    time.sleep(0.05)
    assert redis_hanging.commands == tried


@pytest.fixture
def quick_retry(monkeypatch):
    monkeypatch.setattr("knowaml.cache.RETRY_SECONDS", 0.3)


def test_redis_is_tried_again_after_a_few_seconds(quick_retry, redis_hanging, client, relapse):
    time.sleep(0.4)
    client.get(relapse.get_absolute_url())
    time.sleep(0.05)
    tried = redis_hanging.commands
    time.sleep(0.4)
    client.get(relapse.get_absolute_url())
    time.sleep(0.05)
    assert redis_hanging.commands > tried
